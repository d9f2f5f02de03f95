import type { Peer } from '@tandem/registrar';
import { accessAllows } from '@tandem/registrar';
import type { MessageSource, SipRequest, SipResponse } from '@tandem/sip';
import { parseAuthHeader } from '@tandem/sip';
import type { ChanSip } from './chan-sip.js';

/** Who sent a request (chan_sip check_user_full()). */
export type CallerIdentity =
  /** A device, or a guest (`peer` undefined) when `allowguest=yes`. */
  | { readonly kind: 'accepted'; readonly peer: Peer | undefined }
  /** Refused: `response` when chan_sip sends a specific one (fake auth), else 403. */
  | { readonly kind: 'reject'; readonly response?: SipResponse };

/** The name chan_sip matches users by: the From user (or the digest username with match_auth_username). */
function callerName(sip: ChanSip, request: SipRequest): string {
  if (sip.general.matchAuthUsername) {
    const authorization = request.headers.get('Authorization');
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
  return user === '' ? from.host.replace(/^\[|\]$/g, '') : user;
}

/**
 * Finds the device a request comes from (reference §3.1): a user/friend by name, else a peer
 * by source address; else a guest when `allowguest=yes`, else a refusal (fake auth with
 * `alwaysauthreject=yes`). Realtime lookups may reject with a registrar error (DB down).
 */
export async function identifyCaller(sip: ChanSip, request: SipRequest, source: MessageSource): Promise<CallerIdentity> {
  const general = sip.general;
  const name = callerName(sip, request);
  let peer = name === '' ? undefined : await sip.directory.find(name, 'user');
  // chan_sip check_user_full(): by address, first the peer whose callbackextension is the
  // Request-URI user (one provider, several registered lines), then any peer there.
  const callback = request.requestUri?.user?.split(';')[0] ?? '';
  if (peer === undefined && callback !== '') {
    peer = await sip.directory.findByAddressWithRealtime(source.remoteAddress, source.remotePort, source.transport, callback);
  }
  peer ??= await sip.directory.findByAddressWithRealtime(source.remoteAddress, source.remotePort, source.transport);
  if (peer !== undefined && !peer.settings.isPeer && !peer.settings.isUser) peer = undefined;
  if (peer !== undefined) {
    if (!accessAllows(peer.settings.acl, source.remoteAddress, sip.directory.namedAcls)) {
      sip.logger.info({ asteriskLevel: 'NOTICE' }, `Failed to authenticate device ${request.headers.get('From') ?? ''} for ${request.method}, ACL denied`);
      return { kind: 'reject' };
    }
    return { kind: 'accepted', peer };
  }
  if (general.allowguest) return { kind: 'accepted', peer: undefined };
  if (general.alwaysauthreject) {
    return { kind: 'reject', response: sip.registrar.authenticator.rejectLikeWrongPassword(request).response };
  }
  return { kind: 'reject' };
}

/**
 * Digest-authenticates a request from a device (chan_sip check_auth()); undefined when it may
 * proceed, otherwise the response to send (401 challenge or 403). `insecure=invite` skips it
 * for INVITEs.
 */
export function authenticateRequest(sip: ChanSip, request: SipRequest, peer: Peer): SipResponse | undefined {
  if (request.method.toUpperCase() === 'INVITE' && peer.settings.insecure.invite) return undefined;
  const check = sip.registrar.authenticator.check(request, {
    username: peer.name,
    secret: peer.settings.secret,
    md5secret: peer.settings.md5secret,
  });
  switch (check.outcome) {
    case 'authenticated':
      return undefined;
    case 'challenged':
      return check.response;
    case 'wrong-password':
      sip.logger.info({ asteriskLevel: 'NOTICE' }, `Failed to authenticate device ${request.headers.get('From') ?? ''} for ${request.method}`);
      return check.response;
    case 'username-mismatch':
      return sip.registrar.authenticator.rejectLikeWrongPassword(request).response;
  }
}
