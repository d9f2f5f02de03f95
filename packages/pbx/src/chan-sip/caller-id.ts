import type { SipGeneral } from '@tandem/config';
import { shrinkPhoneNumber, type CallerId } from '@tandem/dialplan';
import type { Peer } from '@tandem/registrar';
import type { NameAddr, SipRequest } from '@tandem/sip';
import { emptyCallerId } from '../channels/base-channel.js';

/** Name and number of an address (display name, URI user without parameters). */
function identityOf(address: NameAddr, shrink: boolean): { name: string; number: string } {
  const user = (address.uri.user ?? '').split(';')[0] ?? '';
  let number = user;
  try {
    number = decodeURIComponent(user);
  } catch {
    // Keep the raw user part.
  }
  return { name: address.displayName ?? '', number: shrink ? shrinkPhoneNumber(number) : number };
}

/** The asserted identity of a request from a trusted device (P-Asserted-Identity, then Remote-Party-ID). */
function assertedIdentity(request: SipRequest): NameAddr | undefined {
  return request.pAssertedIdentities[0] ?? request.remotePartyId;
}

/**
 * The caller ID of an inbound call (reference §3.1 step 3): trusted RPID/PAI, else the
 * device's `callerid=`, else the From header.
 */
export function callerIdFromRequest(request: SipRequest, peer: Peer | undefined, general: SipGeneral): CallerId {
  const callerId = emptyCallerId();
  const shrink = general.shrinkcallerid;
  const from = identityOf(request.from, shrink);
  callerId.name = from.name;
  callerId.number = from.number;
  const asserted = peer?.settings.trustrpid ? assertedIdentity(request) : undefined;
  if (asserted !== undefined) {
    const identity = identityOf(asserted, shrink);
    callerId.name = identity.name;
    callerId.number = identity.number;
  } else if (peer !== undefined) {
    const configured = peer.settings.callerid;
    if (configured.name !== '') callerId.name = configured.name;
    if (configured.number !== '') callerId.number = configured.number;
  }
  const dnid = request.requestUri?.user;
  if (dnid !== undefined) callerId.dnid = dnid;
  if (peer?.settings.cidTag) callerId.tag = peer.settings.cidTag;
  return callerId;
}
