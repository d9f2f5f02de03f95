import type { SipRequest } from '@tandem/sip';

/** A DTMF event carried by a SIP INFO: a digit, or a hook flash (event 16). */
export type InfoDtmfEvent = { readonly digit: string; readonly durationMs: number } | { readonly flash: true };

/** chan_sip's default length of a digit without a Duration (100 ms). */
const DEFAULT_DURATION_MS = 100;

/** Content types chan_sip reads DTMF from (handle_request_info()). */
const DTMF_TYPES = new Set(['application/dtmf-relay', 'application/vnd.nortelnetworks.digits', 'application/dtmf']);

/** Whether an INFO's Content-Type is one chan_sip reads DTMF from. */
export function isDtmfInfo(request: SipRequest): boolean {
  return DTMF_TYPES.has(request.contentType?.mediaType ?? '');
}

/**
 * `name=value` from the body, as chan_sip's get_content_line() finds it: the line must start
 * with the name (any case) immediately followed by `=`; blanks after `=` are skipped.
 */
function contentLine(body: string, name: string): string {
  for (const line of body.split(/\r?\n/)) {
    if (line.length > name.length && line.slice(0, name.length).toLowerCase() === name.toLowerCase() && line[name.length] === '=') {
      return line.slice(name.length + 1).trimStart();
    }
  }
  return '';
}

/** The RFC 4733 event number of a signal (chan_sip handle_request_info()); undefined when unreadable. */
function eventOf(signal: string): number | undefined {
  const first = signal[0] ?? '';
  if (first === '*') return 10;
  if (first === '#') return 11;
  if (first === '!') return 16;
  if (/[A-D]/i.test(first)) return 12 + first.toUpperCase().charCodeAt(0) - 'A'.charCodeAt(0);
  const match = /^\s*\+?(\d+)/.exec(signal);
  if (match === null) return undefined;
  const event = Number(match[1]);
  return event <= 16 ? event : undefined;
}

/** The digit of an RFC 4733 event number 0-15. */
function digitOf(event: number): string {
  if (event < 10) return String(event);
  if (event === 10) return '*';
  if (event === 11) return '#';
  return String.fromCharCode('A'.charCodeAt(0) + event - 12);
}

/**
 * The DTMF of an INFO with `application/dtmf-relay` or `application/vnd.nortelnetworks.digits`
 * (`Signal=` or `d=`, with `Duration=`), or `application/dtmf` (the body is the signal), read
 * as chan_sip (Asterisk 20: handle_request_info()) reads it. Undefined when there is nothing to
 * act on (chan_sip still answers 200).
 */
export function dtmfFromInfo(request: SipRequest): InfoDtmfEvent | undefined {
  const type = request.contentType?.mediaType ?? '';
  if (!DTMF_TYPES.has(type)) return undefined;
  const body = request.bodyText;
  let signal: string;
  let durationMs = 0;
  if (type === 'application/dtmf') {
    signal = body;
  } else {
    signal = contentLine(body, 'Signal') || contentLine(body, 'd');
    const duration = /^\+?(\d+)/.exec(contentLine(body, 'Duration'));
    if (duration !== null) durationMs = Math.min(Number(duration[1]), 2 ** 32 - 1);
  }
  if (signal === '') return undefined;
  const event = eventOf(signal);
  if (event === undefined) return undefined;
  if (event === 16) return { flash: true };
  return { digit: digitOf(event), durationMs: durationMs === 0 ? DEFAULT_DURATION_MS : durationMs };
}

/**
 * The body of an INFO that sends a digit (chan_sip (Asterisk 20): add_digit()):
 * `application/dtmf-relay` with `Signal=` and `Duration=` (Cisco's form, dtmfmode=info), or
 * `application/dtmf` with the event number (dtmfmode=shortinfo).
 */
export function infoDtmfBody(digit: string, durationMs: number, short: boolean): { readonly type: string; readonly body: string } {
  if (short) {
    const event = eventOf(digit);
    return { type: 'application/dtmf', body: `${event !== undefined && event < 16 ? event : 0}\r\n` };
  }
  return { type: 'application/dtmf-relay', body: `Signal=${digit}\r\nDuration=${Math.max(0, Math.round(durationMs))}\r\n` };
}
