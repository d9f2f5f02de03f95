import type { SipPeerSettings } from '@tandem/config';
import type { ChannelRequest, DialplanChannel } from '@tandem/dialplan';
import type { Peer } from '@tandem/registrar';
import {
  buildRequest,
  formatHost,
  ipFamily,
  parseUri,
  randomHex,
  type Destination,
  type SipRequest,
  type TransportProtocol,
} from '@tandem/sip';
import { nextChannelSuffix } from '../channels/channel-identity.js';
import type { ChanSip } from './chan-sip.js';
import { parseSipDialString, type SipDialString } from './dial-string.js';
import { MediaSession } from './media-session.js';
import { ALLOWED_METHODS, supportedExtensions } from './sip-constants.js';
import { SipChannel, type OutboundPlan } from './sip-channel.js';
import { isRestricted } from './caller-id.js';
import { addCustomHeaders, addIdentityHeaders, encodeSipUser } from './outbound-headers.js';

/** What Dial asked for, kept until the channel is called. */
export interface OutboundRequest {
  readonly dial: SipDialString;
  readonly peer: Peer | undefined;
}

/** Splits `host[:port]` (IPv6 in brackets). */
function splitHostPort(text: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1] ?? '', ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon && /^\d+$/.test(text.slice(colon + 1))) {
    return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
  }
  return { host: text };
}

/**
 * Dial(SIP/...) (chan_sip (Asterisk 20): sip_request_call()): checks what can be checked
 * without the network — a peer name must be known and reachable, purely numeric names are not
 * hosts, the call limit — and creates the channel. Name resolution happens when it is called.
 */
export function requestSipChannel(sip: ChanSip, resource: string, requestor: DialplanChannel | undefined): ChannelRequest {
  const dial = parseSipDialString(resource);
  if (dial === undefined) return { ok: false, cause: 27 };
  const general = sip.general;
  let peer: Peer | undefined;
  let label = dial.peerOrHost;
  if (dial.uri === undefined) {
    const candidate = sip.directory.get(dial.peerOrHost);
    if (candidate !== undefined && candidate.settings.isPeer) peer = candidate;
    if (peer !== undefined) {
      // chan_sip create_addr_from_peer(): no address, or qualify says unreachable -> cause 20.
      if (peer.target() === undefined || peer.unreachable) return { ok: false, cause: 20 };
      if (peer.settings.callLimit > 0 && peer.inUse >= peer.settings.callLimit) return { ok: false, cause: 17 };
    } else {
      const { host } = splitHostPort(dial.peerOrHost);
      if (host === '' || (/^\d+$/.test(host) && ipFamily(host) === 0)) return { ok: false, cause: 20 };
    }
  } else {
    label = dial.uri.replace(/^sips?:/i, '').split(/[;?]/)[0] ?? dial.uri;
  }
  const settings: SipPeerSettings = peer?.settings ?? general.deviceDefaults;
  let session: MediaSession;
  try {
    const bind = general.rtpBindAddress?.host ?? general.udpBindAddress.host;
    const endpoint = sip.media.allocate({ localAddress: bind === '' ? '0.0.0.0' : bind });
    session = new MediaSession(endpoint, settings, bind, { owner: general.sdpowner, sessionName: general.sdpsession }, settings.nat.comedia);
  } catch (error) {
    sip.logger.warn({ err: error }, 'RTP init failure');
    return { ok: false, cause: 34 };
  }
  const channel = new SipChannel(`SIP/${label}-${nextChannelSuffix()}`, sip, settings, peer, session, 'outbound', requestor?.linkedId);
  channel.prepareOutbound({ dial, peer });
  const requestorCodec = requestor instanceof SipChannel ? requestor.session.primaryCodec : undefined;
  if (requestorCodec !== undefined) channel.preferred = [requestorCodec];
  if (peer !== undefined && peer.settings.callLimit > 0) {
    peer.inUse += 1;
    channel.countedInUse = true;
  }
  sip.channels.add(channel);
  return { ok: true, channel };
}

/**
 * Resolves where the INVITE goes and how it is addressed (chan_sip create_addr(),
 * initreqprep()); a cause (20) when the destination cannot be reached.
 */
export async function planOutbound(sip: ChanSip, channel: SipChannel, request: OutboundRequest): Promise<OutboundPlan | { cause: number }> {
  const { dial, peer } = request;
  const general = sip.general;
  const settings = channel.settings;
  let destination: Destination;
  let requestUri: string;
  let toHost: string;
  if (dial.uri !== undefined) {
    const uri = parseUri(dial.uri);
    const transport = (uri.params.find((param) => param.name.toLowerCase() === 'transport')?.value ?? (uri.scheme === 'sips' ? 'tls' : 'udp')).toLowerCase() as TransportProtocol;
    const resolved = await sip.resolver.resolveChanSip({ host: uri.host, ...(uri.port === undefined ? {} : { port: uri.port }), transport }, { srvLookup: general.srvlookup }).catch(() => undefined);
    if (resolved === undefined) return { cause: 20 };
    destination = { transport, address: resolved.address, port: resolved.port };
    requestUri = dial.uri;
    toHost = formatHost(uri.host) + (uri.port === undefined ? '' : `:${uri.port}`);
  } else if (peer !== undefined) {
    const target = peer.target();
    if (target === undefined) return { cause: 20 };
    const transport = dial.transport ?? target.transport;
    destination = {
      transport,
      address: target.address,
      port: target.port,
      ...(target.connectionId === undefined ? {} : { connectionId: target.connectionId }),
    };
    const staticHost = peer.settings.host?.kind === 'static' ? peer.settings.host.host : undefined;
    const hostText = staticHost ?? formatHost(target.address);
    const withPort = peer.settings.port !== undefined || peer.isDynamic;
    toHost = `${hostText}${withPort ? `:${target.port}` : ''}`;
    if (dial.exten !== undefined) {
      // A dialled extension skips the registered Contact (reference §5.1); Tandem keeps the
      // port that Asterisk drops (§10.11).
      requestUri = `sip:${dial.exten}@${toHost}`;
    } else if (target.contact !== undefined) {
      requestUri = target.contact;
    } else {
      const user = peer.defaultUser;
      requestUri = `sip:${user === '' ? '' : `${user}@`}${toHost}`;
    }
  } else {
    const { host, port } = splitHostPort(dial.peerOrHost);
    const transport = dial.transport ?? settings.transports[0] ?? 'udp';
    const resolved = await sip.resolver
      .resolveChanSip({ host, ...(port === undefined ? {} : { port }), transport }, { srvLookup: general.srvlookup })
      .catch(() => undefined);
    if (resolved === undefined) return { cause: 20 };
    destination = { transport, address: resolved.address, port: resolved.port };
    toHost = `${formatHost(host)}${port === undefined ? '' : `:${port}`}`;
    requestUri = `sip:${dial.exten === undefined ? '' : `${dial.exten}@`}${toHost}`;
  }
  const uriOptions = channel.variables.get('SIP_URI_OPTIONS');
  if (uriOptions !== undefined && uriOptions !== '') requestUri += `;${uriOptions}`;

  let to: string;
  if (dial.toUser !== undefined) {
    to = `<sip:${dial.toUser}@${dial.toDomain ?? toHost}>`;
  } else {
    const vxml = channel.variables.get('VXML_URL');
    to = vxml !== undefined && vxml !== '' ? `<${requestUri}>;${vxml}` : `<${requestUri}>`;
  }
  const local = await sip.endpoint.transport.localEndpointFor(destination);
  const fromDomain = dial.fromDomain ?? (peer?.settings.fromdomain ? `${peer.settings.fromdomain.host}${peer.settings.fromdomain.port !== 5060 ? `:${peer.settings.fromdomain.port}` : ''}` : undefined) ?? (general.fromdomain ? general.fromdomain.host : undefined);
  const callIdHost = fromDomain ?? formatHost(local.address);
  const forceRport = settings.nat.forceRport;
  return {
    destination,
    requestUri,
    to,
    ...(dial.fromUser !== undefined ? { fromUser: dial.fromUser } : peer?.settings.fromuser ? { fromUser: peer.settings.fromuser } : {}),
    ...(fromDomain !== undefined ? { fromDomain } : {}),
    authUser: dial.authName ?? (peer ? peer.settings.defaultuser || peer.name : dial.exten ?? ''),
    secret: dial.secret ?? (peer ? peer.settings.remotesecret || peer.settings.secret : ''),
    md5secret: dial.md5secret ?? peer?.settings.md5secret ?? '',
    rport: forceRport,
    callId: `${randomHex(32)}@${callIdHost}`,
    local,
  };
}

/** Escapes a display name for a quoted string. */
function quoteName(name: string): string {
  return `"${name.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * The INVITE of an outbound leg in chan_sip's layout (reference §5.3): From with the caller's
 * name and number (or fromuser/fromdomain), To, Contact, Call-ID, CSeq, User-Agent, Date,
 * Allow, Supported, identity headers (sendrpid), SIPAddHeader headers, and our SDP offer.
 */
export async function buildOutboundInvite(
  sip: ChanSip,
  channel: SipChannel,
  plan: OutboundPlan,
  fromTag: string,
  cseq: number,
  authorization?: readonly [string, string],
): Promise<SipRequest> {
  const general = sip.general;
  const settings = channel.settings;
  const callerId = channel.callerId;
  const restricted = isRestricted(callerId.presentation);
  let user: string;
  let name: string;
  let domain = plan.fromDomain ?? formatHost(plan.local.address);
  const hasNumber = callerId.number !== '';
  const hasName = callerId.name !== '';
  if (restricted) {
    // initreqprep(): "we shouldn't leak information in the From"; a configured fromdomain still wins.
    user = 'anonymous';
    name = 'Anonymous';
    domain = plan.fromDomain ?? 'anonymous.invalid';
  } else {
    user = hasNumber ? callerId.number : general.callerid;
    name = hasName ? callerId.name : user;
  }
  if (plan.fromUser !== undefined) user = plan.fromUser;
  const ourPort = plan.local.port;
  const standardPort = plan.destination.transport === 'tls' ? 5061 : 5060;
  const fromUri = `sip:${encodeSipUser(user)}@${domain}${ourPort !== standardPort && plan.fromDomain === undefined ? `:${ourPort}` : ''}`;
  const showName = restricted || hasName || !hasNumber;
  const from = `${showName ? `${quoteName(name)} ` : ''}<${fromUri}>;tag=${fromTag}`;
  const contact = sip.contactFor(user, plan.destination.transport, plan.local);
  channel.session.address = plan.local.address;
  const preferred = channel.preferredCodecs();
  const sdp = channel.session.offer(preferred);

  const headers: [string, string][] = [
    ['Date', new Date().toUTCString()],
    // chan_sip transmit_invite(): the session timer's Session-Expires/Min-SE come after Date.
    ...channel.signalling.timer.initialInviteHeaders(),
    ['Allow', ALLOWED_METHODS],
    ['Supported', supportedExtensions(settings.sessionTimers.mode !== 'refuse')],
  ];
  if (authorization !== undefined) headers.push([authorization[0], authorization[1]]);
  addIdentityHeaders(headers, channel, settings, domain, formatHost(plan.local.address));
  addCustomHeaders(headers, channel);
  const maxForwards = Number(channel.variables.get('SIP_MAX_FORWARDS') ?? settings.maxforwards);
  return buildRequest({
    method: 'INVITE',
    uri: plan.requestUri,
    maxForwards: Number.isInteger(maxForwards) && maxForwards > 0 ? maxForwards : settings.maxforwards,
    from,
    to: plan.to,
    contact,
    callId: plan.callId,
    cseq,
    userAgent: general.useragent,
    headers,
    contentType: 'application/sdp',
    body: sdp,
  });
}
