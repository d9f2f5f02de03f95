import { SipHeaders } from './sip-headers.js';
import { SipRequest, SipResponse, type SipMessage } from './sip-message.js';
import { hasUnterminatedQuote } from './name-addr.js';
import type { MessageSource } from '../transport/transport-types.js';

/** Why a message was dropped without an answer, as chan_sip drops it (reference §10.13). */
export type DropReason =
  | 'keepalive'
  | 'malformed-start-line'
  | 'unsupported-version'
  | 'invalid-status'
  | 'too-few-headers'
  | 'missing-required-header'
  | 'missing-via';

/**
 * The result of {@link parseMessage}: a message to process, a request chan_sip answers with
 * an error status (answer it statelessly with `createResponse(request, status, reason)`), or
 * something chan_sip silently drops.
 */
export type ParseOutcome =
  | { readonly kind: 'message'; readonly message: SipMessage }
  | {
      readonly kind: 'reject';
      readonly status: 400 | 416;
      readonly reason: string;
      readonly request: SipRequest;
      readonly detail: string;
    }
  | { readonly kind: 'drop'; readonly reason: DropReason; readonly detail: string };

/** Options of {@link parseMessage}. */
export interface ParseMessageOptions {
  /** Attached to the parsed message as its `source`. */
  readonly source?: MessageSource;
}

const requiredHeaders = ['Call-ID', 'CSeq', 'From', 'To'] as const;

/**
 * Parses one SIP message (a datagram, or one frame cut from a stream by its Content-Length)
 * and says what chan_sip does with it. Lenient like chan_sip (`parse_request()`,
 * `determine_firstline_parts()`, `find_call()`, `handle_incoming()`): header lines without a
 * colon are skipped, folded lines are joined, a bad Content-Length is ignored; a request
 * missing Call-ID, CSeq (with a number), From or To gets 400; an unterminated quoted display
 * name in From or To gets 416; no Via, a version other than SIP/2.0, a blank first line
 * or garbage is dropped. Never throws.
 */
export function parseMessage(input: Uint8Array | string, options: ParseMessageOptions = {}): ParseOutcome {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const { headerEnd, bodyStart } = findHeaderEnd(bytes);
  const headText = bytes.subarray(0, headerEnd).toString('utf8');
  if (headText.trim().length === 0) return drop('keepalive', 'Only whitespace (CRLF keep-alive)');

  const lines = unfoldLines(headText);
  const startLine = lines[0] ?? '';
  // chan_sip (Asterisk 20): parse_request() turns CR/LF into NUL, so a blank first line leaves
  // an empty start line and determine_firstline_parts() fails.
  if (startLine.trim().length === 0) return drop('malformed-start-line', 'Blank line before the start line');

  const headers = new SipHeaders();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (name.length === 0 || /\s/.test(name)) continue;
    headers.add(name, line.slice(colon + 1).trim());
  }

  const body = extractBody(bytes, bodyStart, headers);
  const start = parseStartLine(startLine);
  if (start.kind === 'drop') return start;
  // chan_sip (Asterisk 20): handle_request_do() needs at least two lines (start line + 1 header).
  if (headers.size === 0) return drop('too-few-headers', 'No header lines');

  const init = { headers, body, ...(options.source === undefined ? {} : { source: options.source }) };
  const message: SipMessage =
    start.kind === 'request'
      ? new SipRequest({ method: start.method, uri: start.uri, version: 'SIP/2.0', ...init })
      : new SipResponse({ status: start.status, reason: start.reason, version: 'SIP/2.0', ...init });

  // chan_sip (Asterisk 20): __find_call() answers 400 (not to ACK or responses) when Call-ID,
  // To, From or CSeq is empty or the CSeq has no number.
  const missing = requiredHeaders.find((name) => (headers.get(name) ?? '').trim().length === 0);
  const badCSeq = missing === undefined && !/^\s*[+-]?\d/.test(headers.get('CSeq') ?? '');
  if (missing !== undefined || badCSeq) {
    const detail = missing === undefined ? 'CSeq without a sequence number' : `Missing ${missing} header`;
    if (message.kind === 'response' || message.method.toUpperCase() === 'ACK') {
      return drop('missing-required-header', detail);
    }
    return { kind: 'reject', status: 400, reason: 'Bad Request', request: message, detail };
  }
  // chan_sip (Asterisk 20): handle_incoming() drops a message without Via ("it's incomplete").
  if ((headers.get('Via') ?? '').trim().length === 0) return drop('missing-via', 'No Via header');

  // chan_sip (Asterisk 20): get_in_brackets() fails on an unclosed quote, the whole value is then
  // not a sip/sips/tel URI and get_destination() answers 416 Unsupported URI scheme.
  if (message.kind === 'request' && message.method.toUpperCase() !== 'ACK') {
    const quoted = (['From', 'To'] as const).find((name) => hasUnterminatedQuote(headers.get(name) ?? ''));
    if (quoted !== undefined) {
      return {
        kind: 'reject',
        status: 416,
        reason: 'Unsupported URI scheme',
        request: message,
        detail: `Unterminated quoted string in ${quoted}`,
      };
    }
  }
  return { kind: 'message', message };
}

function drop(reason: DropReason, detail: string): ParseOutcome {
  return { kind: 'drop', reason, detail };
}

type StartLine =
  | { kind: 'request'; method: string; uri: string }
  | { kind: 'response'; status: number; reason: string }
  | { kind: 'drop'; reason: DropReason; detail: string };

// chan_sip (Asterisk 20): determine_firstline_parts() and handle_incoming().
function parseStartLine(line: string): StartLine {
  const match = /^\s*(\S+)\s+(.*?)\s*$/s.exec(line);
  if (!match) return { kind: 'drop', reason: 'malformed-start-line', detail: `Bad start line '${line}'` };
  const first = match[1] ?? '';
  const rest = match[2] ?? '';
  if (first.toUpperCase() === 'SIP/2.0') {
    const status = /^([+-]?\d+)\s*(.*)$/s.exec(rest);
    const code = status ? Number(status[1]) : NaN;
    // chan_sip needs a positive code; Tandem also drops codes outside 100-699 (RFC 4475 bigcode).
    if (rest.length < 3 || !Number.isInteger(code) || code < 100 || code > 699) {
      return { kind: 'drop', reason: 'invalid-status', detail: `Bad status line '${line}'` };
    }
    return { kind: 'response', status: code, reason: status?.[2] ?? '' };
  }
  if (/^SIP\/\d/i.test(first)) return { kind: 'drop', reason: 'unsupported-version', detail: `Unsupported version '${first}'` };
  // The Request-URI runs to the first blank; a leading '<' is skipped (chan_sip: "Bogus uri in <>")
  // and the matching '>' is dropped as get_in_brackets() would.
  const uriMatch = /^(\S+)\s*(.*)$/s.exec(rest);
  const written = uriMatch?.[1] ?? '';
  const uri = written.startsWith('<') ? written.slice(1).replace(/>$/, '') : written;
  const version = uriMatch?.[2] ?? '';
  if (uri.length === 0) return { kind: 'drop', reason: 'malformed-start-line', detail: `No Request-URI in '${line}'` };
  if (version.toUpperCase() !== 'SIP/2.0') {
    return { kind: 'drop', reason: 'unsupported-version', detail: `Bad request protocol '${version}'` };
  }
  return { kind: 'request', method: first, uri };
}

/** End of the header section and start of the body (CRLFCRLF, or a bare LFLF from sloppy senders). */
function findHeaderEnd(bytes: Buffer): { headerEnd: number; bodyStart: number } {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  const mixed = bytes.indexOf('\n\r\n');
  const candidates = [
    crlf < 0 ? undefined : { headerEnd: crlf + 1, bodyStart: crlf + 4 },
    lf < 0 ? undefined : { headerEnd: lf, bodyStart: lf + 2 },
    mixed < 0 ? undefined : { headerEnd: mixed, bodyStart: mixed + 3 },
  ].filter((candidate) => candidate !== undefined);
  let first: { headerEnd: number; bodyStart: number } | undefined;
  for (const candidate of candidates) if (first === undefined || candidate.headerEnd < first.headerEnd) first = candidate;
  return first ?? { headerEnd: bytes.length, bodyStart: bytes.length };
}

/** Splits header text into lines, joining folded continuation lines (RFC 3261 §7.3.1). */
function unfoldLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const first = line.charCodeAt(0);
    // 0x20 space, 0x09 tab: a continuation of the previous header line.
    if (lines.length > 1 && (first === 0x20 || first === 0x09)) lines[lines.length - 1] += ` ${line.trim()}`;
    else lines.push(line);
  }
  return lines;
}

/**
 * The body: what follows the blank line, cut to Content-Length when that is a number no larger
 * than what arrived (a bad or too large Content-Length is ignored, as chan_sip does on UDP).
 */
function extractBody(bytes: Buffer, bodyStart: number, headers: SipHeaders): Buffer {
  const available = bytes.subarray(bodyStart);
  const declared = headers.get('Content-Length')?.trim();
  if (declared !== undefined && /^\d+$/.test(declared)) {
    const length = Number(declared);
    if (length <= available.length) return Buffer.from(available.subarray(0, length));
  }
  return Buffer.from(available);
}
