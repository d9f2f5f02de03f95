import { SipError } from '../sip-error.js';
import { findClosingQuote, parseParamList, splitCommaList } from '../internal/scan.js';
import { formatParams, getParam, quote, setParam, unquote, type GenericParam } from './generic-param.js';
import { cloneUri, formatUri, parseUri, type SipUri } from './sip-uri.js';

/**
 * A name-addr or addr-spec with header parameters (RFC 3261 §20.10, §25.1): the value of
 * From, To, Contact, Route, Record-Route, Path, Refer-To, P-Asserted-Identity, ...
 */
export interface NameAddr {
  /** Display name without its quotes and escapes; absent when none was written. */
  displayName?: string;
  uri: SipUri;
  /** Header parameters after the URI (`;tag=...`, `;expires=...`, `;lr` on addr-spec forms). */
  params: GenericParam[];
}

/**
 * Parses one name-addr. Lenient like chan_sip's `get_in_brackets()`: a missing `>` takes the
 * rest of the value as the URI.
 * @throws {@link SipError} `invalid-header` for an unterminated quoted display name, or
 * `invalid-uri` when the URI is not sip/sips/tel.
 */
export function parseNameAddr(text: string): NameAddr {
  let rest = text.trim();
  let displayName: string | undefined;
  if (rest.startsWith('"')) {
    const close = findClosingQuote(rest, 0);
    if (close < 0) throw new SipError('invalid-header', `Unterminated quoted string in '${text}'`);
    displayName = unquote(rest.slice(0, close + 1));
    rest = rest.slice(close + 1).trim();
  }
  const open = rest.indexOf('<');
  let uriText: string;
  let paramsText = '';
  if (open >= 0) {
    const token = rest.slice(0, open).trim();
    if (displayName === undefined && token.length > 0) displayName = token;
    const close = rest.indexOf('>', open);
    if (close < 0) {
      uriText = rest.slice(open + 1);
    } else {
      uriText = rest.slice(open + 1, close);
      paramsText = rest.slice(close + 1);
    }
  } else {
    const semicolon = rest.indexOf(';');
    uriText = semicolon < 0 ? rest : rest.slice(0, semicolon);
    paramsText = semicolon < 0 ? '' : rest.slice(semicolon);
  }
  const nameAddr: NameAddr = { uri: parseUri(uriText), params: parseHeaderParams(paramsText) };
  if (displayName !== undefined) nameAddr.displayName = displayName;
  return nameAddr;
}

function parseHeaderParams(text: string): GenericParam[] {
  const trimmed = text.trim();
  if (trimmed.startsWith(';')) return parseParamList(trimmed.slice(1));
  // chan_sip (Asterisk 20) gettag(): the tag is whatever follows the first ";tag=" of the
  // header, even after stray text behind the URI (sipp's uas scenario writes such a To).
  const tag = /;\s*tag\s*=/i.exec(trimmed);
  return tag === null ? [] : parseParamList(trimmed.slice(tag.index + 1));
}

/** Parses a comma-separated list of name-addrs (Contact, Route, Record-Route, Path, PAI). */
export function parseNameAddrList(text: string): NameAddr[] {
  return splitCommaList(text).map(parseNameAddr);
}

/**
 * Writes a name-addr the way chan_sip does: a quoted display name when present, the URI
 * always in angle brackets, then the header parameters.
 */
export function formatNameAddr(nameAddr: NameAddr): string {
  const name = nameAddr.displayName === undefined ? '' : `${quote(nameAddr.displayName)} `;
  return `${name}<${formatUri(nameAddr.uri)}>${formatParams(nameAddr.params)}`;
}

/** The `tag` parameter, or `undefined`. */
export function getTag(nameAddr: NameAddr): string | undefined {
  return getParam(nameAddr.params, 'tag') ?? undefined;
}

/** A copy of `nameAddr` with its `tag` parameter set. */
export function withTag(nameAddr: NameAddr, tag: string): NameAddr {
  const copy = cloneNameAddr(nameAddr);
  setParam(copy.params, 'tag', tag);
  return copy;
}

/** A deep copy of `nameAddr`. */
export function cloneNameAddr(nameAddr: NameAddr): NameAddr {
  const copy: NameAddr = { uri: cloneUri(nameAddr.uri), params: nameAddr.params.map((param) => ({ ...param })) };
  if (nameAddr.displayName !== undefined) copy.displayName = nameAddr.displayName;
  return copy;
}

/**
 * True when the value has a quoted display name that never closes (chan_sip answers such a
 * request 416, reference §10.13).
 */
export function hasUnterminatedQuote(text: string): boolean {
  const trimmed = text.trim();
  const open = trimmed.indexOf('"');
  const bracket = trimmed.indexOf('<');
  if (open < 0 || (bracket >= 0 && bracket < open)) return false;
  return findClosingQuote(trimmed, open) < 0;
}
