import type { SipRealmAuth } from '@tandem/config';
import {
  createDigestAuthorization,
  selectDigestChallenge,
  timersFromT1,
  type Destination,
  type SipEndpoint,
  type SipRequest,
  type SipResponse,
} from '@tandem/sip';

/** chan_sip MAX_AUTHTRIES: challenges answered per request. */
const MAX_AUTH_TRIES = 3;

/** Where the credentials for a challenge come from (chan_sip build_reply_digest()). */
export interface ChallengeCredentials {
  /** The device's `auth =` lines (checked first, by realm). */
  readonly realmAuth: readonly SipRealmAuth[];
  /** `[authentication]` `auth =` lines (by realm). */
  readonly globalAuth: readonly SipRealmAuth[];
  /** Otherwise the device's user and secret; no user means nothing to answer with. */
  readonly authUser: string;
  readonly secret: string;
  readonly md5secret: string;
}

/** The username and secret for a challenge of `realm`, or undefined when there is none. */
export function credentialsForRealm(realm: string, source: ChallengeCredentials): { username: string; secret: string; md5secret: string } | undefined {
  const byRealm = (list: readonly SipRealmAuth[]): SipRealmAuth | undefined => list.find((entry) => entry.realm.toLowerCase() === realm.toLowerCase());
  const auth = byRealm(source.realmAuth) ?? byRealm(source.globalAuth);
  if (auth !== undefined) return { username: auth.user, secret: auth.secret ?? '', md5secret: auth.md5secret ?? '' };
  if (source.authUser === '') return undefined;
  return { username: source.authUser, secret: source.secret, md5secret: source.md5secret };
}

/** How to send an out-of-dialog request that may be challenged. */
export interface AuthenticatedSend {
  readonly endpoint: SipEndpoint;
  readonly destination: Destination;
  /** Timer T1 (ms) of the destination, and `;rport` on our Via. */
  readonly t1: number;
  readonly rport: boolean;
  readonly credentials: ChallengeCredentials;
  /**
   * Builds the request for CSeq `cseq`, with the answer to a challenge when given (same
   * Call-ID and From tag each time; the transaction layer adds a fresh Via).
   */
  build(cseq: number, authorization?: readonly [string, string]): SipRequest;
}

/**
 * Sends a non-INVITE request and answers 401/407 challenges with digest credentials, at most
 * three times (chan_sip do_message_auth(), do_register_auth()). Resolves with the final
 * response: the real one, or the transaction layer's 408/503 when nothing answered.
 */
export async function sendAuthenticated(send: AuthenticatedSend, firstCSeq: number): Promise<SipResponse> {
  let cseq = firstCSeq;
  let request = send.build(cseq);
  for (let attempt = 0; ; attempt++) {
    const transaction = send.endpoint.sendRequest(request, send.destination, { timers: timersFromT1(send.t1), rport: send.rport });
    const response = await transaction.final;
    if ((response.status !== 401 && response.status !== 407) || attempt >= MAX_AUTH_TRIES) return response;
    const selected = selectDigestChallenge(response);
    if (selected === undefined) return response;
    const credentials = credentialsForRealm(selected.challenge.params['realm'] ?? '', send.credentials);
    if (credentials === undefined) return response;
    const value = createDigestAuthorization({
      challenge: selected.challenge,
      method: request.method,
      requestUri: request.uri,
      username: credentials.username,
      secret: credentials.secret,
      md5secret: credentials.md5secret,
    });
    cseq += 1;
    request = send.build(cseq, [selected.authorizationHeader, value]);
  }
}
