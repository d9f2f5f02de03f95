/** An entry of Asterisk's codec table as chan_sip uses it in SDP. */
export interface CodecInfo {
  /** The name in sip.conf `allow=` (`ulaw`, `g722`, `h264`, ...). */
  readonly name: string;
  readonly media: 'audio' | 'video' | 'text';
  /** rtpmap encoding name. */
  readonly encoding: string;
  /** rtpmap clock rate (G.722 keeps 8000, RFC 3551). */
  readonly clockRate: number;
  /** rtpmap channel count when written (Opus: 2). */
  readonly channels?: number;
  /** Asterisk's payload type: static (RFC 3551) or its default dynamic number. */
  readonly payloadType: number;
  /** Packetisation bounds and default in ms (`minimum_ms`, `maximum_ms`, `default_ms`). */
  readonly minMs: number;
  readonly maxMs: number;
  readonly defaultMs: number;
  /** fmtp chan_sip always writes for this codec. */
  readonly fmtp?: string;
}

/**
 * Asterisk 20's codecs (main/codec_builtin.c for the framing, main/rtp_engine.c
 * `add_static_payload()`/`set_next_mime_type()` for payload types and rtpmap names).
 */
export const codecTable: readonly CodecInfo[] = [
  { name: 'ulaw', media: 'audio', encoding: 'PCMU', clockRate: 8000, payloadType: 0, minMs: 10, maxMs: 140, defaultMs: 20 },
  { name: 'alaw', media: 'audio', encoding: 'PCMA', clockRate: 8000, payloadType: 8, minMs: 10, maxMs: 140, defaultMs: 20 },
  { name: 'gsm', media: 'audio', encoding: 'GSM', clockRate: 8000, payloadType: 3, minMs: 20, maxMs: 300, defaultMs: 20 },
  { name: 'g723', media: 'audio', encoding: 'G723', clockRate: 8000, payloadType: 4, minMs: 30, maxMs: 300, defaultMs: 30, fmtp: 'annexa=no' },
  { name: 'adpcm', media: 'audio', encoding: 'DVI4', clockRate: 8000, payloadType: 5, minMs: 10, maxMs: 300, defaultMs: 20 },
  { name: 'lpc10', media: 'audio', encoding: 'LPC', clockRate: 8000, payloadType: 7, minMs: 20, maxMs: 20, defaultMs: 20 },
  { name: 'g722', media: 'audio', encoding: 'G722', clockRate: 8000, payloadType: 9, minMs: 10, maxMs: 140, defaultMs: 20 },
  { name: 'slin', media: 'audio', encoding: 'L16', clockRate: 8000, payloadType: 11, minMs: 10, maxMs: 60, defaultMs: 20 },
  { name: 'g729', media: 'audio', encoding: 'G729', clockRate: 8000, payloadType: 18, minMs: 10, maxMs: 220, defaultMs: 20 },
  { name: 'ilbc', media: 'audio', encoding: 'iLBC', clockRate: 8000, payloadType: 97, minMs: 20, maxMs: 300, defaultMs: 20 },
  { name: 'siren7', media: 'audio', encoding: 'G7221', clockRate: 16000, payloadType: 102, minMs: 20, maxMs: 80, defaultMs: 20 },
  { name: 'opus', media: 'audio', encoding: 'opus', clockRate: 48000, channels: 2, payloadType: 107, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'speex', media: 'audio', encoding: 'speex', clockRate: 8000, payloadType: 110, minMs: 10, maxMs: 60, defaultMs: 20 },
  { name: 'g726', media: 'audio', encoding: 'G726-32', clockRate: 8000, payloadType: 111, minMs: 10, maxMs: 300, defaultMs: 20 },
  { name: 'g726aal2', media: 'audio', encoding: 'AAL2-G726-32', clockRate: 8000, payloadType: 112, minMs: 10, maxMs: 300, defaultMs: 20 },
  { name: 'siren14', media: 'audio', encoding: 'G7221', clockRate: 32000, payloadType: 115, minMs: 20, maxMs: 80, defaultMs: 20 },
  { name: 'g719', media: 'audio', encoding: 'G719', clockRate: 48000, payloadType: 116, minMs: 20, maxMs: 80, defaultMs: 20, fmtp: 'bitrate=64000' },
  { name: 'speex16', media: 'audio', encoding: 'speex', clockRate: 16000, payloadType: 117, minMs: 10, maxMs: 60, defaultMs: 20 },
  { name: 'slin16', media: 'audio', encoding: 'L16', clockRate: 16000, payloadType: 118, minMs: 10, maxMs: 60, defaultMs: 20 },
  { name: 'speex32', media: 'audio', encoding: 'speex', clockRate: 32000, payloadType: 119, minMs: 10, maxMs: 60, defaultMs: 20 },
  { name: 'jpeg', media: 'video', encoding: 'JPEG', clockRate: 90000, payloadType: 26, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'h261', media: 'video', encoding: 'H261', clockRate: 90000, payloadType: 31, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'h263', media: 'video', encoding: 'H263', clockRate: 90000, payloadType: 34, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'h264', media: 'video', encoding: 'H264', clockRate: 90000, payloadType: 99, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'vp8', media: 'video', encoding: 'VP8', clockRate: 90000, payloadType: 100, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'h263p', media: 'video', encoding: 'h263-1998', clockRate: 90000, payloadType: 103, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'mpeg4', media: 'video', encoding: 'MP4V-ES', clockRate: 90000, payloadType: 104, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'vp9', media: 'video', encoding: 'VP9', clockRate: 90000, payloadType: 108, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'h265', media: 'video', encoding: 'H265', clockRate: 90000, payloadType: 109, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 'red', media: 'text', encoding: 'RED', clockRate: 1000, payloadType: 105, minMs: 20, maxMs: 60, defaultMs: 20 },
  { name: 't140', media: 'text', encoding: 'T140', clockRate: 1000, payloadType: 106, minMs: 20, maxMs: 60, defaultMs: 20 },
];

/** RFC 4733 telephone-event: Asterisk's payload type 101 and the events it supports (DTMF and flash). */
export const TELEPHONE_EVENT = { encoding: 'telephone-event', clockRate: 8000, payloadType: 101, events: '0-16' } as const;

/** Names rtp_engine.c also accepts for a codec in an rtpmap (`G711U`, `G729A`, ...). */
const encodingAliases: Readonly<Record<string, string>> = { g711u: 'pcmu', g711a: 'pcma', g729a: 'g729', 'g.729': 'g729', 'l16-256': 'l16' };

/** The codec with this `allow=` name (case-insensitive). */
export function codecByName(name: string): CodecInfo | undefined {
  const lower = name.toLowerCase();
  return codecTable.find((codec) => codec.name === lower);
}

/**
 * The codec an rtpmap (or a static payload type without rtpmap) stands for, or `undefined`.
 * Static payload types 0-34 are recognised without rtpmap (RFC 3551).
 */
export function codecForRtpmap(payloadType: number, encoding: string | undefined, clockRate: number | undefined): CodecInfo | undefined {
  if (encoding === undefined) {
    return payloadType < 35 ? codecTable.find((codec) => codec.payloadType === payloadType) : undefined;
  }
  const lower = encoding.toLowerCase();
  const name = encodingAliases[lower] ?? lower;
  return codecTable.find((codec) => codec.encoding.toLowerCase() === name && (clockRate === undefined || codec.clockRate === clockRate));
}
