import { SipError } from '../sip-error.js';
import { ipFamily } from '../transport/address-family.js';
import { codecByName, TELEPHONE_EVENT, type CodecInfo } from './codec-table.js';
import type { MediaDirection } from './session-description.js';

/** A codec to write into an m= line, with the payload type to use (the offerer's in an answer). */
export interface SdpCodec {
  readonly codec: CodecInfo;
  readonly payloadType: number;
  /** fmtp to write (the codec's own fixed fmtp is used when absent). */
  readonly fmtp?: string;
  /** Packetisation in ms for this codec (sip.conf `allow=ulaw:30`); the codec default otherwise. */
  readonly framing?: number;
}

/** One m= block to build. */
export interface SdpMediaInit {
  readonly type: 'audio' | 'video' | 'text';
  readonly port: number;
  /** Default `RTP/AVP`. */
  readonly protocol?: string;
  readonly codecs: readonly SdpCodec[];
  /** RFC 4733 events: `a=rtpmap:<pt> telephone-event/8000` and `a=fmtp:<pt> 0-16`. */
  readonly telephoneEvent?: { readonly payloadType: number; readonly events?: string };
  /** Default: the smallest codec framing (chan_sip `min_audio_packet_size`). */
  readonly ptime?: number;
  /** Default: the smallest codec maximum (chan_sip `max_audio_packet_size`). */
  readonly maxptime?: number;
  /** Default `sendrecv` (chan_sip writes `recvonly`/`inactive` when it holds). */
  readonly direction?: MediaDirection;
  /** Writes `a=silenceSupp:off - - - -` (chan_sip does when the channel has no timing source). */
  readonly silenceSuppression?: boolean;
  readonly rtcpMux?: boolean;
}

/**
 * A stream of the offer we decline: answered with port 0 and the offer's own protocol and formats
 * (RFC 3264 §6; chan_sip add_sdp() writes its offered_media this way).
 */
export interface DeclinedMedia {
  readonly declined: true;
  readonly type: string;
  readonly protocol: string;
  readonly formats: string;
}

/** A T.38 stream we take: `m=image <port> udptl t38` with its `a=T38...` parameters (chan_sip add_t38_sdp()). */
export interface ImageMedia {
  readonly type: 'image';
  readonly port: number;
  /** `T38FaxVersion:0` and the like, without `a=`. */
  readonly attributes: readonly string[];
}

/** What {@link buildSdp} needs. */
export interface BuildSdpOptions {
  /** o= user (chan_sip `sdpowner`, default `root`). */
  readonly owner?: string;
  readonly sessionId: string | number;
  readonly sessionVersion: string | number;
  /** s= (chan_sip `sdpsession`, default `Asterisk PBX <version>`); `-` when empty. */
  readonly sessionName: string;
  /** Our signalling address for o= (it must not change across re-INVITEs). */
  readonly originAddress: string;
  /** Media address for c= (defaults to `originAddress`). */
  readonly connectionAddress?: string;
  /** b=CT: kbps, written only when there is a video stream (chan_sip `maxcallbitrate`). */
  readonly maxCallBitrate?: number;
  readonly media: readonly (SdpMediaInit | DeclinedMedia | ImageMedia)[];
}

/**
 * Writes an SDP in chan_sip's shape (`add_sdp()`): `v=0`, `o=<owner> <id> <version> IN IP4 <addr>`,
 * `s=`, `c=`, `b=CT:` (video only), `t=0 0`, then per stream `m=<type> <port> RTP/AVP <pts>`,
 * `a=rtpmap`/`a=fmtp` per codec, telephone-event with `a=fmtp:<pt> 0-16`, `a=ptime`,
 * `a=maxptime`, and the direction.
 * @throws {@link SipError} `invalid-argument` when a stream has no codec.
 */
export function buildSdp(options: BuildSdpOptions): string {
  const family = (address: string) => (ipFamily(address) === 6 ? 'IP6' : 'IP4');
  const connection = options.connectionAddress ?? options.originAddress;
  const lines = [
    'v=0',
    `o=${options.owner ?? 'root'} ${options.sessionId} ${options.sessionVersion} IN ${family(options.originAddress)} ${options.originAddress}`,
    `s=${options.sessionName.length > 0 ? options.sessionName : '-'}`,
    `c=IN ${family(connection)} ${connection}`,
  ];
  if (options.maxCallBitrate !== undefined && options.media.some((media) => media.type === 'video' && !('declined' in media))) {
    lines.push(`b=CT:${options.maxCallBitrate}`);
  }
  lines.push('t=0 0');
  for (const media of options.media) {
    if ('declined' in media) lines.push(`m=${media.type} 0 ${media.protocol} ${media.formats}`);
    else if (media.type === 'image') lines.push(`m=image ${media.port} udptl t38`, ...media.attributes.map((attribute) => `a=${attribute}`));
    else lines.push(...mediaLines(media));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function mediaLines(media: SdpMediaInit): string[] {
  if (media.codecs.length === 0) throw new SipError('invalid-argument', `No codec for the ${media.type} stream`);
  const payloads = media.codecs.map((entry) => entry.payloadType);
  const attributes: string[] = [];
  for (const entry of media.codecs) {
    const { codec } = entry;
    attributes.push(`a=rtpmap:${entry.payloadType} ${codec.encoding}/${codec.clockRate}${codec.channels === undefined ? '' : `/${codec.channels}`}`);
    const fmtp = entry.fmtp ?? codec.fmtp;
    if (fmtp !== undefined) attributes.push(`a=fmtp:${entry.payloadType} ${fmtp}`);
  }
  if (media.telephoneEvent !== undefined && media.type === 'audio') {
    const pt = media.telephoneEvent.payloadType;
    payloads.push(pt);
    attributes.push(`a=rtpmap:${pt} ${TELEPHONE_EVENT.encoding}/${TELEPHONE_EVENT.clockRate}`, `a=fmtp:${pt} ${media.telephoneEvent.events ?? TELEPHONE_EVENT.events}`);
  }
  if (media.type === 'audio') {
    if (media.silenceSuppression === true) attributes.push('a=silenceSupp:off - - - -');
    const ptime = media.ptime ?? Math.min(...media.codecs.map((entry) => entry.framing ?? entry.codec.defaultMs));
    const maxptime = media.maxptime ?? Math.min(...media.codecs.map((entry) => entry.codec.maxMs));
    attributes.push(`a=ptime:${ptime}`, `a=maxptime:${maxptime}`);
  }
  if (media.rtcpMux === true) attributes.push('a=rtcp-mux');
  attributes.push(`a=${media.direction ?? 'sendrecv'}`);
  return [`m=${media.type} ${media.port} ${media.protocol ?? 'RTP/AVP'} ${payloads.join(' ')}`, ...attributes];
}

/**
 * The codecs of an offer from sip.conf `allow` names in preference order, with Asterisk's payload
 * types (`allow=ulaw:30` framing accepted). Unknown names are skipped.
 */
export function offerCodecs(allow: readonly string[], media: SdpMediaInit['type'] = 'audio'): SdpCodec[] {
  return allow.flatMap((entry) => {
    const [name = '', framing] = entry.split(':');
    const codec = codecByName(name.trim());
    if (codec === undefined || codec.media !== media) return [];
    const ms = framing === undefined ? undefined : Number(framing);
    return [{ codec, payloadType: codec.payloadType, ...(ms !== undefined && Number.isInteger(ms) && ms > 0 ? { framing: ms } : {}) }];
  });
}
