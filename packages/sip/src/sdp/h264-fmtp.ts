/** Numeric H.264 parameters in the order res_format_attr_h264 writes them, before profile-level-id. */
const NUMERIC_KEYS = [
  'max-mbps',
  'max-fs',
  'max-cpb',
  'max-dpb',
  'max-br',
  'max-smbps',
  'max-fps',
  'sprop-interleaving-depth',
  'sprop-deint-buf-req',
  'deint-buf-cap',
  'sprop-init-buf-time',
  'sprop-max-don-diff',
  'max-rcmd-nalu-size',
] as const;

/** Flags written even when 0 (Asterisk only skips them when absent). */
const FLAG_KEYS = ['redundant-pic-cap', 'parameter-add', 'packetization-mode', 'level-asymmetry-allowed'] as const;

/**
 * An H.264 fmtp as Asterisk passes it on (res_format_attr_h264 h264_parse_sdp_fmtp() then
 * h264_generate_sdp_fmtp()): the parameters it knows, in its fixed order, profile-level-id in upper
 * case hex; unknown parameters are dropped. `undefined` when nothing known is left.
 */
export function normalizeH264Fmtp(fmtp: string): string | undefined {
  const values = new Map<string, string>();
  for (const part of fmtp.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    values.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const out: string[] = [];
  const unsigned = (key: string): number | undefined => {
    const text = values.get(key);
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  for (const key of NUMERIC_KEYS) {
    const value = unsigned(key);
    if (value !== undefined && value !== 0) out.push(`${key}=${value}`);
  }
  for (const key of FLAG_KEYS) {
    const value = unsigned(key);
    if (value !== undefined) out.push(`${key}=${value}`);
  }
  const profile = /^[0-9a-f]{1,6}/i.exec(values.get('profile-level-id') ?? '')?.[0];
  if (profile !== undefined) {
    const id = Number.parseInt(profile, 16);
    // Asterisk writes it only when profile_idc and level are set.
    if (id >> 16 !== 0 && (id & 0xff) !== 0) out.push(`profile-level-id=${id.toString(16).toUpperCase().padStart(6, '0')}`);
  }
  const sprop = /^([^,]+),(\S+)$/.exec(values.get('sprop-parameter-sets') ?? '');
  if (sprop !== null) out.push(`sprop-parameter-sets=${sprop[1] ?? ''},${sprop[2] ?? ''}`);
  return out.length === 0 ? undefined : out.join(';');
}
