import { codecByName, type SdpCodec } from '@tandem/sip';

/** Why a codec of a `SIP_CODEC*` list was not used (the NOTICE chan_sip logs). */
export interface IgnoredCodec {
  readonly codec: string;
  readonly reason: 'unknown' | 'not-shared';
}

/** What {@link suggestedCodecs} made of a `SIP_CODEC*` list. */
export interface SuggestedCodecs {
  /** The codecs to use from now on (the joint set unchanged when nothing listed was shared). */
  readonly codecs: SdpCodec[];
  readonly ignored: readonly IgnoredCodec[];
}

/**
 * chan_sip try_suggested_sip_codec(): a `SIP_CODEC_OUTBOUND` (placing) or `SIP_CODEC_INBOUND` /
 * `SIP_CODEC` (answering) list, comma separated, narrows the joint codecs to the listed ones
 * both ends share, in the list's order, each keeping what was negotiated for it (payload type,
 * fmtp). Unknown codecs and codecs not in the joint set are ignored; when none is left the
 * joint set stays as it was.
 */
export function suggestedCodecs(list: string | undefined, joint: readonly SdpCodec[]): SuggestedCodecs {
  if (list === undefined || list.trim() === '') return { codecs: [...joint], ignored: [] };
  const chosen: SdpCodec[] = [];
  const ignored: IgnoredCodec[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (codecByName(name) === undefined) {
      ignored.push({ codec: name, reason: 'unknown' });
      continue;
    }
    const shared = joint.find((entry) => entry.codec.name === name.toLowerCase());
    if (shared === undefined) {
      ignored.push({ codec: name, reason: 'not-shared' });
      continue;
    }
    if (!chosen.includes(shared)) chosen.push(shared);
  }
  return { codecs: chosen.length > 0 ? chosen : [...joint], ignored };
}

/** The NOTICE chan_sip logs for an ignored codec (try_suggested_sip_codec()). */
export function ignoredCodecNotice(ignored: IgnoredCodec): string {
  return ignored.reason === 'unknown'
    ? `Ignoring \${SIP_CODEC*} variable because of unrecognized/not configured codec ${ignored.codec} (check allow/disallow in sip.conf)`
    : `Ignoring \${SIP_CODEC*} variable because it is not shared by both ends: ${ignored.codec}`;
}
