import type { OutboundProxy, SipPeerSettings } from '@tandem/config';
import type { ChannelRequest, DialplanChannel } from '@tandem/dialplan';
import type { Peer } from '@tandem/registrar';
import {
  buildRequest,
  formatHost,
  formatRouteHeader,
  ipFamily,
  parseRouteHops,
  generateCallId,
  routeHopUri,
  tryParseUri,
  type Destination,
  type LocalEndpoint,
  type RouteHop,
  type SipRequest,
  type SipUri,
  type TransportProtocol,
} from '@tandem/sip';
import { nextChannelSuffix } from '../channels/channel-identity.js';
import type { ChanSip } from './chan-sip.js';
import { parseNextHop, parseSipDialString, splitHostPort, type SipDialString } from './dial-string.js';
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

/**
 * Dial(SIP/...) (chan_sip (Asterisk 20): sip_request_call()): checks what can be checked
 * without the network — a peer name must be known and reachable, purely numeric names are not
 * hosts, the call limit — and creates the channel. Name resolution happens when it is called.
 * A name that is not in memory is looked up in realtime `sippeers` first (create_addr() ->
 * sip_find_peer() with realtime), so the request resolves later then.
 */
export function requestSipChannel(sip: ChanSip, resource: string, requestor: DialplanChannel | undefined): ChannelRequest | Promise<ChannelRequest> {
  const dial = parseSipDialString(resource);
  if (dial === undefined) return { ok: false, cause: 27 };
  if (dial.uri !== undefined) return createSipChannel(sip, dial, undefined, requestor);
  const inMemory = sip.directory.get(dial.peerOrHost);
  if (inMemory !== undefined || sip.directory.realtime?.has('sippeers') !== true) {
    return createSipChannel(sip, dial, inMemory?.settings.isPeer === true ? inMemory : undefined, requestor);
  }
  return sip.directory.find(dial.peerOrHost, 'peer').then(
    (peer) => createSipChannel(sip, dial, peer, requestor),
    (error: unknown) => {
      // The database cannot answer: chan_sip then takes the name for a host name.
      sip.logger.warn({ err: error }, `realtime lookup of peer '${dial.peerOrHost}' failed: ${String(error)}`);
      return createSipChannel(sip, dial, undefined, requestor);
    },
  );
}

/** The channel for a dial string whose peer (if any) is known. */
function createSipChannel(sip: ChanSip, dial: SipDialString, peer: Peer | undefined, requestor: DialplanChannel | undefined): ChannelRequest {
  const general = sip.general;
  let label = dial.peerOrHost;
  if (dial.uri === undefined) {
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
    // The caller's endpoint shares its I/O thread with this leg: bridging them moves nothing.
    const near = requestor instanceof SipChannel ? requestor.session.endpoint : undefined;
    const localAddress = bind === '' ? '0.0.0.0' : bind;
    const endpoint = sip.media.allocate({ localAddress, ...(near === undefined ? {} : { near }) });
    const allocateExtra = () => sip.media.allocate({ localAddress, near: endpoint });
    // chan_sip set_peer_nat(): auto_comedia follows the NAT seen on the peer's REGISTER.
    const symmetric = settings.nat.comedia || (settings.nat.autoComedia && peer?.natDetected === true);
    session = new MediaSession(endpoint, settings, bind, { owner: general.sdpowner, sessionName: general.sdpsession }, symmetric, allocateExtra);
  } catch (error) {
    sip.logger.warn({ err: error }, 'RTP init failure');
    return { ok: false, cause: 34 };
  }
  const channel = new SipChannel(`SIP/${label}-${nextChannelSuffix()}`, sip, settings, peer, session, 'outbound', requestor?.linkedId);
  channel.prepareOutbound({ dial, peer });
  const requestorCodec = requestor instanceof SipChannel ? requestor.session.primaryCodec : undefined;
  if (requestorCodec !== undefined) channel.preferred = [requestorCodec];
  if (requestor instanceof SipChannel) channel.requestorSession = requestor.session;
  if (general.directrtpsetup && requestor instanceof SipChannel) channel.earlyMediaPartner = requestor;
  sip.channels.add(channel);
  return { ok: true, channel };
}

/** Where a call is addressed before any outbound proxy (chan_sip create_addr() results). */
interface Addressing {
  readonly requestUri: string;
  /** `host[:port]` of the To header and of a Request-URI built from parts. */
  readonly toHost: string;
  /** Where to send, in try order (more than one only for RFC 3263 fail-over). */
  readonly targets: readonly Destination[];
  /** Route set preloaded from the peer's Path (supportpath). */
  readonly routeSet?: readonly RouteHop[];
}

/** The transports Tandem listens on, which RFC 3263 may choose from. */
function listeningTransports(sip: ChanSip): TransportProtocol[] {
  const general = sip.general;
  return ['udp', ...(general.tcpEnabled ? ['tcp' as const] : []), ...(general.tls.enabled ? ['tls' as const] : [])];
}

/**
 * A host (not a peer) to send to: with `srvlookup=yes`, RFC 3263 (NAPTR, SRV by priority and
 * weight, A/AAAA) with every target kept for fail-over — Tandem goes beyond chan_sip, which
 * uses the first SRV target only; with `srvlookup=no`, chan_sip's A/AAAA lookup.
 */
async function resolveHost(sip: ChanSip, uri: Pick<SipUri, 'scheme' | 'host' | 'port' | 'params'>, transport: TransportProtocol | undefined): Promise<Destination[]> {
  const general = sip.general;
  try {
    if (general.srvlookup) {
      const params = transport === undefined ? uri.params : [...uri.params.filter((param) => param.name.toLowerCase() !== 'transport'), { name: 'transport', value: transport }];
      const targets = await sip.resolver.resolveRfc3263({ ...uri, params }, { transports: listeningTransports(sip) });
      return targets.map((target) => ({ transport: target.transport, address: target.address, port: target.port }));
    }
    const chosen = transport ?? (uri.scheme === 'sips' ? 'tls' : 'udp');
    const target = await sip.resolver.resolveChanSip({ host: uri.host, ...(uri.port === undefined ? {} : { port: uri.port }), transport: chosen }, { srvLookup: false });
    return [{ transport: chosen, address: target.address, port: target.port }];
  } catch {
    return [];
  }
}

/** The transport a dial string or URI asks for (`;transport=`, `sips:`), if any. */
function uriTransport(uri: SipUri): TransportProtocol | undefined {
  const param = uri.params.find((entry) => entry.name.toLowerCase() === 'transport')?.value?.toLowerCase();
  if (param === 'udp' || param === 'tcp' || param === 'tls' || param === 'ws' || param === 'wss') return param;
  return uri.scheme === 'sips' ? 'tls' : undefined;
}

// chan_sip create_addr_from_peer(): the registered Contact (or host=), the peer's Path as the
// preloaded route set and its first hop as the address to send to.
async function addressPeer(sip: ChanSip, dial: SipDialString, peer: Peer): Promise<Addressing | undefined> {
  const target = peer.target();
  if (target === undefined) return undefined;
  let destination: Destination = {
    transport: dial.transport ?? target.transport,
    address: target.address,
    port: target.port,
    ...(target.connectionId === undefined ? {} : { connectionId: target.connectionId }),
  };
  const staticHost = peer.settings.host?.kind === 'static' ? peer.settings.host.host : undefined;
  const hostText = staticHost ?? formatHost(target.address);
  const withPort = peer.settings.port !== undefined || peer.isDynamic;
  const toHost = `${hostText}${withPort ? `:${target.port}` : ''}`;
  let requestUri: string;
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
  const routeSet = peer.settings.supportPath ? parseRouteHops(peer.binding?.path ?? []) : [];
  const firstHop = routeSet[0] === undefined ? undefined : routeHopUri(routeSet[0]);
  if (firstHop !== undefined && destination.connectionId === undefined) {
    // __set_address_from_contact(): the first hop's A/AAAA address (a TCP/TLS peer keeps its
    // connection); a hop that does not resolve leaves the peer's address.
    const hopPort = firstHop.port;
    const resolved = await sip.resolver
      .resolveChanSip({ host: firstHop.host, ...(hopPort === undefined ? {} : { port: hopPort }), transport: destination.transport }, { srvLookup: false })
      .catch(() => undefined);
    if (resolved !== undefined) destination = { transport: destination.transport, address: resolved.address, port: resolved.port };
  }
  return { requestUri, toHost, targets: [destination], ...(routeSet.length > 0 ? { routeSet } : {}) };
}

async function addressOf(sip: ChanSip, request: OutboundRequest, settings: SipPeerSettings): Promise<Addressing | undefined> {
  const { dial, peer } = request;
  if (dial.uri !== undefined) {
    const uri = tryParseUri(dial.uri);
    if (uri === undefined || uri.scheme === 'tel') return undefined;
    const targets = await resolveHost(sip, uri, uriTransport(uri));
    const toHost = formatHost(uri.host) + (uri.port === undefined ? '' : `:${uri.port}`);
    return { requestUri: dial.uri, toHost, targets };
  }
  if (peer !== undefined) return addressPeer(sip, dial, peer);
  const { host, port } = splitHostPort(dial.peerOrHost);
  // RFC 3263 picks the transport itself unless the dial string names one; chan_sip uses the
  // default transport (the first of `transport=`).
  const transport = dial.transport ?? (sip.general.srvlookup ? undefined : settings.transports.find((candidate) => candidate === 'udp' || candidate === 'tcp' || candidate === 'tls'));
  const targets = await resolveHost(sip, { scheme: 'sip', host: host.includes(':') ? `[${host}]` : host, ...(port === undefined ? {} : { port }), params: [] }, transport);
  const toHost = `${formatHost(host)}${port === undefined ? '' : `:${port}`}`;
  return { requestUri: `sip:${dial.exten === undefined ? '' : `${dial.exten}@`}${toHost}`, toHost, targets };
}

/** chan_sip obproxy_get(): the dial string's next hop, the peer's outboundproxy, the global one. */
function outboundProxyOf(sip: ChanSip, request: OutboundRequest): OutboundProxy | undefined {
  if (request.dial.nextHop !== undefined) {
    const proxy = parseNextHop(request.dial.nextHop);
    if (proxy === undefined) sip.logger.warn({ asteriskLevel: 'WARNING' }, `Unable to parse outboundproxy ${request.dial.nextHop}. We will not use this remote IP address`);
    else return proxy;
  }
  return request.peer?.settings.outboundproxy ?? sip.general.outboundproxy;
}

/**
 * Resolves where the INVITE goes and how it is addressed (chan_sip create_addr(),
 * initreqprep()); a cause (20) when the destination cannot be reached. An outbound proxy
 * takes the INVITE (and, with `force`, every request of the dialog).
 */
export async function planOutbound(sip: ChanSip, channel: SipChannel, request: OutboundRequest): Promise<OutboundPlan | { cause: number }> {
  const { dial, peer } = request;
  const general = sip.general;
  const settings = channel.settings;
  const addressing = await addressOf(sip, request, settings);
  if (addressing === undefined || addressing.targets.length === 0) return { cause: 20 };
  let targets = addressing.targets;
  const proxy = outboundProxyOf(sip, request);
  if (proxy !== undefined) {
    // chan_sip proxy_update(): an IP as is, else A/SRV (`_sip._udp`) with srvlookup.
    const resolved = await sip.resolver
      .resolveChanSip({ host: proxy.host, ...(proxy.port === undefined ? {} : { port: proxy.port }), transport: proxy.transport }, { srvLookup: general.srvlookup })
      .catch(() => undefined);
    if (resolved === undefined) {
      sip.logger.warn({ asteriskLevel: 'WARNING' }, `Unable to locate host '${proxy.host}'`);
      return { cause: 20 };
    }
    targets = [{ transport: proxy.transport, address: resolved.address, port: resolved.port }];
  }
  let requestUri = addressing.requestUri;
  const uriOptions = channel.variables.get('SIP_URI_OPTIONS');
  if (uriOptions !== undefined && uriOptions !== '') requestUri += `;${uriOptions}`;

  let to: string;
  if (dial.toUser !== undefined) {
    to = `<sip:${dial.toUser}@${dial.toDomain ?? addressing.toHost}>`;
  } else {
    const vxml = channel.variables.get('VXML_URL');
    to = vxml !== undefined && vxml !== '' ? `<${requestUri}>;${vxml}` : `<${requestUri}>`;
  }
  const first = targets[0] as Destination;
  const local = await sip.ourAddress.toward(first);
  const fromDomain = dial.fromDomain ?? (peer?.settings.fromdomain ? `${peer.settings.fromdomain.host}${peer.settings.fromdomain.port !== 5060 ? `:${peer.settings.fromdomain.port}` : ''}` : undefined) ?? (general.fromdomain ? general.fromdomain.host : undefined);
  const callIdHost = fromDomain ?? formatHost(local.address);
  const nat = settings.nat;
  const base: Omit<OutboundPlan, 'destination' | 'local' | 'failover'> = {
    requestUri,
    to,
    ...(dial.fromUser !== undefined ? { fromUser: dial.fromUser } : peer?.settings.fromuser ? { fromUser: peer.settings.fromuser } : {}),
    ...(fromDomain !== undefined ? { fromDomain } : {}),
    authUser: dial.authName ?? (peer ? peer.settings.defaultuser || peer.name : dial.exten ?? ''),
    secret: dial.secret ?? (peer ? peer.settings.remotesecret || peer.settings.secret : ''),
    md5secret: dial.md5secret ?? peer?.settings.md5secret ?? '',
    realmCredentials: [...(peer?.settings.auth ?? []), ...sip.config.sip.authentication],
    // chan_sip set_peer_nat(): auto_force_rport follows the NAT seen on the peer's REGISTER.
    rport: nat.forceRport || (nat.autoForceRport && peer?.natDetected === true),
    callId: generateCallId(callIdHost),
    ...(addressing.routeSet === undefined ? {} : { routeSet: addressing.routeSet }),
    ...(proxy?.force === true ? { forceProxy: true } : {}),
  };
  return withTarget(sip, base, targets, 0, local);
}

/** The plan for the `index`-th target, with the next one as its RFC 3263 §4.3 fail-over. */
async function withTarget(
  sip: ChanSip,
  base: Omit<OutboundPlan, 'destination' | 'local' | 'failover'>,
  targets: readonly Destination[],
  index: number,
  known?: LocalEndpoint,
): Promise<OutboundPlan> {
  const destination = targets[index] as Destination;
  const local = known ?? (await sip.ourAddress.toward(destination));
  const hasNext = index + 1 < targets.length;
  return { ...base, destination, local, ...(hasNext ? { failover: () => withTarget(sip, base, targets, index + 1) } : {}) };
}

/**
 * The credentials answering a challenge for `realm` (chan_sip build_reply_digest()): a realm
 * entry of the peer's `auth=` or of `[authentication]`, else the peer's or dial string's
 * user and secret; undefined when there is no user to answer with.
 */
export function digestCredentials(
  plan: Pick<OutboundPlan, 'authUser' | 'secret' | 'md5secret' | 'realmCredentials'>,
  realm: string,
): { username: string; secret: string; md5secret: string } | undefined {
  const entry = plan.realmCredentials?.find((candidate) => candidate.realm.toLowerCase() === realm.toLowerCase());
  if (entry !== undefined) return { username: entry.user, secret: entry.secret ?? '', md5secret: entry.md5secret ?? '' };
  if (plan.authUser === '' || (plan.secret === '' && plan.md5secret === '')) return undefined;
  return { username: plan.authUser, secret: plan.secret, md5secret: plan.md5secret };
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
  channel.session.address = sip.ourAddress.mediaAddress(plan.local);
  const preferred = channel.preferredCodecs();
  const requestorSession = channel.requestorSession;
  const requestorStreams = {
    ...(requestorSession?.extraStream('video') === undefined ? {} : { video: requestorSession.extraStream('video')?.codecs ?? [] }),
    ...(requestorSession?.extraStream('text') === undefined ? {} : { text: requestorSession.extraStream('text')?.codecs ?? [] }),
  };
  const sdp = channel.session.offer(preferred, (codecs) => channel.suggestedCodecs(codecs), requestorStreams);

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
  const route = formatRouteHeader(plan.routeSet ?? []);
  return buildRequest({
    method: 'INVITE',
    uri: plan.requestUri,
    maxForwards: Number.isInteger(maxForwards) && maxForwards > 0 ? maxForwards : settings.maxforwards,
    // initreqprep() add_route(): the route set preloaded from Path, one header.
    ...(route === undefined ? {} : { routes: [route] }),
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
