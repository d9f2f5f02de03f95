import type { SipChannel } from '../chan-sip/sip-channel.js';
import { readT38Stream, type T38Stream } from '../chan-sip/t38-sdp.js';
import { UdptlRelay } from './udptl-relay.js';

/** A T.38 fax running between two bridged SIP legs through our UDPTL relay. */
interface T38Session {
  readonly legs: readonly [SipChannel, SipChannel];
  readonly relay: UdptlRelay;
}

const sessions = new WeakMap<SipChannel, T38Session>();

/**
 * A party's T.38 re-INVITE in a bridge (chan_sip: T38_PEER_REINVITE, AST_CONTROL_T38_PARAMETERS
 * REQUEST_NEGOTIATE to the bridge, the other leg's transmit_reinvite_with_sdp(t38) and
 * T38_LOCAL_REINVITE): both legs leave direct media (their RTP glue turns LOCAL), the other
 * party is re-INVITEd to T.38 on our UDPTL relay with the party's fax parameters, and its answer
 * decides ours. Resolves with the SDP to answer the party with, or undefined to refuse (488).
 */
export async function passT38Offer(party: SipChannel, other: SipChannel, offer: T38Stream): Promise<string | undefined> {
  if (party.settings.t38.support === 'no' || other.settings.t38.support === 'no' || !other.isUp || sessions.has(party)) return undefined;
  let relay: UdptlRelay;
  try {
    relay = await UdptlRelay.open(other.session.address, party.session.address);
  } catch (error) {
    party.logger.warn({ err: error, channel: party.name }, `no UDPTL relay for the T.38 re-INVITE of ${party.name}`);
    return undefined;
  }
  for (const leg of [party, other]) {
    leg.t38Active = true;
    // The T.38 offer/answer replaces the audio description: no separate re-INVITE back to us.
    leg.session.setRedirect(undefined);
  }
  relay.setRemote(1, offer);
  other.session.t38 = { port: relay.port(0), attributes: offer.attributes };
  const response = await other.signalling.reinvite();
  const answer = response !== undefined && response.status >= 200 && response.status < 300 ? readT38Stream(response.body.toString('utf8')) : undefined;
  if (answer === undefined || party.isHungUp) {
    relay.close();
    other.session.t38 = undefined;
    for (const leg of [party, other]) leg.t38Active = false;
    // chan_sip handle_response_invite(): a refused T.38 re-INVITE is followed by one back to audio.
    if (response !== undefined && !other.isHungUp) void other.signalling.reinvite();
    return undefined;
  }
  relay.setRemote(0, answer);
  party.session.t38 = { port: relay.port(1), attributes: answer.attributes };
  const session: T38Session = { legs: [party, other], relay };
  sessions.set(party, session);
  sessions.set(other, session);
  return party.session.describe();
}

/**
 * The bridge of a T.38 fax ended (chan_sip AST_T38_TERMINATED): the relay closes and each leg
 * still up is re-INVITEd back to audio.
 */
export function endT38(leg: SipChannel): void {
  const session = sessions.get(leg);
  if (session === undefined) return;
  session.relay.close();
  for (const each of session.legs) {
    sessions.delete(each);
    each.t38Active = false;
    if (each.session.t38 === undefined) continue;
    each.session.t38 = undefined;
    if (each.isUp) void each.signalling.reinvite();
  }
}
