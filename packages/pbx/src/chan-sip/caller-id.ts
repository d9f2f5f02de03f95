import type { SipGeneral, SipPeerSettings } from '@tandem/config';
import { shrinkPhoneNumber, type CallerId, type CallerPresentation } from '@tandem/dialplan';
import type { Peer } from '@tandem/registrar';
import { parseNameAddr, type NameAddr, type SipRequest } from '@tandem/sip';
import { emptyCallerId } from '../channels/base-channel.js';

/** Asterisk's presentation numbers (include/asterisk/callerid.h AST_PRES_*) by CALLERID(pres) name. */
const PRESENTATIONS: ReadonlyMap<number, CallerPresentation> = new Map<number, CallerPresentation>([
  [0x00, 'allowed_not_screened'],
  [0x01, 'allowed_passed_screen'],
  [0x02, 'allowed_failed_screen'],
  [0x03, 'allowed'],
  [0x20, 'prohib_not_screened'],
  [0x21, 'prohib_passed_screen'],
  [0x22, 'prohib_failed_screen'],
  [0x23, 'prohib'],
  [0x43, 'unavailable'],
]);

/** The CALLERID(pres) name of an Asterisk presentation number (`callingpres=`); unknown ones are allowed_not_screened. */
export function presentationName(presentation: number): CallerPresentation {
  return PRESENTATIONS.get(presentation) ?? 'allowed_not_screened';
}

/** Whether a presentation hides the caller (AST_PRES_RESTRICTION is not AST_PRES_ALLOWED). */
export function isRestricted(presentation: CallerPresentation): boolean {
  return presentation.startsWith('prohib') || presentation === 'unavailable';
}

/** main/callerid.c ast_is_shrinkable_phonenumber(): only digits and `*#+()-.`, not empty. */
function isShrinkable(number: string): boolean {
  return /^[0-9*#+().-]+$/.test(number);
}

/** chan_sip's `global_shrinkcallerid` rule: shrink only what looks like a phone number. */
function shrinkIfPhoneNumber(number: string, general: SipGeneral): string {
  return general.shrinkcallerid && isShrinkable(number) ? shrinkPhoneNumber(number) : number;
}

/** URI-decodes a user part (SIP_PEDANTIC_DECODE), keeping it raw when it is not valid percent-encoding. */
function decodeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

/** A caller identity as chan_sip keeps it on the dialog (`cid_name`, `cid_num`, `callingpres`). */
interface PartyIdentity {
  name: string;
  number: string;
  presentation: CallerPresentation;
}

/**
 * The identity in a From header (chan_sip check_user_full()): the display name, and the URI
 * user up to its first `;` (shrunk when it looks like a phone number). An empty user gives no
 * number.
 */
function fromIdentity(from: NameAddr, general: SipGeneral): PartyIdentity {
  const user = (from.uri.user ?? '').split(';')[0] ?? '';
  return {
    name: from.displayName ?? '',
    number: user === '' ? '' : shrinkIfPhoneNumber(decodeUser(user), general),
    presentation: 'allowed_not_screened',
  };
}

/**
 * Remote-Party-ID as chan_sip get_rpid() reads it: `["name"|name] <sip:number@host>` then
 * `;privacy=` and `;screen=`, which give the presentation. Undefined when the value does not
 * have that shape (chan_sip then ignores it).
 */
function remotePartyIdentity(value: string, general: SipGeneral): PartyIdentity | undefined {
  let rest = value.trim();
  let name: string;
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1);
    if (end < 0) return undefined;
    name = rest.slice(1, end);
    rest = rest.slice(end + 1).trimStart();
  } else {
    const open = rest.indexOf('<');
    if (open < 0) return undefined;
    name = rest.slice(0, open).trimEnd();
    rest = rest.slice(open);
  }
  if (!rest.startsWith('<')) return undefined;
  const at = rest.indexOf('@');
  if (at < 0 || !/^<sip:/i.test(rest)) return undefined;
  const number = shrinkIfPhoneNumber(rest.slice(5, at), general);
  const close = rest.indexOf('>', at);
  if (close < 0) return undefined;
  const params = rest.slice(close + 1);
  let presentation: CallerPresentation = 'allowed_not_screened';
  if (params !== '') {
    if (!params.startsWith(';')) return undefined;
    let privacy = '';
    let screen = '';
    for (const param of params.slice(1).split(';')) {
      if (/^privacy=/i.test(param)) privacy = param.slice(8);
      else if (/^screen=/i.test(param)) screen = param.slice(7);
    }
    const full = privacy.toLowerCase() === 'full';
    if (screen.toLowerCase() === 'yes') presentation = full ? 'prohib_passed_screen' : 'allowed_passed_screen';
    else if (screen.toLowerCase() === 'no') presentation = full ? 'prohib_not_screened' : 'allowed_not_screened';
  }
  return { name, number, presentation };
}

/**
 * P-Asserted-Identity as chan_sip get_pai() reads it: display name and URI user; the
 * anonymous URI or a `Privacy` other than `none` restrict the presentation (an anonymous URI
 * keeps the number the dialog already had).
 */
function assertedIdentity(request: SipRequest, current: PartyIdentity, general: SipGeneral): PartyIdentity | undefined {
  const value = request.headers.get('P-Asserted-Identity');
  if (value === undefined || value.trim() === '') return undefined;
  let address: NameAddr;
  try {
    address = parseNameAddr(value.split(',')[0] ?? value);
  } catch {
    return undefined;
  }
  let presentation: CallerPresentation = 'allowed_not_screened';
  let number = shrinkIfPhoneNumber(decodeUser((address.uri.user ?? '').split(';')[0] ?? ''), general);
  if (address.uri.scheme === 'sip' && address.uri.user?.toLowerCase() === 'anonymous' && address.uri.host.toLowerCase() === 'anonymous.invalid') {
    presentation = 'prohib_not_screened';
    number = current.number;
  }
  const privacy = request.headers.get('Privacy')?.trim() ?? '';
  if (privacy !== '' && privacy.toLowerCase() !== 'none') presentation = 'prohib_not_screened';
  return { name: address.displayName ?? '', number, presentation };
}

/**
 * The identity a trusted device asserts (chan_sip get_rpid(), which falls back to get_pai()):
 * undefined when the device is not trusted (`trustrpid`), no header is usable, or the asserted
 * identity equals the current one (chan_sip then lets the device's `callerid=` apply).
 */
function trustedIdentity(request: SipRequest, settings: SipPeerSettings, current: PartyIdentity, general: SipGeneral): PartyIdentity | undefined {
  if (!settings.trustrpid) return undefined;
  const rpid = request.headers.get('Remote-Party-ID');
  const asserted = rpid !== undefined && rpid.trim() !== '' ? remotePartyIdentity(rpid, general) : assertedIdentity(request, current, general);
  if (asserted === undefined) return undefined;
  const same =
    asserted.number.toLowerCase() === current.number.toLowerCase() &&
    asserted.name.toLowerCase() === current.name.toLowerCase() &&
    asserted.presentation === current.presentation;
  return same ? undefined : asserted;
}

/**
 * The caller ID of an inbound call (chan_sip check_user_full(), check_peer_ok(), sip_new(),
 * reference §3.1 step 3): the From header, then for a device its `callingpres`, and either the
 * identity it asserts when trusted (`trustrpid`: Remote-Party-ID, else P-Asserted-Identity) or
 * its `callerid=`. Guests get the From header and, with `trustrpid` in `[general]`, what they assert.
 */
export function callerIdFromRequest(request: SipRequest, peer: Peer | undefined, general: SipGeneral): CallerId {
  let identity = fromIdentity(request.from, general);
  const settings = peer?.settings ?? general.deviceDefaults;
  const callingpres = peer?.settings.callingpres;
  // check_peer_ok(): "Peer calling pres setting will override RPID".
  if (callingpres !== undefined && callingpres !== 0) identity.presentation = presentationName(callingpres);
  const asserted = trustedIdentity(request, settings, identity, general);
  if (asserted !== undefined) {
    identity = asserted;
  } else if (peer !== undefined) {
    const configured = peer.settings.callerid;
    if (configured.number !== '') identity.number = shrinkIfPhoneNumber(configured.number, general);
    if (configured.name !== '') identity.name = configured.name;
  }
  const callerId = emptyCallerId();
  callerId.name = identity.name;
  callerId.number = identity.number;
  callerId.presentation = identity.presentation;
  callerId.ani = identity.number;
  const dnid = destinationUser(request);
  if (dnid !== '' && dnid !== 's') callerId.dnid = dnid;
  if (peer !== undefined && peer.settings.cidTag !== '') callerId.tag = peer.settings.cidTag;
  return callerId;
}

/** The Request-URI user (the number dialled), as written. */
function destinationUser(request: SipRequest): string {
  return request.requestUri?.user ?? '';
}

/**
 * The phone context of a `tel:` Request-URI (chan_sip get_destination() keeps it as
 * `SIPURIPHONECONTEXT`): the `phone-context` parameter, or the number itself for a global
 * number without one. Undefined for sip/sips URIs.
 */
export function telPhoneContext(request: SipRequest): string | undefined {
  const uri = request.requestUri;
  if (uri?.scheme !== 'tel') return undefined;
  const context = uri.params.find((param) => param.name.toLowerCase() === 'phone-context')?.value;
  if (context !== undefined && context !== null && context !== '') return context;
  const number = uri.user ?? '';
  return number.startsWith('+') ? number : undefined;
}
