import type { SipRequest } from '@tandem/sip';
import { atoi } from '../internal/ip-address.js';

/** What chan_sip's parse_register_contact() reads from a REGISTER before acting. */
export interface RegisterContactInput {
  /** The first Contact's URI (inside `<>`, or up to the first `;` without brackets); '' when none. */
  readonly contactUri: string;
  /** True when a Contact is `*`. */
  readonly wildcard: boolean;
  /** More than one Contact header line. */
  readonly severalContacts: boolean;
  /** The requested expiry after clamping; see `expiryGiven`. */
  readonly expiry: number;
  /** An Expires header or a Contact `;expires=` was present. */
  readonly expiryGiven: boolean;
}

/** chan_sip get_in_brackets(): the text inside the first `<...>` outside quotes, else all of it. */
export function inBrackets(text: string): string {
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"' && text[index - 1] !== '\\') quoted = !quoted;
    if (char === '<' && !quoted) {
      const close = text.indexOf('>', index + 1);
      return (close < 0 ? text.slice(index + 1) : text.slice(index + 1, close)).trim();
    }
  }
  return text.trim();
}

/** The URI of one Contact line as chan_sip takes it: header params dropped without brackets. */
export function contactLineUri(line: string): string {
  const trimmed = line.trim();
  if (!trimmed.includes('<')) {
    const semicolon = trimmed.indexOf(';');
    return (semicolon < 0 ? trimmed : trimmed.slice(0, semicolon)).trim();
  }
  return inBrackets(trimmed);
}

/**
 * Reads Expires and Contact the way chan_sip does (parse_register_contact(), Asterisk 20):
 * `Expires` (atoi), else `;expires=` anywhere in the first Contact line, else `defaultexpiry`;
 * then `> maxexpiry` becomes maxexpiry and `0 < e < minexpiry` becomes minexpiry (no 423).
 */
export function readRegisterContact(
  request: SipRequest,
  limits: { readonly defaultExpiry: number; readonly minExpiry: number; readonly maxExpiry: number },
): RegisterContactInput {
  const lines = request.headers.getAll('Contact').map((line) => line.trim());
  const firstLine = lines[0] ?? '';
  const expiresHeader = request.headers.get('Expires')?.trim() ?? '';
  let expiry: number;
  let expiryGiven = expiresHeader !== '';
  if (expiryGiven) {
    expiry = atoi(expiresHeader);
  } else {
    const at = firstLine.toLowerCase().indexOf(';expires=');
    if (at >= 0) {
      expiryGiven = true;
      const match = /^\s*([+-]?\d+)/.exec(firstLine.slice(at + 9));
      expiry = match?.[1] === undefined ? limits.defaultExpiry : Number.parseInt(match[1], 10);
    } else {
      expiry = limits.defaultExpiry;
    }
  }
  if (expiry > limits.maxExpiry) expiry = limits.maxExpiry;
  if (expiry < limits.minExpiry && expiry !== 0) expiry = limits.minExpiry;
  const uris = lines.map(contactLineUri);
  return {
    contactUri: uris[0] ?? '',
    wildcard: uris.some((uri) => uri === '*'),
    severalContacts: lines.length > 1,
    expiry,
    expiryGiven,
  };
}
