import { compactHeaderNames, createResponse, formatHost, type ServerTransaction, type SipRequest } from '@tandem/sip';
import { TextMessage } from '../../messaging/text-message.js';
import type { ChanSip } from '../chan-sip.js';
import { checkCaller } from '../device-matching.js';
import { destinationContext } from '../sip-domains.js';
import { escapeQuoted } from '../outbound-headers.js';
import { ALLOWED_METHODS, supportedExtensions } from '../sip-constants.js';
import type { OutOfDialogHandler } from './out-of-dialog-handler.js';

/** A full header name for a compact one, capitalised as chan_sip's aliases[] table writes it (find_full_alias()). */
function fullHeaderName(name: string): string {
  const full = compactHeaderNames[name.toLowerCase()];
  if (name.length !== 1 || full === undefined) return name;
  return full
    .split('-')
    .map((word) => (word === 'id' ? 'ID' : `${word.charAt(0).toUpperCase()}${word.slice(1)}`))
    .join('-');
}

/** The message body without the line feeds chan_sip's get_content() leaves at its end. */
export function messageBody(request: SipRequest): string {
  return request.bodyText.replace(/\r\n/g, '\n').replace(/\n+$/, '');
}

/** `"name" <uri>` or `<uri>` of the From header (receive_message()). */
function senderText(request: SipRequest): string {
  const raw = request.headers.get('From') ?? '';
  const open = raw.indexOf('<');
  const close = raw.indexOf('>', open);
  const uri = open >= 0 ? raw.slice(open + 1, close > open ? close : undefined) : (raw.split(';')[0] ?? '').trim();
  const name = request.from.displayName ?? '';
  return name === '' ? `<${uri}>` : `"${escapeQuoted(name)}" <${uri}>`;
}

/** The Request-URI user as an extension of `context`: as written, else URI-decoded (get_destination()). */
function messageExten(sip: ChanSip, context: string, request: SipRequest): string {
  const user = request.requestUri?.user ?? '';
  const raw = user === '' ? 's' : user;
  if (sip.engine.dialplan.exists(context, raw, 1)) return raw;
  try {
    const decoded = decodeURIComponent(raw);
    if (sip.engine.dialplan.exists(context, decoded, 1)) return decoded;
  } catch {
    // Not valid percent-encoding: keep the raw user.
  }
  return raw;
}

/** Answers the MESSAGE in chan_sip's layout (our To tag, Server, Allow, Supported). */
function answer(sip: ChanSip, request: SipRequest, transaction: ServerTransaction, status: number, reason: string): void {
  const response = createResponse(request, status, reason, { toTag: sip.registrar.authenticator.dialogTag(request) });
  response.headers.add('Server', sip.general.useragent);
  response.headers.add('Allow', ALLOWED_METHODS);
  response.headers.add('Supported', supportedExtensions(sip.general.deviceDefaults.sessionTimers.mode !== 'refuse'));
  try {
    transaction.respond(response);
  } catch {
    // Answered meanwhile.
  }
}

/**
 * A MESSAGE outside a call (chan_sip (Asterisk 20): receive_message() without an owner):
 * `text/plain` only (415), refused with 405 when `accept_outofcall_message=no`, authenticated
 * like an INVITE with `auth_message_requests=yes` (else a peer matched by address gives its
 * context when it has no secret), routed in `outofcall_message_context` or the device's
 * context to the Request-URI user: 202 when the dialplan takes it, 404 otherwise.
 */
export const handleMessage: OutOfDialogHandler = async (sip, request, transaction) => {
  const source = request.source;
  if (source === undefined) return;
  const general = sip.general;
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!contentType.trimStart().startsWith('text/plain')) {
    answer(sip, request, transaction, 415, 'Unsupported Media Type');
    return;
  }
  if (!general.acceptOutofcallMessage) {
    answer(sip, request, transaction, 405, 'Method Not Allowed');
    return;
  }
  let context = general.deviceDefaults.context;
  let messageContext = '';
  let peerName = '';
  if (general.authMessageRequests) {
    const check = await checkCaller(sip, request, source);
    if (check.outcome !== 'accepted') {
      transaction.respond(check.response);
      return;
    }
    if (check.peer !== undefined) {
      context = check.peer.settings.context;
      messageContext = check.peer.settings.messageContext;
      peerName = check.peer.name;
    }
  } else {
    // "Check to see if we match a peer anyway so that we can direct it to the right context."
    const peer = await sip.directory.findByAddressWithRealtime(source.remoteAddress, source.remotePort, source.transport).catch(() => undefined);
    if (peer !== undefined) {
      if (peer.settings.secret === '' && peer.settings.md5secret === '') context = peer.settings.context;
      messageContext = peer.settings.messageContext;
      peerName = peer.name;
    }
  }
  const domain = destinationContext(general, request, undefined);
  // A listed domain's context serves senders without a device context of their own.
  if (peerName === '' && domain.outcome === 'context') context = domain.context;
  if (messageContext !== '') context = messageContext;
  else if (general.deviceDefaults.messageContext !== '') context = general.deviceDefaults.messageContext;
  const scheme = request.requestUri?.scheme;
  if (scheme === undefined) {
    answer(sip, request, transaction, 416, 'Unsupported URI Scheme');
    return;
  }

  const message = new TextMessage();
  message.to = request.uri;
  message.from = senderText(request);
  message.body = messageBody(request);
  message.context = context;
  message.exten = messageExten(sip, context, request);
  message.tech = 'SIP';
  message.setVariable('SIP_RECVADDR', `${formatHost(source.remoteAddress)}:${source.remotePort}`, false);
  if (peerName !== '') {
    message.endpoint = peerName;
    message.setVariable('SIP_PEERNAME', peerName, false);
  }
  const contact = request.headers.get('Contact') ?? '';
  message.setVariable('SIP_FULLCONTACT', /<([^>]*)>/.exec(contact)?.[1] ?? contact, false);
  for (const field of request.headers) message.setVariable(fullHeaderName(field.name), field.value, false);

  if (!sip.messages.hasDestination(message)) {
    answer(sip, request, transaction, 404, 'Not Found');
    return;
  }
  void sip.messages.queue(message);
  answer(sip, request, transaction, 202, 'Accepted');
};
