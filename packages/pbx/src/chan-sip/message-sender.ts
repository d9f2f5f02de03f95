import type { SipGeneral, SipRealmAuth } from '@tandem/config';
import type { Logger, PeerDirectory } from '@tandem/registrar';
import { buildRequest, formatHost, generateCallId, generateTag, tryParseUri, type LocalEndpoint, type TransportProtocol } from '@tandem/sip';
import type { MessageTechnology } from '../messaging/message-dialplan.js';
import type { TextMessage } from '../messaging/text-message.js';
import { sendAuthenticated } from './authenticated-request.js';
import { encodeSipUser, escapeQuoted } from './outbound-headers.js';
import { resolveRequestTarget, targetRequestUri, type TargetResolution } from './request-target.js';

/** What sending a MESSAGE needs from the SIP channel driver. */
export interface MessageSending extends TargetResolution {
  readonly logger: Logger;
  /** `[authentication]` credentials. */
  readonly authentication: readonly SipRealmAuth[];
  /** Our Contact (`<sip:user@ourip:port>`). */
  contactFor(user: string, transport: TransportProtocol, local: LocalEndpoint | undefined): string;
}

/** Headers MessageSend never copies from message data (chan_sip block_msg_header()). */
const BLOCKED_HEADERS = new Set(['to', 'from', 'via', 'route', 'contact', 'call-id', 'cseq', 'allow', 'content-length', 'request-uri']);

/** The sender a MessageSend `from` gives: display name, From user, From domain (each optional). */
interface Sender {
  name?: string;
  user?: string;
  domain?: string;
}

/** ast_strip_quoted() with `"`: drops one pair of quotes around the whole (trimmed) text. */
function stripQuotes(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The From of a sent message (chan_sip sip_msg_send()): a user/friend name gives its caller ID
 * name and number (else its name); a `name <uri>` form gives the name and the URI's user and
 * host (or the text in brackets as the user when it is no URI); anything else is the display
 * name only.
 */
function senderOf(from: string, directory: PeerDirectory): Sender {
  if (from === '') return {};
  const device = directory.get(from);
  if (device !== undefined && device.settings.isUser) {
    return { name: device.settings.callerid.name || device.name, user: device.settings.callerid.number || device.name };
  }
  if (!from.includes('<')) return { name: from };
  // main/callerid.c ast_callerid_parse().
  const input = stripQuotes(from);
  const open = input.lastIndexOf('<');
  const close = input.lastIndexOf('>');
  let location = input.slice(open + 1, close > open ? close : undefined);
  let name: string | undefined = stripQuotes(input.slice(0, open)).replace(/\\(.)/g, '$1');
  if (location === '') {
    location = name;
    name = undefined;
  }
  const sender: Sender = name === undefined ? {} : { name };
  if (!location.includes(':')) return { ...sender, user: location };
  const uri = tryParseUri(location);
  if (uri === undefined) return sender;
  let user = uri.user ?? '';
  try {
    user = decodeURIComponent(user);
  } catch {
    // Keep it raw.
  }
  return { ...sender, user, domain: formatHost(uri.host) };
}

/** The Request-URI user and host part of a MessageSend destination (`sip:user@host:port`, `sip:peer`). */
function destinationParts(destination: string): { user: string; hostPart: string } | undefined {
  const inBrackets = /<([^>]*)>/.exec(destination)?.[1] ?? destination;
  const uri = tryParseUri(inBrackets.trim());
  if (uri === undefined || uri.scheme === 'tel' || uri.host === '') return undefined;
  return { user: uri.user ?? '', hostPart: `${formatHost(uri.host)}${uri.port === undefined ? '' : `:${uri.port}`}` };
}

/**
 * chan_sip's message technology (`sip`, sip_msg_send()): sends the message out of any dialog
 * to a peer or host, From built from the `from` argument, the message's outbound data as
 * headers (Max-Forwards decremented, Content-Type defaulting to `text/plain;charset=UTF-8`),
 * and answers digest challenges. Succeeds once the MESSAGE left, as chan_sip does.
 */
export class SipMessageTechnology implements MessageTechnology {
  readonly name = 'sip';

  constructor(private readonly sip: () => MessageSending) {}

  async send(message: TextMessage, destination: string, from: string): Promise<boolean> {
    const sip = this.sip();
    const parts = destinationParts(destination);
    if (parts === undefined) {
      sip.logger.warn({ asteriskLevel: 'WARNING' }, `MESSAGE(to) is invalid for SIP - '${destination}'`);
      return false;
    }
    let maxForwards: number | undefined;
    const headers: [string, string][] = [];
    let contentType = 'text/plain;charset=UTF-8';
    let requestUri: string | undefined;
    for (const [name, value] of message.outboundVariables()) {
      const lower = name.toLowerCase();
      if (lower === 'request-uri') requestUri ??= value;
      if (lower === 'max-forwards') {
        // "Decrement Max-Forwards for SIP loop prevention."
        const hops = Number.parseInt(value, 10);
        if (!Number.isFinite(hops) || hops < 1) {
          sip.logger.info({ asteriskLevel: 'NOTICE' }, 'MESSAGE(Max-Forwards) reached zero.  MESSAGE not sent.');
          return false;
        }
        maxForwards = hops - 1;
      } else if (lower === 'content-type') {
        contentType = value;
      } else if (!BLOCKED_HEADERS.has(lower)) {
        headers.push([name, value]);
      }
    }
    const sender = senderOf(from, sip.directory);
    const target = await resolveRequestTarget(sip, parts.hostPart, parts.user);
    if (target === undefined) return false;
    const general: SipGeneral = sip.general;
    // initreqprep(): without a channel the number is `callerid=`; fromuser/fromdomain of the peer win.
    const user = target.fromUser ?? sender.user ?? general.callerid;
    const name = sender.name !== undefined && sender.name !== '' ? sender.name : general.callerid;
    const configuredDomain = target.fromDomain ?? general.fromdomain;
    const domain = target.fromDomain?.host ?? sender.domain ?? configuredDomain?.host ?? formatHost(target.local.address);
    // initreqprep(): a fromdomain port other than 5060 is written, else our port when not the standard one.
    const domainPort = configuredDomain?.port ?? 0;
    const fromPort = domainPort !== 0 && domainPort !== 5060 ? domainPort : target.local.port;
    const standardPort = target.destination.transport === 'tls' ? 5061 : 5060;
    const portText = fromPort !== standardPort ? `:${fromPort}` : '';
    const uri = requestUri ?? targetRequestUri(target);
    const fromTag = generateTag();
    const callId = generateCallId(configuredDomain?.host ?? formatHost(target.local.address));
    const fromHeader = `"${escapeQuoted(name)}" <sip:${encodeSipUser(user)}@${domain}${portText}>;tag=${fromTag}`;
    const contact = sip.contactFor(user, target.destination.transport, target.local);
    const body = message.body;
    void sendAuthenticated(
      {
        endpoint: sip.endpoint,
        destination: target.destination,
        t1: target.t1,
        rport: target.rport,
        credentials: { realmAuth: target.realmAuth, globalAuth: sip.authentication, authUser: target.authUser, secret: target.secret, md5secret: target.md5secret },
        build: (cseq, authorization) =>
          buildRequest({
            method: 'MESSAGE',
            uri,
            maxForwards: maxForwards ?? target.maxForwards,
            from: fromHeader,
            to: `<${uri}>`,
            contact,
            callId,
            cseq,
            userAgent: general.useragent,
            headers: authorization === undefined ? headers : [authorization, ...headers],
            contentType,
            body,
          }),
      },
      102,
    )
      .then((response) => {
        if (response.status >= 300) {
          sip.logger.warn({ asteriskLevel: 'WARNING' }, `MESSAGE to ${uri} failed: ${response.status} ${response.reason}`);
        }
      })
      .catch((error: unknown) => sip.logger.warn({ err: error }, `MESSAGE to ${uri} could not be sent`));
    return true;
  }
}
