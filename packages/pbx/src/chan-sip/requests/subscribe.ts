import type { SipPeerSettings } from '@tandem/config';
import { isRegistrarError, type Peer } from '@tandem/registrar';
import { createResponse, type MessageSource, type ServerTransaction, type SipRequest, type SipResponse } from '@tandem/sip';
import type { ChanSip } from '../chan-sip.js';
import { checkCaller } from '../device-matching.js';
import { destinationContext } from '../sip-domains.js';
import { EventSubscription, type SubscriptionTarget } from '../event-subscription.js';
import { natDetected } from '../nat.js';
import type { PresenceFormat } from '../presence-documents.js';
import { ALLOWED_METHODS, supportedExtensions } from '../sip-constants.js';
import type { OutOfDialogHandler } from './out-of-dialog-handler.js';

/** A response in chan_sip's layout with the dialog's To tag. */
function subscribeResponse(sip: ChanSip, request: SipRequest, status: number, reason: string): SipResponse {
  const response = createResponse(request, status, reason, { toTag: sip.registrar.authenticator.dialogTag(request) });
  response.headers.add('Server', sip.general.useragent);
  response.headers.add('Allow', ALLOWED_METHODS);
  response.headers.add('Supported', supportedExtensions(sip.general.deviceDefaults.sessionTimers.mode !== 'refuse'));
  return response;
}

function send(transaction: ServerTransaction, response: SipResponse): void {
  try {
    transaction.respond(response);
  } catch {
    // Answered meanwhile.
  }
}

/** The Accept header lines of a request, in order. */
function acceptLines(request: SipRequest): string[] {
  return request.headers.getAll('Accept');
}

/**
 * The presence body format an Accept asks for (handle_request_subscribe()): the first Accept
 * line naming pidf (xpidf for Polycom phones), dialog-info, cpim-pidf or xpidf; `none` without
 * Accept, else the unknown value.
 */
export function presenceFormatOf(request: SipRequest): PresenceFormat | { readonly unknown: string } | 'none' {
  const lines = acceptLines(request);
  if (lines.length === 0) return 'none';
  const userAgent = request.userAgent ?? '';
  for (const accept of lines) {
    if (accept.includes('application/pidf+xml')) return userAgent.includes('Polycom') ? 'xpidf' : 'pidf';
    if (accept.includes('application/dialog-info+xml')) return 'dialog-info';
    if (accept.includes('application/cpim-pidf+xml')) return 'cpim-pidf';
    if (accept.includes('application/xpidf+xml')) return 'xpidf';
  }
  return { unknown: lines[lines.length - 1] ?? '' };
}

/** The Request-URI user as a hinted extension of `context`: as written, else URI-decoded (get_destination()). */
function hintedExten(sip: ChanSip, context: string, request: SipRequest): string | undefined {
  const user = (request.requestUri?.user ?? '').split(';')[0] ?? '';
  const raw = user === '' ? 's' : user;
  if (sip.engine.dialplan.hint(context, raw) !== undefined) return raw;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return sip.engine.dialplan.hint(context, decoded) !== undefined ? decoded : undefined;
}

/** The expiry a SUBSCRIBE asks for, clamped to submaxexpiry; `too-small` below subminexpiry. */
function requestedExpiry(sip: ChanSip, request: SipRequest): number | 'too-small' {
  const general = sip.general;
  const header = request.headers.get('Expires');
  let expiry = header === undefined || header.trim() === '' ? general.defaultexpiry : Number.parseInt(header, 10) || 0;
  if (expiry > general.submaxexpiry) expiry = general.submaxexpiry;
  else if (expiry > 0 && expiry < general.subminexpiry) return 'too-small';
  return expiry;
}

/** Answers the SUBSCRIBE that (re)arms `subscription` and sends the NOTIFY that follows. */
function accept(sip: ChanSip, request: SipRequest, transaction: ServerTransaction, subscription: EventSubscription, expiry: number): void {
  const response = subscribeResponse(sip, request, 200, 'OK');
  // respprep(): Expires, and our Contact with ;expires= while the subscription lasts.
  response.headers.add('Expires', String(expiry));
  if (expiry > 0) response.headers.add('Contact', `${subscription.contact};expires=${expiry}`);
  send(transaction, response);
  subscription.refresh(expiry);
}

/** 423 with Min-Expires (transmit_response_with_minexpires()). */
function tooSmall(sip: ChanSip, request: SipRequest, transaction: ServerTransaction): void {
  const response = subscribeResponse(sip, request, 423, 'Interval too small');
  response.headers.add('Min-Expires', String(sip.general.subminexpiry));
  send(transaction, response);
}

/**
 * Matches and authenticates the subscriber; answers challenges and refusals itself. After a
 * refusal the transaction is dropped, as chan_sip destroys the dialog ("authentication
 * failed"): a retransmission is checked again (and challenged) instead of getting the 403.
 */
async function authorize(sip: ChanSip, request: SipRequest, transaction: ServerTransaction, source: MessageSource): Promise<{ peer: Peer | undefined } | undefined> {
  let check;
  try {
    check = await checkCaller(sip, request, source);
  } catch (error) {
    if (!isRegistrarError(error)) throw error;
    send(transaction, subscribeResponse(sip, request, 503, 'Service Unavailable'));
    return undefined;
  }
  if (check.outcome === 'challenged') {
    send(transaction, check.response);
    return undefined;
  }
  if (check.outcome === 'refused') {
    send(transaction, check.response);
    transaction.terminate();
    return undefined;
  }
  return { peer: check.peer };
}

/** A re-SUBSCRIBE in an accepted subscription: authenticated again, then refreshed or ended. */
async function resubscribe(sip: ChanSip, subscription: EventSubscription, request: SipRequest, transaction: ServerTransaction): Promise<void> {
  const source = request.source;
  if (source === undefined) return;
  const authorized = await authorize(sip, request, transaction, source);
  if (authorized === undefined) return;
  const expiry = requestedExpiry(sip, request);
  if (expiry === 'too-small') {
    tooSmall(sip, request, transaction);
    subscription.end();
    return;
  }
  accept(sip, request, transaction, subscription, expiry);
}

/**
 * A new SUBSCRIBE (chan_sip (Asterisk 20): handle_request_subscribe()): `allowsubscribe=no`
 * refuses it (403 Forbidden (policy)), no Event is a 489; the subscriber is matched by name
 * among all devices and authenticated like an INVITE. `presence` and `dialog` watch the hint of
 * the Request-URI extension in the device's `subscribecontext` (or context): 404 without a hint,
 * the body format from Accept (489 without or with an unknown one). `message-summary` watches
 * the device's mailboxes (406 for another Accept, 404 without a device or mailbox). Expires is
 * clamped to submaxexpiry, 423 below subminexpiry; 200 OK, then a NOTIFY with the state.
 */
export const handleSubscribe: OutOfDialogHandler = async (sip, request, transaction) => {
  const source = request.source;
  if (source === undefined) return;
  const general = sip.general;
  if (!general.deviceDefaults.allowsubscribe) {
    send(transaction, subscribeResponse(sip, request, 403, 'Forbidden (policy)'));
    return;
  }
  const event = (request.headers.get('Event') ?? '').split(';')[0]?.trim() ?? '';
  if (event === '') {
    send(transaction, subscribeResponse(sip, request, 489, 'Bad Event'));
    return;
  }
  const authorized = await authorize(sip, request, transaction, source);
  if (authorized === undefined) return;
  const peer = authorized.peer;
  const settings: SipPeerSettings = peer?.settings ?? general.deviceDefaults;
  if (!settings.allowsubscribe) {
    send(transaction, subscribeResponse(sip, request, 403, 'Forbidden (policy)'));
    return;
  }
  let target: SubscriptionTarget;
  let exten = (request.requestUri?.user ?? '').split(';')[0] ?? '';
  if (event === 'presence' || event === 'dialog') {
    if (request.requestUri === undefined) {
      send(transaction, subscribeResponse(sip, request, 416, 'Unsupported URI scheme'));
      return;
    }
    const domain = destinationContext(sip.general, request, peer);
    const context = settings.subscribecontext || (domain.outcome === 'context' ? domain.context : settings.context);
    const hinted = hintedExten(sip, context, request);
    if (hinted === undefined) {
      send(transaction, subscribeResponse(sip, request, 404, 'Not Found'));
      return;
    }
    exten = hinted;
    const format = presenceFormatOf(request);
    if (format === 'none' || typeof format === 'object') {
      sip.logger.warn({ asteriskLevel: 'WARNING' }, `SUBSCRIBE failure: ${format === 'none' ? 'no Accept header' : `unrecognized format: '${format.unknown}'`}`);
      send(transaction, subscribeResponse(sip, request, 489, format === 'none' ? 'Bad Event' : `Bad Event (format ${format.unknown})`));
      return;
    }
    target = { kind: 'presence', format, context, exten };
  } else if (event === 'message-summary') {
    const lines = acceptLines(request);
    if (lines.length > 0 && !lines.some((line) => line === 'application/simple-message-summary')) {
      send(transaction, subscribeResponse(sip, request, 406, 'Not Acceptable'));
      return;
    }
    if (peer === undefined) {
      send(transaction, subscribeResponse(sip, request, 404, 'Not found'));
      return;
    }
    if (peer.settings.mailboxes.length === 0) {
      sip.logger.info({ asteriskLevel: 'NOTICE' }, `Received SIP subscribe for peer without mailbox: ${peer.name}`);
      send(transaction, subscribeResponse(sip, request, 404, 'Not found (no mailbox)'));
      return;
    }
    target = { kind: 'mwi', peer };
  } else {
    send(transaction, subscribeResponse(sip, request, 489, 'Bad Event'));
    return;
  }
  const expiry = requestedExpiry(sip, request);
  if (expiry === 'too-small') {
    sip.logger.warn(
      { asteriskLevel: 'WARNING' },
      `Received subscription for extension "${exten}" context "${target.kind === 'presence' ? target.context : settings.context}" with Expire header less than 'subminexpire' limit. Received "Expire: ${request.headers.get('Expires') ?? ''}" min is ${general.subminexpiry}`,
    );
    tooSmall(sip, request, transaction);
    return;
  }

  const destination = {
    transport: source.transport,
    address: source.remoteAddress,
    port: source.remotePort,
    ...(source.connectionId === undefined ? {} : { connectionId: source.connectionId }),
  };
  const local = await sip.ourAddress.toward(destination);
  let subscription: EventSubscription;
  try {
    subscription = new EventSubscription(sip, {
      request,
      target,
      localTag: sip.registrar.authenticator.dialogTag(request),
      contact: sip.contactFor(exten, source.transport, local),
      local,
      source: destination,
      useSource: settings.nat.forceRport || (settings.nat.autoForceRport && natDetected(request, source)),
      t1: peer?.t1Ms ?? settings.timerT1,
      buggyMwi: settings.buggymwi,
      vmexten: settings.vmexten,
    });
  } catch {
    send(transaction, subscribeResponse(sip, request, 400, 'Bad Request'));
    return;
  }
  if (target.kind === 'presence' && subscription.currentState() < 0) {
    if (expiry > 0) {
      sip.logger.info(
        { asteriskLevel: 'NOTICE' },
        `Got SUBSCRIBE for extension ${target.exten}@${target.context} from ${source.remoteAddress}:${source.remotePort}, but there is no hint for that extension.`,
      );
    }
    subscription.end();
    send(transaction, subscribeResponse(sip, request, 404, 'Not found'));
    return;
  }
  if (target.kind === 'mwi') {
    // A device has one mailbox subscription: a new one replaces the old (peer->mwipvt).
    const previous = sip.subscriptions.mailboxSubscriptionOf(target.peer.name);
    if (previous !== undefined && previous !== subscription) previous.end();
  }
  subscription.onResubscribe = (current, again, againTransaction) => resubscribe(sip, current, again, againTransaction);
  accept(sip, request, transaction, subscription, expiry);
  if (expiry > 0) sip.subscriptions.add(subscription);
};
