import type { SipGeneral, SipRealmAuth } from '@tandem/config';
import type { Peer, PeerDirectory } from '@tandem/registrar';
import { formatHost, ipFamily, type Destination, type LocalEndpoint, type SipResolver, type SipEndpoint } from '@tandem/sip';
import { splitHostPort } from './dial-string.js';
import type { OurAddress } from './our-address.js';

/** What resolving a request's destination needs from the SIP channel driver. */
export interface TargetResolution {
  readonly general: SipGeneral;
  readonly directory: PeerDirectory;
  readonly resolver: SipResolver;
  readonly endpoint: SipEndpoint;
  /** Our address toward a destination (externaddr applied). */
  readonly ourAddress: Pick<OurAddress, 'toward'>;
}

/** Where an out-of-dialog request goes and how it is addressed (chan_sip create_addr() on a new dialog). */
export interface RequestTarget {
  readonly destination: Destination;
  /** Our address and port toward it (Via, Contact, From). */
  readonly local: LocalEndpoint;
  /** The peer it goes to, when the host part named one. */
  readonly peer?: Peer;
  /** The registered Contact of that peer (chan_sip `fullcontact`), used as Request-URI. */
  readonly contact?: string;
  /** Request-URI user (chan_sip `username`): the peer's defaultuser, overridden by the URI's user. */
  readonly user: string;
  /** Request-URI host (`tohost`) and whether the port is written (`portinuri`). */
  readonly toHost: string;
  readonly portInUri: boolean;
  /** The peer's fromuser / fromdomain (`host[:port]`); `[general]` fromdomain is the caller's fallback. */
  readonly fromUser?: string;
  readonly fromDomain?: { readonly host: string; readonly port: number };
  /** Digest credentials when challenged: realm entries first, then the peer's user and secret. */
  readonly realmAuth: readonly SipRealmAuth[];
  readonly authUser: string;
  readonly secret: string;
  readonly md5secret: string;
  /** Timer T1 (ms), Max-Forwards and `;rport` on our Via for this destination. */
  readonly t1: number;
  readonly maxForwards: number;
  readonly rport: boolean;
}

/**
 * Resolves the host part of a destination the way chan_sip's create_addr() does for a new
 * dialog: a peer name first (realtime included; it must have an address), otherwise a host
 * name or IP (SRV when `srvlookup` and no port; purely numeric names are refused). `user` is
 * the destination URI's user part, which replaces the peer's defaultuser. Undefined when the
 * destination cannot be reached.
 */
export async function resolveRequestTarget(sip: TargetResolution, hostPart: string, user: string): Promise<RequestTarget | undefined> {
  const general = sip.general;
  const named = await sip.directory.find(hostPart, 'peer').catch(() => undefined);
  const peer = named !== undefined && named.settings.isPeer ? named : undefined;
  if (peer !== undefined) {
    const target = peer.target();
    if (target === undefined) return undefined;
    const destination: Destination = {
      transport: target.transport,
      address: target.address,
      port: target.port,
      ...(target.connectionId === undefined ? {} : { connectionId: target.connectionId }),
    };
    const settings = peer.settings;
    const staticHost = settings.host?.kind === 'static' ? settings.host.host : undefined;
    const fromDomain = settings.fromdomain;
    return {
      destination,
      local: await sip.ourAddress.toward(destination),
      peer,
      ...(target.contact === undefined ? {} : { contact: target.contact }),
      user: user !== '' ? user : peer.defaultUser,
      toHost: staticHost ?? formatHost(target.address),
      portInUri: settings.port !== undefined,
      ...(settings.fromuser === '' ? {} : { fromUser: settings.fromuser }),
      ...(fromDomain === undefined ? {} : { fromDomain }),
      realmAuth: settings.auth,
      authUser: peer.defaultUser,
      secret: settings.remotesecret || settings.secret,
      md5secret: settings.md5secret,
      t1: peer.t1Ms,
      maxForwards: settings.maxforwards,
      rport: settings.nat.forceRport,
    };
  }
  const { host, port } = splitHostPort(hostPart);
  // create_addr(): "Purely numeric hostname, and not a peer--rejecting!"
  if (host === '' || (/^\d+$/.test(host) && ipFamily(host) === 0)) return undefined;
  const transport = general.deviceDefaults.transports[0] ?? 'udp';
  const resolved = await sip.resolver
    .resolveChanSip({ host, ...(port === undefined ? {} : { port }), transport }, { srvLookup: general.srvlookup })
    .catch(() => undefined);
  if (resolved === undefined) return undefined;
  const destination: Destination = { transport, address: resolved.address, port: resolved.port };
  const defaults = general.deviceDefaults;
  return {
    destination,
    local: await sip.ourAddress.toward(destination),
    user,
    toHost: formatHost(host),
    portInUri: port !== undefined,
    realmAuth: [],
    authUser: '',
    secret: '',
    md5secret: '',
    t1: defaults.timerT1,
    maxForwards: defaults.maxforwards,
    rport: defaults.nat.forceRport,
  };
}

/** The Request-URI of a target: the registered Contact, else `sip:[user@]tohost[:port]`. */
export function targetRequestUri(target: RequestTarget): string {
  if (target.contact !== undefined) return target.contact;
  const port = target.portInUri ? `:${target.destination.port}` : '';
  return `sip:${target.user === '' ? '' : `${target.user}@`}${target.toHost}${port}`;
}
