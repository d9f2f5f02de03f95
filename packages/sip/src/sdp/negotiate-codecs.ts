import type { SdpCodec } from './build-sdp.js';
import { offerCodecs } from './build-sdp.js';
import { normalizeH264Fmtp } from './h264-fmtp.js';
import type { MediaLine } from './session-description.js';

/** The outcome of {@link negotiateCodecs}: what to answer with, in order. */
export interface CodecNegotiation {
  /** Joint codecs with the offerer's payload types and fmtp; empty means 488 Not Acceptable Here. */
  readonly codecs: SdpCodec[];
  /** telephone-event with the offerer's payload type, when both sides do RFC 4733. */
  readonly telephoneEvent?: { readonly payloadType: number; readonly events: string };
}

/** Options of {@link negotiateCodecs}. */
export interface NegotiateOptions {
  /**
   * Codecs to put first when they are joint (chan_sip adds the bridged channel's `prefcaps`
   * before the rest; also `SIP_CODEC_INBOUND`).
   */
  readonly preferred?: readonly string[];
  /** Answer telephone-event when offered (dtmfmode rfc2833/auto). Default true. */
  readonly telephoneEvent?: boolean;
}

/**
 * chan_sip's codec choice for an offered stream (`process_sdp()` + `add_sdp()`): the joint set in
 * the device's `allow` order (our preference, not the offerer's), preferred codecs first, each
 * with the offerer's payload type; telephone-event with the offer's payload type and `0-16`.
 */
export function negotiateCodecs(offer: MediaLine, allow: readonly string[], options: NegotiateOptions = {}): CodecNegotiation {
  const ours = offerCodecs(allow, offer.type === 'video' ? 'video' : offer.type === 'text' ? 'text' : 'audio');
  const joint: SdpCodec[] = [];
  for (const entry of ours) {
    const offered = offer.codecs.find((format) => format.codec?.name === entry.codec.name);
    if (offered === undefined || joint.some((chosen) => chosen.codec.name === entry.codec.name)) continue;
    const fmtp = passedFmtp(entry.codec.name, offered.fmtp);
    joint.push({
      codec: entry.codec,
      payloadType: offered.payloadType,
      ...(fmtp === undefined ? {} : { fmtp }),
      ...(entry.framing === undefined ? {} : { framing: entry.framing }),
    });
  }
  const preferred = (options.preferred ?? []).map((name) => name.toLowerCase());
  const ordered = [
    ...preferred.flatMap((name) => joint.filter((entry) => entry.codec.name === name)),
    ...joint.filter((entry) => !preferred.includes(entry.codec.name)),
  ];
  const dtmf = offer.telephoneEvent;
  const useDtmf = options.telephoneEvent !== false && dtmf !== undefined && offer.type === 'audio';
  return { codecs: ordered, ...(useDtmf ? { telephoneEvent: { payloadType: dtmf.payloadType, events: '0-16' } } : {}) };
}

/** The fmtp Asterisk keeps for an offered codec: H.264's is re-written by res_format_attr_h264. */
export function passedFmtp(codec: string, fmtp: string | undefined): string | undefined {
  if (fmtp === undefined) return undefined;
  return codec === 'h264' ? normalizeH264Fmtp(fmtp) : fmtp;
}
