import { createHash, timingSafeEqual } from 'node:crypto';
import { SipError } from '../sip-error.js';
import { parseAuthHeader, type AuthHeader } from '../message/auth-header.js';
import { randomHex } from '../message/random-ids.js';
import type { SipResponse } from '../message/sip-message.js';

/** Lower-case hex MD5 of a UTF-8 string. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** HA1 = MD5(username:realm:secret) (RFC 2617 §3.2.2.2); also what sip.conf `md5secret` holds. */
export function digestHa1(username: string, realm: string, secret: string): string {
  return md5Hex(`${username}:${realm}:${secret}`);
}

/** Inputs of {@link digestResponse}. */
export interface DigestResponseInput {
  readonly ha1: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  /** With qop=auth: the client nonce and the 8-hex nonce count. */
  readonly qop?: { readonly cnonce: string; readonly nc: string };
}

/** The digest `response` value (RFC 2617 §3.2.2.1; without qop it is the RFC 2069 form). */
export function digestResponse(input: DigestResponseInput): string {
  const ha2 = md5Hex(`${input.method}:${input.uri}`);
  return input.qop === undefined
    ? md5Hex(`${input.ha1}:${input.nonce}:${ha2}`)
    : md5Hex(`${input.ha1}:${input.nonce}:${input.qop.nc}:${input.qop.cnonce}:auth:${ha2}`);
}

/** A fresh nonce in chan_sip's shape: 8 hex digits (chan_sip: build_nonce()). */
export function generateNonce(): string {
  return randomHex(4);
}

/** What a challenge carries. */
export interface DigestChallengeInit {
  readonly realm: string;
  readonly nonce: string;
  /** The credentials were right but the nonce was not current (`, stale=true`). */
  readonly stale?: boolean;
}

/**
 * A WWW-Authenticate / Proxy-Authenticate value exactly as chan_sip writes it
 * (`transmit_response_with_auth()`): `Digest algorithm=MD5, realm="asterisk", nonce="1a2b3c4d"`,
 * no qop, no opaque, `, stale=true` when stale.
 */
export function formatDigestChallenge(init: DigestChallengeInit): string {
  return `Digest algorithm=MD5, realm="${init.realm}", nonce="${init.nonce}"${init.stale === true ? ', stale=true' : ''}`;
}

/**
 * The verdict of {@link verifyDigestCredentials}, mapped to chan_sip's answers (`check_auth()`):
 * `ok` (accept), `stale` (right hash on an old nonce: 401 with `stale=true`), `retry` (wrong nonce
 * and wrong hash: a new 401), `wrong-password` (current nonce, wrong hash: 403).
 */
export type DigestVerdict = 'ok' | 'stale' | 'retry' | 'wrong-password';

/** Inputs of {@link verifyDigestCredentials}. */
export interface DigestVerifyInput {
  /** The Authorization / Proxy-Authorization value, raw or parsed. */
  readonly credentials: AuthHeader | string;
  readonly method: string;
  /** The Request-URI, used when the credentials carry no `uri=`. */
  readonly requestUri: string;
  /** The name HA1 is computed with: chan_sip uses the device name. */
  readonly username: string;
  readonly realm: string;
  /** The plain secret, or `md5secret` (HA1) below. */
  readonly secret?: string;
  readonly md5secret?: string;
  /** The nonce we issued and that has not been answered yet; `undefined` when none is current. */
  readonly expectedNonce: string | undefined;
}

/**
 * Checks digest credentials the way chan_sip does: HA2 = MD5(method:uri), response =
 * MD5(HA1:nonce:HA2) computed with the nonce the client used; qop, cnonce and nc are ignored
 * (chan_sip never offers qop); the response is compared case-insensitively.
 */
export function verifyDigestCredentials(input: DigestVerifyInput): DigestVerdict {
  const credentials = typeof input.credentials === 'string' ? parseAuthHeader(input.credentials) : input.credentials;
  const usedNonce = credentials.params['nonce'] ?? '';
  const nonceIsCurrent = input.expectedNonce !== undefined && usedNonce.toLowerCase() === input.expectedNonce.toLowerCase();
  const ha1 = input.md5secret !== undefined && input.md5secret.length > 0 ? input.md5secret.toLowerCase() : undefined;
  if (ha1 === undefined && input.secret === undefined) {
    throw new SipError('invalid-argument', 'verifyDigestCredentials needs a secret or an md5secret');
  }
  const expected = digestResponse({
    ha1: ha1 ?? digestHa1(input.username, input.realm, input.secret ?? ''),
    nonce: usedNonce,
    method: input.method,
    uri: credentials.params['uri'] || input.requestUri,
  });
  // Compared as bytes: a response with non-ASCII characters has more bytes than characters.
  const given = Buffer.from((credentials.params['response'] ?? '').toLowerCase());
  const wanted = Buffer.from(expected);
  const goodResponse = given.length === wanted.length && timingSafeEqual(given, wanted);
  if (nonceIsCurrent) return goodResponse ? 'ok' : 'wrong-password';
  return goodResponse ? 'stale' : 'retry';
}

/** Inputs of {@link createDigestAuthorization}. */
export interface DigestAuthorizationInput {
  /** The challenge to answer (from {@link selectDigestChallenge}). */
  readonly challenge: AuthHeader;
  readonly method: string;
  /** Request-URI of the request being authorised. */
  readonly requestUri: string;
  /** Use `sips:` for a challenge `domain=` (TLS), as chan_sip does. */
  readonly secure?: boolean;
  readonly username: string;
  readonly secret?: string;
  readonly md5secret?: string;
  /** How many times this nonce has been used, including this one (1 for the first). */
  readonly nonceCount?: number;
  /** Client nonce; a fresh 8-hex value by default. */
  readonly cnonce?: string;
}

/**
 * An Authorization / Proxy-Authorization value in chan_sip's format (`build_reply_digest()`):
 * `Digest username="..", realm="..", algorithm=MD5, uri="..", nonce="..", response=".."` then
 * `, opaque=".."` when the challenge had one and `, qop=auth, cnonce="..", nc=0000000N` when it
 * offered qop. The digest uri is `sip:<domain>` when the challenge names a domain, else the
 * Request-URI.
 */
export function createDigestAuthorization(input: DigestAuthorizationInput): string {
  const { params } = input.challenge;
  const realm = params['realm'] ?? '';
  const nonce = params['nonce'] ?? '';
  const domain = params['domain'];
  const uri = domain !== undefined && domain.length > 0 ? `${input.secure === true ? 'sips' : 'sip'}:${domain}` : input.requestUri;
  const ha1 =
    input.md5secret !== undefined && input.md5secret.length > 0
      ? input.md5secret.toLowerCase()
      : digestHa1(input.username, realm, input.secret ?? '');
  const qopOffered = (params['qop'] ?? '').length > 0;
  const cnonce = input.cnonce ?? randomHex(4);
  const nc = (input.nonceCount ?? 1).toString(16).padStart(8, '0');
  const response = digestResponse({ ha1, nonce, method: input.method, uri, ...(qopOffered ? { qop: { cnonce, nc } } : {}) });
  const opaque = params['opaque'];
  let text = `Digest username="${input.username}", realm="${realm}", algorithm=MD5, uri="${uri}", nonce="${nonce}", response="${response}"`;
  if (opaque !== undefined && opaque.length > 0) text += `, opaque="${opaque}"`;
  if (qopOffered) text += `, qop=auth, cnonce="${cnonce}", nc=${nc}`;
  return text;
}

/**
 * The challenge to answer in a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate): the first
 * Digest challenge whose algorithm is MD5 or absent (chan_sip: `reply_digest()`), with the
 * header name the answer goes in. `undefined` when there is none.
 */
export function selectDigestChallenge(
  response: SipResponse,
): { readonly challenge: AuthHeader; readonly authorizationHeader: 'Authorization' | 'Proxy-Authorization' } | undefined {
  const proxy = response.status === 407;
  const values = response.headers.getAll(proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate');
  for (const value of values) {
    const challenge = parseAuthHeader(value);
    const algorithm = challenge.params['algorithm'];
    if (challenge.scheme.toLowerCase() !== 'digest') continue;
    if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') continue;
    return { challenge, authorizationHeader: proxy ? 'Proxy-Authorization' : 'Authorization' };
  }
  return undefined;
}
