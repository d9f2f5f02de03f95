import type { SipGeneral, SipPeerSettings } from '@tandem/config';
import type { Logger } from '@tandem/registrar';
import type { Dialog, SipRequest } from '@tandem/sip';
import { bridgeRole, leaveBridge } from '../../bridge/bridge.js';
import { ALLOWED_METHODS, supportedExtensions } from '../sip-constants.js';
import type { SipChannel } from '../sip-channel.js';
import type { InDialogHandler, InDialogReply } from './in-dialog-handler.js';

/** What a REFER asks for (chan_sip get_refer_info()). */
export interface ReferTarget {
  /** The Refer-To user, URI-decoded, without parameters: the extension to transfer to. */
  readonly exten: string;
  /** The Refer-To host without port (SIPDOMAIN on the transferee). */
  readonly domain: string;
  /** `<sip:...>` of Referred-By, or empty. */
  readonly referredBy: string;
  /** Refer-To carries `Replaces=`: an attended transfer. */
  readonly attended: boolean;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The address inside `<...>` of a header value, or the value itself. */
function inBrackets(value: string): string {
  return /<([^>]*)>/.exec(value)?.[1] ?? value.trim();
}

/**
 * Reads Refer-To and Referred-By as chan_sip get_refer_info() does: `missing` without
 * Refer-To, `not-sip` for a non sip:/sips: URI.
 */
export function parseRefer(request: SipRequest): ReferTarget | 'missing' | 'not-sip' {
  const referTo = request.headers.get('Refer-To');
  if (referTo === undefined || referTo.trim() === '') return 'missing';
  let uri = inBrackets(referTo);
  const scheme = /^sips?:/i.exec(uri);
  if (scheme === null) return 'not-sip';
  uri = uri.slice(scheme[0].length);
  const attended = /replaces=/i.test(uri);
  let domain = '';
  const at = uri.indexOf('@');
  if (at >= 0) {
    const hostPart = (uri.slice(at + 1).split(/[;?]/)[0] ?? '').replace(/^(\[[^\]]*\]|[^:]*).*$/, '$1');
    domain = decode(hostPart);
    uri = uri.slice(0, at);
  }
  const exten = decode(uri.split(';')[0] ?? '');
  const referredByHeader = request.headers.get('Referred-By');
  let referredBy = '';
  if (referredByHeader !== undefined && referredByHeader.trim() !== '') {
    const by = inBrackets(referredByHeader);
    const byScheme = /^sips?:/i.exec(by);
    if (byScheme !== null) referredBy = `<sip:${decode(by.slice(byScheme[0].length).split(';')[0] ?? '')}>`;
  }
  return { exten, domain, referredBy, attended };
}

/** What a REFER NOTIFY needs of the transferor's call, live or ended. */
export interface ReferNotifier {
  readonly name: string;
  readonly dialog: Dialog | undefined;
  readonly settings: SipPeerSettings;
  readonly logger: Logger;
  sendInDialog(request: SipRequest): unknown;
}

/**
 * Tells the transferor how its REFER ended (chan_sip transmit_notify_with_sipfrag()): a NOTIFY
 * in the dialog with `Event: refer;id=<REFER CSeq>`, the subscription terminated, and the
 * status line as a `message/sipfrag` body.
 */
export function notifyReferResult(channel: ReferNotifier, referSeq: number, status: string): void {
  const dialog = channel.dialog;
  if (dialog === undefined || dialog.state === 'terminated') return;
  try {
    const notify = dialog.createRequest('NOTIFY', {
      headers: [
        ['Event', `refer;id=${referSeq}`],
        ['Subscription-state', 'terminated;reason=noresource'],
        ['Allow', ALLOWED_METHODS],
        ['Supported', supportedExtensions(channel.settings.sessionTimers.mode !== 'refuse')],
      ],
      contentType: 'message/sipfrag;version=2.0',
      body: `SIP/2.0 ${status}\r\n`,
    });
    channel.sendInDialog(notify);
  } catch (error) {
    channel.logger.warn({ err: error, channel: channel.name }, `cannot send the REFER NOTIFY on ${channel.name}`);
  }
}

/**
 * The REFER checks before the transfer context is looked at: refused with 603 for
 * `allowtransfer=no`, 491 while one is pending, 400 without Refer-To, 603 for a non-SIP or an
 * attended target. Undefined when answered here.
 */
export function acceptableRefer(request: SipRequest, allowtransfer: boolean, pending: boolean, reply: InDialogReply): ReferTarget | undefined {
  if (!allowtransfer) {
    reply(603, 'Declined (policy)');
    return undefined;
  }
  if (pending) {
    reply(491, 'Request pending');
    return undefined;
  }
  const refer = parseRefer(request);
  if (refer === 'missing') {
    reply(400, 'Bad Request (Refer-to missing)');
    return undefined;
  }
  if (refer === 'not-sip') {
    reply(603, 'Declined (Non sip: uri)');
    return undefined;
  }
  if (refer.attended) {
    reply(603, 'Declined (attended transfer not supported)');
    return undefined;
  }
  return refer;
}

/** get_refer_info(): "Give useful transfer information to the dialplan": TRANSFER_CONTEXT, else the device's context. */
export function referContext(variable: string | undefined, settings: SipPeerSettings, general: SipGeneral): string {
  return variable || settings.context || general.deviceDefaults.context;
}

/** Channels with a REFER being handled (chan_sip SIP_GOTREFER). */
const transferring = new WeakSet<SipChannel>();

/**
 * REFER in a call (chan_sip (Asterisk 20): handle_request_refer(), blind transfers): refused
 * with 603 when the device has `allowtransfer=no`, 491 while one is pending, 400 without
 * Refer-To, 603 for a non-SIP target; a target that is no extension of the transfer context
 * (TRANSFER_CONTEXT, else the device's context) gets 202 and a `404 Not found` NOTIFY.
 * Otherwise 202, the party bridged with the transferor leaves the bridge and runs the dialplan
 * at the target (SIPTRANSFER, SIPTRANSFER_REFERER, SIPDOMAIN, SIPREFERRINGCONTEXT,
 * __SIPREFERREDBYHDR set on it), the transferor is told `200 OK` and its channel ends without a
 * BYE (the phone sends it). A transferor with nobody bridged gets
 * `503 Service Unavailable (can't handle one-legged xfers)`. Attended transfers (Replaces) are
 * not handled: 603.
 */
export const handleRefer: InDialogHandler = (channel, request, reply) => {
  const refer = acceptableRefer(request, channel.settings.allowtransfer, transferring.has(channel), reply);
  if (refer === undefined) return;
  const referSeq = request.cseq.seq;
  const transferee = channel.bridgedWith;
  const services = channel.services;
  const transferContext = referContext(channel.variables.get('TRANSFER_CONTEXT'), channel.settings, services.general);
  if (transferee !== undefined) {
    transferee.variables.set('SIPREFERRINGCONTEXT', channel.settings.context);
    const referredByHeader = request.headers.get('Referred-By');
    if (referredByHeader !== undefined && referredByHeader !== '') transferee.variables.set('__SIPREFERREDBYHDR', referredByHeader);
  }
  if (!services.engine.dialplan.exists(transferContext, refer.exten, 1)) {
    // "Refer-to extension not found, fake a failed transfer".
    reply(202, 'Accepted');
    notifyReferResult(channel, referSeq, '404 Not found');
    return;
  }
  transferring.add(channel);
  reply(202, 'Accepted');
  const role = transferee === undefined ? undefined : bridgeRole(transferee);
  if (transferee === undefined || role === undefined || transferee.isHungUp) {
    transferring.delete(channel);
    notifyReferResult(channel, referSeq, "503 Service Unavailable (can't handle one-legged xfers)");
    return;
  }
  // blind_transfer_cb(): what the transferee's dialplan learns about the transfer.
  transferee.variables.set('SIPTRANSFER', 'yes');
  if (refer.referredBy !== '') transferee.variables.set('SIPTRANSFER_REFERER', refer.referredBy);
  if (refer.domain !== '') transferee.variables.set('SIPDOMAIN', refer.domain);
  leaveBridge(channel);
  const target = { context: transferContext, exten: refer.exten };
  // The Dial caller still waits in its bridge for the transferee to hang up: its dialplan then
  // ends there (h, hangup handlers). A Dial callee has no dialplan of its own and runs it fully.
  const runsOwnDialplan = role === 'callee';
  void services.engine
    .run(transferee, target, { noHangup: !runsOwnDialplan })
    .then(() => {
      if (!runsOwnDialplan && !transferee.isHungUp) transferee.hangup();
    })
    .catch((error: unknown) => {
      services.logger.error({ err: error, channel: transferee.name }, `dialplan failed on ${transferee.name} after a transfer`);
      transferee.hangup(34);
    });
  notifyReferResult(channel, referSeq, '200 OK');
  transferring.delete(channel);
  // handle_request_refer(): SIP_DEFER_BYE_ON_TRANSFER: no BYE from us, the transferor's phone
  // hangs up (its BYE still finds the dialog).
  channel.remoteHangup(16);
};
