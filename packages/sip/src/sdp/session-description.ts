import { parse as parseSdpText, write as writeSdpText, type MediaDescription, type SessionDescription } from 'sdp-transform';
import { SipError } from '../sip-error.js';
import { codecForRtpmap, type CodecInfo } from './codec-table.js';

/** Media direction (RFC 3264 §5.1). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The o= line with its numbers kept as text (they may exceed 2^53). */
export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly ipVersion: 4 | 6;
  readonly address: string;
}

/** One payload of an m= line. */
export interface MediaFormat {
  readonly payloadType: number;
  /** rtpmap encoding name, when written (or known for a static type). */
  readonly encoding?: string;
  readonly clockRate?: number;
  readonly channels?: number;
  /** fmtp parameters, when written. */
  readonly fmtp?: string;
  /** The Asterisk codec it stands for, when Tandem knows it. */
  readonly codec?: CodecInfo;
}

/** What the B2BUA reads from one m= line. */
export interface MediaLine {
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  /** The m= line's format list as written (`0 8 101`, `t38`): echoed when the stream is declined. */
  readonly formatList: string;
  /** Media address (media c=, else session c=); `undefined` when neither is present. */
  readonly address: string | undefined;
  readonly ipVersion: 4 | 6;
  /** Media-level direction, else session-level, else sendrecv. */
  readonly direction: MediaDirection;
  /** Payloads in m= order, telephone-event and CN included. */
  readonly formats: MediaFormat[];
  /** Codecs Tandem knows, in m= order (telephone-event and CN excluded). */
  readonly codecs: MediaFormat[];
  /** RFC 4733 telephone-event, when offered. */
  readonly telephoneEvent?: { readonly payloadType: number; readonly clockRate: number; readonly events: string };
  readonly ptime?: number;
  readonly maxptime?: number;
  readonly rtcpMux: boolean;
}

/** A parsed SDP: sdp-transform's tree plus the normalised origin and media lines. */
export interface ParsedSdp {
  /** sdp-transform's tree (`origin.sessionId` replaced by the exact text). */
  readonly session: SessionDescription;
  readonly origin: SdpOrigin;
  readonly media: MediaLine[];
}

/**
 * Parses an SDP body with sdp-transform.
 * @throws {@link SipError} `sdp-invalid` (status 488) when there is no `v=0` or no `o=` line.
 */
export function parseSdp(text: string | Buffer): ParsedSdp {
  const body = typeof text === 'string' ? text : text.toString('utf8');
  const session = parseSdpText(body);
  const originLine = /^o=(\S+) (\S+) (\S+) IN (IP[46]) (\S+)\s*$/m.exec(body);
  if (session.version !== 0 || originLine === null) {
    throw new SipError('sdp-invalid', 'SDP without v=0 or a valid o= line', { status: 488 });
  }
  const origin: SdpOrigin = {
    username: originLine[1] ?? '',
    sessionId: originLine[2] ?? '',
    sessionVersion: originLine[3] ?? '',
    ipVersion: originLine[4] === 'IP6' ? 6 : 4,
    address: originLine[5] ?? '',
  };
  session.origin.sessionId = origin.sessionId;
  const media = (session.media ?? []).map((description) => readMediaLine(session, description));
  return { session, origin, media };
}

/** Writes an sdp-transform tree back to text (CRLF line ends). */
export function serializeSdp(session: SessionDescription): string {
  return writeSdpText(session);
}

function readMediaLine(session: SessionDescription, description: MediaDescription): MediaLine {
  const connection = description.connection ?? session.connection;
  const rtpmaps = new Map((description.rtp ?? []).map((rtp) => [rtp.payload, rtp]));
  const fmtps = new Map((description.fmtp ?? []).map((fmtp) => [fmtp.payload, fmtp.config]));
  const payloads = String(description.payloads ?? '')
    .split(/\s+/)
    .filter((value) => /^\d+$/.test(value))
    .map(Number);
  const formats: MediaFormat[] = payloads.map((payloadType) => {
    const rtp = rtpmaps.get(payloadType);
    const codec = description.type === 'audio' || description.type === 'video' || description.type === 'text' ? codecForRtpmap(payloadType, rtp?.codec, rtp?.rate) : undefined;
    const encoding = rtp?.codec ?? codec?.encoding;
    const clockRate = rtp?.rate ?? codec?.clockRate;
    const fmtp = fmtps.get(payloadType);
    return {
      payloadType,
      ...(encoding === undefined ? {} : { encoding }),
      ...(clockRate === undefined ? {} : { clockRate }),
      ...(rtp?.encoding === undefined ? {} : { channels: rtp.encoding }),
      ...(fmtp === undefined ? {} : { fmtp }),
      ...(codec === undefined ? {} : { codec }),
    };
  });
  const dtmf = formats.find((format) => format.encoding?.toLowerCase() === 'telephone-event');
  const direction = (description.direction ?? session.direction ?? 'sendrecv') as MediaDirection;
  return {
    type: description.type,
    port: description.port,
    protocol: description.protocol,
    formatList: String(description.payloads ?? '').trim(),
    address: connection?.ip,
    ipVersion: connection?.version === 6 ? 6 : 4,
    direction,
    formats,
    codecs: formats.filter((format) => format.codec !== undefined),
    ...(dtmf === undefined ? {} : { telephoneEvent: { payloadType: dtmf.payloadType, clockRate: dtmf.clockRate ?? 8000, events: dtmf.fmtp ?? '0-15' } }),
    ...(description.ptime === undefined ? {} : { ptime: Number(description.ptime) }),
    ...(description.maxptime === undefined ? {} : { maxptime: Number(description.maxptime) }),
    rtcpMux: description.rtcpMux !== undefined,
  };
}

/**
 * True when the stream is put on hold the ways chan_sip recognises (`process_sdp()`): a 0.0.0.0
 * connection address, `sendonly` or `inactive`.
 */
export function isOnHold(media: MediaLine): boolean {
  return media.address === '0.0.0.0' || media.direction === 'sendonly' || media.direction === 'inactive';
}
