import { SipError } from '../sip-error.js';
import { splitTopLevel } from '../internal/scan.js';
import { unquote } from './generic-param.js';

/**
 * A WWW-Authenticate, Proxy-Authenticate, Authorization or Proxy-Authorization value
 * (RFC 3261 §25.1 challenge/credentials): the scheme and its parameters, with names in lower
 * case and quoted values unquoted.
 */
export interface AuthHeader {
  /** Scheme as written, e.g. `Digest`. */
  scheme: string;
  /** Parameters by lower-case name (`realm`, `nonce`, `username`, `response`, `qop`, ...). */
  params: Record<string, string>;
}

/**
 * Parses an authentication header value.
 * @throws {@link SipError} `invalid-header` when there is no scheme.
 */
export function parseAuthHeader(text: string): AuthHeader {
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(text);
  if (!match) throw new SipError('invalid-header', `Bad authentication header '${text}'`);
  const params: Record<string, string> = {};
  for (const part of splitTopLevel(match[2] ?? '', ',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (name.length > 0 && !(name in params)) params[name] = unquote(part.slice(eq + 1).trim());
  }
  return { scheme: match[1] ?? '', params };
}
