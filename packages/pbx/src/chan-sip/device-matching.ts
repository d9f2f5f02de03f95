import type { SipGeneral } from '@tandem/config';
import type { DigestAuthenticator, Logger, Peer, PeerDirectory } from '@tandem/registrar';
import { createResponse, parseAuthHeader, type MessageSource, type SipRequest, type SipResponse } from '@tandem/sip';
import type { AuthFailureGuard } from './auth-failure-guard.js';
import type { NamedAclResolver } from './named-acls.js';
import { ALLOWED_METHODS, supportedExtensions } from './sip-constants.js';

/**
 * chan_sip's `enum check_auth_result` failure codes (channels/sip/include/sip.h), printed in
 * the `Failed to authenticate device ... code = N` NOTICE that fail2ban filters read.
 */
export const AUTH_FAILURE_CODES = {
  secretFailed: -1,
  usernameMismatch: -2,
  aclFailed: -7,
} as const;

/** Why a request was refused (a key of `AUTH_FAILURE_CODES`). */
export type AuthFailure = keyof typeof AUTH_FAILURE_CODES;

/** The outcome of matching and authenticating the sender of a request (chan_sip check_user_full()). */
export type CallerCheck =
  /** A device that passed its ACL and digest check, or a guest (`peer` undefined) when `allowguest=yes`. */
  | { readonly outcome: 'accepted'; readonly peer: Peer | undefined }
  /** A 401 challenge to send (a real device, or chan_sip's bogus peer with `alwaysauthreject`). */
  | { readonly outcome: 'challenged'; readonly response: SipResponse }
  /** Refused: the 403 to send; the NOTICE is logged and the failure counted for brute-force blocking. */
  | { readonly outcome: 'refused'; readonly response: SipResponse; readonly failure: AuthFailure };

/** What matching and authenticating a request needs from the SIP channel driver. */
export interface CallerMatching {
  /** sip.conf `[general]` in force. */
  readonly general: SipGeneral;
  readonly directory: PeerDirectory;
  readonly registrar: { readonly authenticator: DigestAuthenticator };
  readonly logger: Logger;
  readonly authFailures: AuthFailureGuard;
  readonly namedAcls: NamedAclResolver;
}

/** Whether a device is a user (matched by name) or any device (SUBSCRIBE matches any type by name). */
type NameMatch = 'user' | 'any';

/** The name chan_sip matches by: the From user (the From host when empty), or the digest username with match_auth_username. */
export function callerName(sip: CallerMatching, request: SipRequest): string {
  if (sip.general.matchAuthUsername) {
    const authorization = request.headers.get('Authorization') ?? request.headers.get('Proxy-Authorization');
    if (authorization !== undefined) {
      try {
        const username = parseAuthHeader(authorization).params['username'];
        if (username !== undefined && username !== '') return username;
      } catch {
        // Fall back to the From user.
      }
    }
  }
  const from = request.from.uri;
  const user = (from.user ?? '').split(';')[0] ?? '';
  if (user === '') return from.host.replace(/^\[|\]$/g, '');
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/** The Request-URI user, the key of chan_sip's callbackextension lookup. */
function requestUser(request: SipRequest): string {
  return (request.requestUri?.user ?? '').split(';')[0] ?? '';
}

/** A peer with `callbackextension` equal to the Request-URI user at the request's source (sip_find_peer_by_ip_and_exten()). */
function callbackPeer(sip: CallerMatching, exten: string, source: MessageSource): Peer | undefined {
  if (exten === '') return undefined;
  for (const peer of sip.directory.peers()) {
    if (peer.settings.callbackextension !== exten) continue;
    const target = peer.target();
    if (target !== undefined && target.address === source.remoteAddress && target.port === source.remotePort) return peer;
  }
  return undefined;
}

/**
 * Finds the device a request comes from (chan_sip check_peer_ok()): SUBSCRIBE matches any
 * device by name; other methods a user/friend by name, then a peer whose `callbackextension`
 * is the Request-URI user, then a peer by source address (realtime included). Realtime
 * lookups reject with a registrar error when the database is down.
 */
export async function findCaller(sip: CallerMatching, request: SipRequest, source: MessageSource): Promise<Peer | undefined> {
  const name = callerName(sip, request);
  const match: NameMatch = request.method.toUpperCase() === 'SUBSCRIBE' ? 'any' : 'user';
  let peer = name === '' ? undefined : await sip.directory.find(name, match);
  if (match === 'any') return peer;
  const exten = requestUser(request);
  peer ??= callbackPeer(sip, exten, source);
  peer ??= await sip.directory.findByAddressWithRealtime(source.remoteAddress, source.remotePort, source.transport, exten);
  if (peer !== undefined && !peer.settings.isPeer && !peer.settings.isUser) return undefined;
  return peer;
}

/** A response in chan_sip's layout with the dialog's To tag (the one its challenge used). */
function refusal(sip: CallerMatching, request: SipRequest): SipResponse {
  const response = createResponse(request, 403, 'Forbidden', { toTag: sip.registrar.authenticator.dialogTag(request) });
  response.headers.add('Server', sip.general.useragent);
  response.headers.add('Allow', ALLOWED_METHODS);
  response.headers.add('Supported', supportedExtensions(sip.general.deviceDefaults.sessionTimers.mode !== 'refuse'));
  return response;
}

/**
 * Logs chan_sip's NOTICE for a refused request (send_check_user_failure_response()), counts
 * the failure against the source address, and returns the refusal.
 */
function refuse(sip: CallerMatching, request: SipRequest, source: MessageSource, failure: AuthFailure, response?: SipResponse): CallerCheck {
  sip.logger.info(
    { asteriskLevel: 'NOTICE' },
    `Failed to authenticate device ${request.headers.get('From') ?? ''} for ${request.method.toUpperCase()}, code = ${AUTH_FAILURE_CODES[failure]}`,
  );
  sip.authFailures.recordFailure(source.remoteAddress);
  return { outcome: 'refused', response: response ?? refusal(sip, request), failure };
}

/**
 * Matches and authenticates the sender of an INVITE, SUBSCRIBE, or an OPTIONS/MESSAGE that
 * must be authenticated (chan_sip check_user_full(), reference §3.1): a device must pass its
 * ACL (named and realtime ACLs included) and, unless `insecure=invite` on an INVITE, the digest
 * check; an unknown sender is a guest with `allowguest=yes`, is challenged like a device with
 * a wrong password with `alwaysauthreject=yes` (chan_sip's bogus peer), and is refused
 * otherwise.
 */
export async function checkCaller(sip: CallerMatching, request: SipRequest, source: MessageSource): Promise<CallerCheck> {
  const general = sip.general;
  const peer = await findCaller(sip, request, source);
  const authenticator = sip.registrar.authenticator;
  if (peer === undefined) {
    if (general.allowguest) return { outcome: 'accepted', peer: undefined };
    if (!general.alwaysauthreject) return refuse(sip, request, source, 'secretFailed');
    // check_peer_ok(): the bogus peer follows the same code path as a real device.
    const check = authenticator.check(request, { username: '', secret: '', md5secret: '', bogus: true });
    if (check.outcome === 'challenged') return { outcome: 'challenged', response: check.response };
    return refuse(sip, request, source, 'secretFailed', check.outcome === 'wrong-password' ? check.response : undefined);
  }
  const allowed = await sip.namedAcls.allows(peer.settings.acl, source.remoteAddress);
  if (!allowed) return refuse(sip, request, source, 'aclFailed');
  if (request.method.toUpperCase() === 'INVITE' && peer.settings.insecure.invite) return { outcome: 'accepted', peer };
  const check = authenticator.check(request, { username: peer.name, secret: peer.settings.secret, md5secret: peer.settings.md5secret });
  switch (check.outcome) {
    case 'authenticated':
      return { outcome: 'accepted', peer };
    case 'challenged':
      return { outcome: 'challenged', response: check.response };
    case 'wrong-password':
      return refuse(sip, request, source, 'secretFailed', check.response);
    case 'username-mismatch':
      sip.logger.warn({ asteriskLevel: 'WARNING' }, `username mismatch, have <${peer.name}>, digest has <${check.digestUsername}>`);
      return refuse(sip, request, source, 'usernameMismatch');
  }
}

