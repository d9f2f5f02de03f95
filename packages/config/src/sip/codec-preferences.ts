/** Kinds of media a codec carries (Asterisk's `ast_media_type`). */
export type CodecKind = 'audio' | 'video' | 'image' | 'text';

/** A codec in a preference list, with its packetization (`allow=ulaw:20`) when given. */
export interface CodecPreference {
  readonly name: string;
  readonly kind: CodecKind;
  /** Milliseconds per packet from `codec:ms`; absent = the codec's default. */
  readonly framingMs?: number;
}

/**
 * Asterisk 20's built-in formats in registration order (main/codec_builtin.c
 * `ast_codec_builtin_init()`), which is the order `allow=all` appends them in.
 */
export const KNOWN_CODECS: readonly { readonly name: string; readonly kind: CodecKind }[] = [
  ...['codec2', 'g723', 'ulaw', 'alaw', 'gsm', 'g726', 'g726aal2', 'adpcm'].map((name) => ({ name, kind: 'audio' as const })),
  ...['slin', 'slin12', 'slin16', 'slin24', 'slin32', 'slin44', 'slin48', 'slin96', 'slin192'].map((name) => ({
    name,
    kind: 'audio' as const,
  })),
  ...['lpc10', 'g729', 'speex', 'speex16', 'speex32', 'ilbc', 'g722', 'siren7', 'siren14', 'g719', 'opus'].map((name) => ({
    name,
    kind: 'audio' as const,
  })),
  { name: 'jpeg', kind: 'image' },
  { name: 'png', kind: 'image' },
  ...['h261', 'h263', 'h263p', 'h264', 'h265', 'mpeg4', 'vp8', 'vp9'].map((name) => ({ name, kind: 'video' as const })),
  { name: 'red', kind: 'text' },
  { name: 't140', kind: 'text' },
  { name: 't38', kind: 'image' },
  ...['silk8', 'silk12', 'silk16', 'silk24'].map((name) => ({ name, kind: 'audio' as const })),
];

const CODECS_BY_NAME = new Map(KNOWN_CODECS.map((codec) => [codec.name, codec]));

/** chan_sip's preference list when sip.conf says nothing (`sip_set_default_format_capabilities()`). */
export const DEFAULT_SIP_CODECS: readonly CodecPreference[] = ['ulaw', 'alaw', 'gsm', 'h263'].map((name) => ({
  name,
  kind: CODECS_BY_NAME.get(name)?.kind ?? 'audio',
}));

/**
 * Applies one `allow` or `disallow` value to a preference list, like main/format_cap.c
 * `ast_format_cap_update_by_allow_disallow()`: items split at `,` or `|`; `!codec` inverts;
 * `codec:ms` sets framing; `all`; an allowed codec already present keeps its place.
 * Returns the new list and the items that could not be applied.
 */
export function applyAllowDisallow(
  current: readonly CodecPreference[],
  value: string,
  allowing: boolean,
): { codecs: CodecPreference[]; problems: string[] } {
  let codecs = [...current];
  const problems: string[] = [];
  if (!allowing && value.trim() === '') return { codecs, problems };
  let list = value;
  if (list.startsWith('(') && list.endsWith(')')) {
    // A list printed by ast_format_cap_get_names(): start from the inverse.
    list = list.slice(1, -1);
    codecs = allowing ? [] : allKnownCodecs([]);
  }
  for (const rawItem of list.split(/[,|]/)) {
    let item = rawItem.trim();
    let itemAllowing = allowing;
    if (item.startsWith('!')) {
      item = item.slice(1);
      itemAllowing = !allowing;
    }
    let framingMs: number | undefined;
    const colon = item.lastIndexOf(':');
    if (colon >= 0) {
      const framing = item.slice(colon + 1);
      item = item.slice(0, colon);
      if (!/^\d+$/.test(framing)) {
        problems.push(`bad packetization value '${framing}' for codec ${item}`);
        continue;
      }
      framingMs = Number(framing);
    }
    const name = item.toLowerCase();
    if (name === 'all') {
      codecs = itemAllowing ? allKnownCodecs(codecs) : [];
      continue;
    }
    const known = CODECS_BY_NAME.get(name);
    if (known === undefined) {
      problems.push(`cannot ${itemAllowing ? 'allow' : 'disallow'} unknown format '${item}'`);
      continue;
    }
    if (!itemAllowing) {
      codecs = codecs.filter((codec) => codec.name !== known.name);
    } else if (!codecs.some((codec) => codec.name === known.name)) {
      codecs.push(framingMs === undefined || framingMs === 0 ? { ...known } : { ...known, framingMs });
    }
  }
  return { codecs, problems };
}

function allKnownCodecs(current: readonly CodecPreference[]): CodecPreference[] {
  const present = new Set(current.map((codec) => codec.name));
  return [...current, ...KNOWN_CODECS.filter((codec) => !present.has(codec.name)).map((codec) => ({ ...codec }))];
}
