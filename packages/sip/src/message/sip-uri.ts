import { SipError } from '../sip-error.js';
import { parseParamList } from '../internal/scan.js';
import { formatParams, type GenericParam } from './generic-param.js';

/** URI schemes Tandem understands, as chan_sip does (`sip:,sips:,tel:`). */
export type UriScheme = 'sip' | 'sips' | 'tel';

/**
 * A `sip:`, `sips:` or `tel:` URI (RFC 3261 §19.1, RFC 3966). Parts keep the text written on
 * the wire (percent-escapes are not decoded) so `formatUri(parseUri(s))` round-trips.
 * For `tel:` the number is in `user` and `host` is empty.
 */
export interface SipUri {
  scheme: UriScheme;
  /** User part (or the tel: number) as written; absent for `sip:host`. */
  user?: string;
  /** Password after `user:` (deprecated by RFC 3261 but still parsed). */
  password?: string;
  /** Host as written: a name, an IPv4 address or a bracketed IPv6 reference `[::1]`. */
  host: string;
  port?: number;
  /** Ordered URI parameters (`;transport=tcp;lr`). */
  params: GenericParam[];
  /** Ordered URI headers (`?Replaces=...&X=y`). */
  headers: GenericParam[];
}

const schemes: Record<string, UriScheme> = { sip: 'sip', sips: 'sips', tel: 'tel' };

/** Parses a URI; returns `undefined` instead of throwing when it is not a valid sip/sips/tel URI. */
export function tryParseUri(text: string): SipUri | undefined {
  try {
    return parseUri(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses a `sip:`, `sips:` or `tel:` URI.
 * @throws {@link SipError} `invalid-uri` for another scheme, an empty host or a bad port.
 */
export function parseUri(text: string): SipUri {
  const input = text.trim();
  const colon = input.indexOf(':');
  const scheme = colon > 0 ? schemes[input.slice(0, colon).toLowerCase()] : undefined;
  if (scheme === undefined) throw new SipError('invalid-uri', `Unsupported URI scheme in '${text}'`);
  const rest = input.slice(colon + 1);
  if (/\s/.test(rest)) throw new SipError('invalid-uri', `Whitespace inside URI '${text}'`);
  return scheme === 'tel' ? parseTelUri(rest, text) : parseSipUri(scheme, rest, text);
}

function parseTelUri(rest: string, original: string): SipUri {
  const semicolon = rest.indexOf(';');
  const number = semicolon < 0 ? rest : rest.slice(0, semicolon);
  if (number.length === 0) throw new SipError('invalid-uri', `Empty number in '${original}'`);
  const params = semicolon < 0 ? [] : parseParamList(rest.slice(semicolon + 1));
  return { scheme: 'tel', user: number, host: '', params, headers: [] };
}

function parseSipUri(scheme: UriScheme, rest: string, original: string): SipUri {
  const uri: SipUri = { scheme, host: '', params: [], headers: [] };
  let hostPart = rest;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userInfo = rest.slice(0, at);
    hostPart = rest.slice(at + 1);
    const passwordColon = userInfo.indexOf(':');
    if (passwordColon >= 0) {
      uri.user = userInfo.slice(0, passwordColon);
      uri.password = userInfo.slice(passwordColon + 1);
    } else {
      uri.user = userInfo;
    }
  }
  let index = 0;
  if (hostPart.startsWith('[')) {
    const close = hostPart.indexOf(']');
    if (close < 0) throw new SipError('invalid-uri', `Unterminated IPv6 reference in '${original}'`);
    index = close + 1;
  } else {
    while (index < hostPart.length && !':;?'.includes(hostPart[index] ?? '')) index++;
  }
  uri.host = hostPart.slice(0, index);
  if (uri.host.length === 0 || uri.host === '[]') throw new SipError('invalid-uri', `Missing host in '${original}'`);
  if (hostPart[index] === ':') {
    const portStart = index + 1;
    index = portStart;
    while (index < hostPart.length && !';?'.includes(hostPart[index] ?? '')) index++;
    const portText = hostPart.slice(portStart, index);
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
      throw new SipError('invalid-uri', `Bad port '${portText}' in '${original}'`);
    }
    uri.port = Number(portText);
  }
  const question = hostPart.indexOf('?', index);
  const paramsText = hostPart.slice(index, question < 0 ? undefined : question);
  if (paramsText.startsWith(';')) uri.params = parseParamList(paramsText.slice(1));
  else if (paramsText.length > 0) throw new SipError('invalid-uri', `Unexpected '${paramsText}' in '${original}'`);
  if (question >= 0) uri.headers = parseParamList(hostPart.slice(question + 1), '&');
  return uri;
}

/** Writes a URI in its wire form. */
export function formatUri(uri: SipUri): string {
  if (uri.scheme === 'tel') return `tel:${uri.user ?? ''}${formatParams(uri.params)}`;
  let text = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    text += uri.password === undefined ? `${uri.user}@` : `${uri.user}:${uri.password}@`;
  }
  text += uri.host;
  if (uri.port !== undefined) text += `:${uri.port}`;
  text += formatParams(uri.params);
  if (uri.headers.length > 0) text += `?${formatParams(uri.headers, '&')}`;
  return text;
}

/** A deep copy of `uri` (params and headers arrays are new). */
export function cloneUri(uri: SipUri): SipUri {
  return {
    ...uri,
    params: uri.params.map((param) => ({ ...param })),
    headers: uri.headers.map((header) => ({ ...header })),
  };
}

/** The host without IPv6 brackets, as a socket API wants it (`[::1]` → `::1`). */
export function uriHostAddress(uri: Pick<SipUri, 'host'>): string {
  return uri.host.startsWith('[') && uri.host.endsWith(']') ? uri.host.slice(1, -1) : uri.host;
}

/** Writes `address` as a SIP host: IPv6 addresses get brackets (`::1` → `[::1]`). */
export function formatHost(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}
