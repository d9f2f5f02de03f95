import type { SipPeerSettings } from '@tandem/config';
import type { Peer } from '@tandem/registrar';
import { isRegistrarError } from '@tandem/registrar';
import {
  createResponse,
  formatHost,
  parseSdp,
  type InviteServerTransaction,
  type MessageSource,
  type ParsedSdp,
  type SipRequest,
} from '@tandem/sip';
import { nextChannelSuffix } from '../../channels/channel-identity.js';
import type { ChanSip } from '../chan-sip.js';
import type { OutOfDialogHandler } from './out-of-dialog-handler.js';
import { callerIdFromRequest, telPhoneContext } from '../caller-id.js';
import { checkCaller } from '../device-matching.js';
import { destinationContext } from '../sip-domains.js';
import { MediaSession } from '../media-session.js';
import { natDetected } from '../nat.js';
import { ALLOWED_METHODS } from '../sip-constants.js';
import { SessionTimer } from '../session-timer.js';
import { SipChannel } from '../sip-channel.js';
import { readOptionTags, unsupportedHeaders } from '../sip-option-tags.js';

/**
 * A new INVITE (chan_sip (Asterisk 20): handle_request_invite()): identifies and authenticates
 * the caller, checks the SDP offer and the destination, then creates `SIP/<device>-XXXXXXXX`,
 * answers 100 Trying and runs the dialplan on it.
 */
export const handleNewInvite: OutOfDialogHandler = async (sip, request, serverTransaction) => {
  const transaction = serverTransaction as InviteServerTransaction;
  const source = request.source;
  if (source === undefined) return;
  const general = sip.general;
  const reply = (status: number, reason: string, headers: readonly (readonly [string, string])[] = []): void => {
    const response = createResponse(request, status, reason, { toTag: sip.registrar.authenticator.dialogTag(request) });
    response.headers.add('Server', general.useragent);
    response.headers.add('Allow', ALLOWED_METHODS);
    for (const [name, value] of headers) response.headers.add(name, value);
    try {
      transaction.respond(response);
    } catch {
      // Answered meanwhile.
    }
  };

  // chan_sip: a required extension it does not support is refused before anything else.
  const optionTags = readOptionTags(request);
  if (optionTags.unsupported.length > 0) {
    sip.logger.warn(`Received SIP INVITE with unsupported required extension: ${optionTags.unsupported.join(',')}`);
    reply(420, 'Bad extension (unsupported)', unsupportedHeaders(optionTags.unsupported));
    return;
  }

  // chan_sip handle_request_invite(): check_user_full() answers challenges and refusals itself.
  let check;
  try {
    check = await checkCaller(sip, request, source);
  } catch (error) {
    if (isRegistrarError(error)) {
      sip.logger.error({ err: error }, `Cannot look up the caller of ${request.callId}: ${error.message}`);
      reply(503, 'Service Unavailable');
      return;
    }
    throw error;
  }
  if (check.outcome !== 'accepted') {
    transaction.respond(check.response);
    return;
  }
  const peer = check.peer;
  const settings: SipPeerSettings = peer?.settings ?? general.deviceDefaults;

  // The offer (chan_sip process_sdp()).
  let offer: ParsedSdp | undefined;
  if (request.body.length > 0 && request.contentType?.mediaType === 'application/sdp') {
    try {
      offer = parseSdp(request.body);
    } catch {
      reply(488, 'Not acceptable here');
      return;
    }
  }

  // Where the call goes (chan_sip get_destination()).
  const domain = destinationContext(general, request, peer);
  if (domain.outcome !== 'context') {
    if (domain.outcome === 'invalid-uri') reply(416, 'Unsupported URI scheme');
    else reply(403, 'Forbidden');
    return;
  }
  const exten = destinationExtension(request);
  const context = domain.context;
  const callerId = callerIdFromRequest(request, peer, general);
  const dialplan = sip.engine.dialplan;
  if (!dialplan.exists(context, exten, 1, { callerId: callerId.number })) {
    // get_destination() asks the global allowoverlap whether more digits could match;
    // handle_request_invite() answers 484 only for allowoverlap=yes (dtmf gets 404).
    const matchMore = general.deviceDefaults.allowoverlap !== 'no' && dialplan.matchMore(context, exten, { callerId: callerId.number });
    const overlap = matchMore && settings.allowoverlap === 'yes';
    if (!overlap) {
      // handle_request_invite(): the NOTICE fail2ban filters match for extension scans.
      const who = peer === undefined ? '' : peer.defaultUser || peer.name;
      sip.logger.info(
        { asteriskLevel: 'NOTICE' },
        `Call from '${who}' (${formatHost(source.remoteAddress)}:${source.remotePort}) to extension '${exten}' rejected because extension not found in context '${context}'.`,
      );
    }
    reply(overlap ? 484 : 404, overlap ? 'Address Incomplete' : 'Not Found');
    return;
  }

  if (peer !== undefined && peer.settings.callLimit > 0 && peer.inUse >= peer.settings.callLimit) {
    reply(480, 'Temporarily Unavailable (Call limit) ');
    return;
  }

  // Session timers (chan_sip handle_request_invite_st()): 400, 422 with our Min-SE, or 420.
  const timerVerdict = SessionTimer.check(settings.sessionTimers, request, optionTags);
  if (!timerVerdict.ok) {
    reply(timerVerdict.status, timerVerdict.reason, timerVerdict.headers);
    return;
  }

  // NAT handling for this dialog (chan_sip check_via(), do_setnat()).
  const nat = natDetected(request, source);
  const forceRport = settings.nat.forceRport || (settings.nat.autoForceRport && nat);
  const symmetric = settings.nat.comedia || (settings.nat.autoComedia && nat);
  const local = await sip.ourAddress.toward({
    transport: source.transport,
    address: source.remoteAddress,
    ...(source.connectionId === undefined ? {} : { connectionId: source.connectionId }),
  });

  let session: MediaSession;
  try {
    const localAddress = mediaBindAddress(sip, source);
    const endpoint = sip.media.allocate({ localAddress });
    const allocateExtra = () => sip.media.allocate({ localAddress, near: endpoint });
    session = new MediaSession(endpoint, settings, sip.ourAddress.mediaAddress(local), { owner: general.sdpowner, sessionName: general.sdpsession }, symmetric, allocateExtra);
  } catch (error) {
    sip.logger.warn({ err: error }, 'RTP init failure');
    reply(503, 'Service Unavailable');
    return;
  }
  if (offer !== undefined) {
    const problem = session.acceptOffer(offer);
    if (problem !== undefined) {
      session.release();
      reply(488, 'Not acceptable here');
      return;
    }
  } else {
    // Late offer: we offer in the 200 OK.
    session.offer();
  }

  const name = `SIP/${peer?.name ?? guestName(request)}-${nextChannelSuffix()}`;
  const channel = new SipChannel(name, sip, settings, peer, session, 'inbound');
  channel.callerId = callerId;
  channel.accountCode = peer?.settings.accountcode ?? '';
  setInboundVariables(channel, request, peer);
  channel.counters.start(false);
  sip.channels.add(channel);
  channel.signalling.timer.negotiateInvite(request, optionTags, false);
  sip.markAuthenticated(request);
  channel.startInbound({
    invite: request,
    transaction,
    contactUser: exten,
    remoteDestination: {
      transport: source.transport,
      address: source.remoteAddress,
      port: source.remotePort,
      ...(source.connectionId === undefined ? {} : { connectionId: source.connectionId }),
    },
    forceRport,
    local,
    localTag: sip.registrar.authenticator.dialogTag(request),
  });
  void sip.engine.run(channel, { context, exten }).catch((error: unknown) => {
    sip.logger.error({ err: error, channel: name }, `dialplan failed on ${name}`);
    channel.hangup(34);
  });
};

/** The Request-URI user, URI-decoded; `s` when empty (chan_sip get_destination()). */
function destinationExtension(request: SipRequest): string {
  const user = request.requestUri?.user ?? '';
  let decoded = user;
  try {
    decoded = decodeURIComponent(user);
  } catch {
    // Keep it raw when it is not valid percent-encoding.
  }
  return decoded === '' ? 's' : decoded;
}

/** A guest channel is named after the From host (chan_sip: `SIP/<fromdomain>-...`). */
function guestName(request: SipRequest): string {
  const from = request.from.uri;
  // get_destination(): a tel: From's "domain" is its phone-context, or the global number itself.
  if (from.scheme === 'tel') return from.params.find((param) => param.name.toLowerCase() === 'phone-context')?.value ?? from.user ?? '';
  return from.host.replace(/^\[|\]$/g, '');
}

/** RTP binds where SIP listens (chan_sip uses its bindaddr for RTP). */
function mediaBindAddress(sip: ChanSip, source: MessageSource): string {
  const configured = sip.general.rtpBindAddress?.host ?? sip.general.udpBindAddress.host;
  if (configured !== '' && configured !== '0.0.0.0' && configured !== '::') return configured;
  return source.remoteAddress.includes(':') ? '::' : '0.0.0.0';
}

/** SIPURI, SIPDOMAIN, SIPCALLID and the device's setvar= lines. */
function setInboundVariables(channel: SipChannel, request: SipRequest, peer: Peer | undefined): void {
  const contact = request.contact;
  if (contact !== undefined) channel.variables.set('SIPURI', contact.uri.user ? `sip:${contact.uri.user}@${contact.uri.host}${contact.uri.port ? `:${contact.uri.port}` : ''}` : `sip:${contact.uri.host}`);
  const phoneContext = telPhoneContext(request);
  if (phoneContext !== undefined) channel.variables.set('SIPURIPHONECONTEXT', phoneContext);
  const domain = request.requestUri?.host;
  if (domain !== undefined && domain !== '') channel.variables.set('SIPDOMAIN', domain);
  channel.variables.set('SIPCALLID', request.callId);
  for (const { name, value } of peer?.settings.setvars ?? []) channel.variables.set(name, value);
}
