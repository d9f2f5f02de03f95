/** A parsed `Session-Expires` header (RFC 4028 §4). */
export interface SessionExpires {
  /** Seconds (as sscanf("%d") reads it: may be 0 or negative for odd input). */
  readonly interval: number;
  /** The `refresher` parameter, when present. */
  readonly refresher: 'uac' | 'uas' | undefined;
}

/** sscanf("%30d") on a token: the leading integer, or undefined when there is none. */
function leadingInteger(text: string): number | undefined {
  const match = /^[+-]?\d{1,30}/.exec(text.trimStart());
  if (match === null) return undefined;
  const value = Number.parseInt(match[0], 10);
  // %d stores a C int: clamp what does not fit rather than wrap.
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, value));
}

/**
 * Parses `Session-Expires` the way chan_sip does (Asterisk 20: parse_session_expires()): the
 * first `;`-separated token is the interval; a parameter list must start with `refresher=uac`
 * or `refresher=uas` (anything after it is ignored), and any other parameter before it is read
 * as a number and so makes the header invalid. Undefined = invalid (chan_sip answers 400).
 */
export function parseSessionExpires(value: string): SessionExpires | undefined {
  let rest: string | undefined = value.trimStart();
  let interval = 0;
  while (rest !== undefined) {
    const semicolon = rest.indexOf(';');
    const token = (semicolon < 0 ? rest : rest.slice(0, semicolon)).trimStart();
    rest = semicolon < 0 ? undefined : rest.slice(semicolon + 1);
    if (token !== '') {
      const number = leadingInteger(token);
      if (number === undefined) return undefined;
      interval = number;
    }
    if (rest === undefined) break;
    rest = rest.trimStart();
    if (/^refresher=/i.test(rest)) {
      const refresher = rest.slice('refresher='.length).trimStart().slice(0, 3).toLowerCase();
      if (refresher !== 'uac' && refresher !== 'uas') return undefined;
      return { interval, refresher };
    }
  }
  return { interval, refresher: undefined };
}

/**
 * Parses `Min-SE` (Asterisk 20: parse_minse()): the leading integer; undefined when there is
 * none (chan_sip answers 400).
 */
export function parseMinSe(value: string): number | undefined {
  return leadingInteger(value);
}
