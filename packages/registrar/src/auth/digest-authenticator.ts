import {
  formatDigestChallenge,
  generateNonce,
  generateTag,
  parseAuthHeader,
  verifyDigestCredentials,
  type AuthHeader,
  type SipRequest,
  type SipResponse,
} from '@tandem/sip';
import { chanSipResponse } from '../internal/chan-sip-response.js';

/** The device whose credentials a request must prove. */
export interface DigestCredentials {
  /** The device name: the digest `username=` must equal it, and HA1 is computed with it. */
  readonly username: string;
  readonly secret: string;
  /** HA1 in hex (`md5secret=`); used instead of `secret` when set. */
  readonly md5secret: string;
  /**
   * A stand-in for a device that does not exist (chan_sip's bogus peer, `alwaysauthreject`):
   * challenged exactly like a real device, never accepted, any digest username allowed.
   */
  readonly bogus?: boolean;
}

/** Builds a response to `request` (the caller decides Server, tags, rport...). */
export type ResponseFactory = (request: SipRequest, status: number, reason: string) => SipResponse;

/** The result of `DigestAuthenticator.check()` (chan_sip check_auth()). */
export type DigestCheck =
  | { readonly outcome: 'authenticated' }
  /** Send `response` (401 with WWW-Authenticate: a new challenge, a stale one, or a retransmission's). */
  | { readonly outcome: 'challenged'; readonly response: SipResponse }
  /** Right nonce, wrong hash (AUTH_SECRET_FAILED): `response` is the 403 chan_sip sends. */
  | { readonly outcome: 'wrong-password'; readonly response: SipResponse }
  /** Digest username differs from the device name (AUTH_USERNAME_MISMATCH); the caller answers. */
  | { readonly outcome: 'username-mismatch'; readonly digestUsername: string };

/** The answer chan_sip's transmit_fake_auth_response() gives. */
export interface FakeAuthAnswer {
  readonly outcome: 'challenged' | 'rejected';
  readonly response: SipResponse;
}

/** How a `DigestAuthenticator` behaves. */
export interface DigestAuthenticatorOptions {
  /** `realm=` of sip.conf (default `asterisk`). */
  readonly realm: string;
  /**
   * With `domainsasrealm=yes`: the local domains; a request whose From (then To) domain is
   * one of them is challenged with that domain as realm (chan_sip get_realm()).
   */
  readonly domainsAsRealm?: readonly string[];
  /** The `Server:` header of default responses (`useragent=`). */
  readonly userAgent?: string;
  /** `session-timers=refuse`: no `timer` in Supported. */
  readonly timerSupported?: boolean;
  /** How long a dialog's nonce lives after its last use (chan_sip destroys it 32 s later). */
  readonly dialogLifetimeMs?: number;
}

interface DialogAuthState {
  nonce: string;
  /** The nonce has been answered once (chan_sip `stalenonce`): it cannot be used again. */
  answered: boolean;
  realm: string;
  tag: string;
  lastCseq: number | undefined;
  lastMethod: string;
  lastUsed: number;
}

/**
 * chan_sip's server-side digest authentication (check_auth(), Asterisk 20) for any request:
 * `401` with `WWW-Authenticate: Digest algorithm=MD5, realm="...", nonce="<8 hex>"` (no qop,
 * no opaque); one nonce per dialog (Call-ID), usable once; a right hash on an old nonce gets
 * `stale=true`; a wrong nonce with a wrong hash gets a new challenge; the current nonce with
 * a wrong hash is a wrong password (403); a retransmission gets the same challenge.
 */
export class DigestAuthenticator {
  readonly #options: DigestAuthenticatorOptions;
  readonly #dialogs = new Map<string, DialogAuthState>();
  readonly #lifetimeMs: number;

  constructor(options: DigestAuthenticatorOptions) {
    this.#options = options;
    this.#lifetimeMs = options.dialogLifetimeMs ?? 32_000;
  }

  /** Dialogs with a live nonce (for tests and memory accounting). */
  get dialogCount(): number {
    this.#sweep(Date.now());
    return this.#dialogs.size;
  }

  /** The To tag of this request's dialog (chan_sip `p->tag`): stable across 401 and 200. */
  dialogTag(request: SipRequest): string {
    return this.#state(request).tag;
  }

  /** The realm this request is challenged with. */
  realmFor(request: SipRequest): string {
    return this.#state(request).realm;
  }

  /** Checks `request` against `credentials`; see `DigestCheck`. */
  check(request: SipRequest, credentials: DigestCredentials, respond?: ResponseFactory): DigestCheck {
    // check_auth(): "Always OK if no secret".
    if (credentials.bogus !== true && credentials.secret === '' && credentials.md5secret === '') {
      return { outcome: 'authenticated' };
    }
    const { state, retransmission, authorization, reply } = this.#begin(request, respond);
    if (authorization === undefined || state.nonce === '') {
      // A retransmission without credentials gets the same nonce; otherwise a fresh one.
      if (!(retransmission && state.nonce !== '')) newNonce(state);
      return { outcome: 'challenged', response: this.#challenge(request, state, false, reply) };
    }
    const parsed = safeParseAuth(authorization);
    const digestUsername = parsed.params['username'] ?? '';
    if (credentials.bogus !== true && digestUsername !== credentials.username) {
      return { outcome: 'username-mismatch', digestUsername };
    }
    const usedNonce = parsed.params['nonce'] ?? '';
    const wrongNonce = usedNonce.toLowerCase() !== state.nonce.toLowerCase() || state.answered;
    if (!wrongNonce) {
      state.answered = true;
    }
    const verdict = verifyDigestCredentials({
      credentials: parsed,
      method: request.method,
      requestUri: uriWithoutParams(request.uri),
      username: credentials.username,
      realm: state.realm,
      secret: credentials.secret,
      md5secret: credentials.md5secret,
      expectedNonce: wrongNonce ? undefined : state.nonce,
    });
    // The bogus peer's md5secret could be used to build a valid hash: never accept it.
    const goodResponse = credentials.bogus !== true && (verdict === 'ok' || verdict === 'stale');
    if (wrongNonce) {
      if (goodResponse) {
        // build_nonce(p, 0): a new nonce only when the current one was already answered.
        if (state.answered || state.nonce === '') newNonce(state);
        return { outcome: 'challenged', response: this.#challenge(request, state, true, reply) };
      }
      if (!retransmission) newNonce(state);
      return { outcome: 'challenged', response: this.#challenge(request, state, false, reply) };
    }
    if (goodResponse) {
      return { outcome: 'authenticated' };
    }
    return { outcome: 'wrong-password', response: reply(request, 403, 'Forbidden') };
  }

  /**
   * The answer for a device that must not be revealed as unknown or misconfigured
   * (chan_sip transmit_fake_auth_response()): a 401 challenge, then 403 for any answer to
   * the current nonce, exactly as a real device with a wrong password gets.
   */
  rejectLikeWrongPassword(request: SipRequest, respond?: ResponseFactory): FakeAuthAnswer {
    const { state, retransmission, authorization, reply } = this.#begin(request, respond);
    if (authorization === undefined || state.nonce === '') {
      // A retransmission without credentials gets the same nonce; otherwise a fresh one.
      if (!(retransmission && state.nonce !== '')) newNonce(state);
      return { outcome: 'challenged', response: this.#challenge(request, state, false, reply) };
    }
    const usedNonce = safeParseAuth(authorization).params['nonce'] ?? '';
    if (usedNonce.toLowerCase() !== state.nonce.toLowerCase()) {
      if (!retransmission) newNonce(state);
      return { outcome: 'challenged', response: this.#challenge(request, state, false, reply) };
    }
    return { outcome: 'rejected', response: reply(request, 403, 'Forbidden') };
  }

  #begin(
    request: SipRequest,
    respond: ResponseFactory | undefined,
  ): { state: DialogAuthState; retransmission: boolean; authorization: string | undefined; reply: ResponseFactory } {
    const state = this.#state(request);
    return {
      state,
      retransmission: this.#isRetransmission(state, request),
      authorization: request.headers.get('Authorization'),
      reply: respond ?? this.#defaultResponse(state),
    };
  }

  #challenge(request: SipRequest, state: DialogAuthState, stale: boolean, reply: ResponseFactory): SipResponse {
    const response = reply(request, 401, 'Unauthorized');
    response.headers.add('WWW-Authenticate', formatDigestChallenge({ realm: state.realm, nonce: state.nonce, stale }));
    return response;
  }

  #defaultResponse(state: DialogAuthState): ResponseFactory {
    return (request, status, reason) =>
      chanSipResponse(request, status, reason, {
        toTag: state.tag,
        userAgent: this.#options.userAgent ?? '',
        timerSupported: this.#options.timerSupported ?? true,
      });
  }

  // chan_sip marks a request whose CSeq equals the dialog's last one as a retransmission
  // (req->ignore).
  #isRetransmission(state: DialogAuthState, request: SipRequest): boolean {
    let seq: number | undefined;
    try {
      seq = request.cseq.seq;
    } catch {
      seq = undefined;
    }
    const retransmission = seq !== undefined && seq === state.lastCseq && request.method === state.lastMethod;
    state.lastCseq = seq;
    state.lastMethod = request.method;
    return retransmission;
  }

  #state(request: SipRequest): DialogAuthState {
    const now = Date.now();
    this.#sweep(now);
    const key = request.headers.get('Call-ID')?.trim() ?? '';
    let state = this.#dialogs.get(key);
    if (state === undefined) {
      state = { nonce: '', answered: false, realm: this.#realm(request), tag: generateTag(), lastCseq: undefined, lastMethod: '', lastUsed: now };
    } else {
      this.#dialogs.delete(key);
    }
    state.lastUsed = now;
    this.#dialogs.set(key, state);
    return state;
  }

  #sweep(now: number): void {
    for (const [key, state] of this.#dialogs) {
      if (now - state.lastUsed < this.#lifetimeMs) break;
      this.#dialogs.delete(key);
    }
  }

  // chan_sip get_realm().
  #realm(request: SipRequest): string {
    const domains = this.#options.domainsAsRealm;
    if (domains !== undefined && domains.length > 0) {
      for (const header of ['From', 'To']) {
        const host = hostOf(request.headers.get(header));
        if (host !== undefined && domains.some((domain) => domain.toLowerCase() === host.toLowerCase())) return host;
      }
    }
    return this.#options.realm;
  }
}

// A malformed Authorization counts as one without the keys (chan_sip's parser finds none).
function safeParseAuth(text: string): AuthHeader {
  try {
    return parseAuthHeader(text);
  } catch {
    return { scheme: '', params: {} };
  }
}

function newNonce(state: DialogAuthState): void {
  state.nonce = generateNonce();
  state.answered = false;
}

// chan_sip terminate_uri(): the digest uri defaults to the Request-URI up to ';' or space.
function uriWithoutParams(uri: string): string {
  const end = uri.search(/[; ]/);
  return end < 0 ? uri : uri.slice(0, end);
}

function hostOf(headerValue: string | undefined): string | undefined {
  if (headerValue === undefined) return undefined;
  const match = /sips?:(?:[^@>;]*@)?(\[[^\]]+\]|[^:;>]+)/i.exec(headerValue);
  return match?.[1];
}
