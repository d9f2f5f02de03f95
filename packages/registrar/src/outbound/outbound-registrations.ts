import type { SipConf, SipGeneral, SipRegistration } from '@tandem/config';
import { SipResolver, type Destination, type MessageSource, type SipRequest, tryParseUri } from '@tandem/sip';
import { isIpLiteral, normalizeIp } from '../internal/ip-address.js';
import { Listeners } from '../internal/listeners.js';
import type { RequestSender } from '../internal/request-sender.js';
import { TimerQueue } from '../internal/timer-queue.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Peer } from '../peers/peer.js';
import type { PeerDirectory } from '../peers/peer-directory.js';
import { OutboundRegistration, type RegistrationContext, type RegistrationState } from './outbound-registration.js';

/** How `OutboundRegistrations` is built. */
export interface OutboundRegistrationsOptions {
  readonly sipConf: SipConf;
  readonly sender: RequestSender;
  /** For `peer?` lines and registrars named like a peer: its host, port, transport, fromdomain, auth. */
  readonly directory?: PeerDirectory;
  /**
   * Resolves registrar hosts (chan_sip create_addr(): SRV when `srvlookup=yes` and the line
   * gave no port, then A/AAAA). Default: a `SipResolver` on the system's DNS.
   */
  readonly resolver?: Pick<SipResolver, 'resolveChanSip'>;
  /** Resolves a host name to one address instead of `resolver` (no SRV); for tests. */
  readonly resolveHost?: (host: string) => Promise<string | undefined>;
  readonly logger?: Logger;
}

/** One row of `sip show registry`. */
export interface RegistryRow {
  /** `host:port` (5060 when the line gave no port). */
  readonly host: string;
  /** `Y` when a DNS manager refreshes the host (Tandem: never, chan_sip's default). */
  readonly dnsmgr: 'Y' | 'N';
  /** `user[@domain][:domainport]`. */
  readonly username: string;
  /** Seconds between a 200 and the next REGISTER. */
  readonly refresh: number;
  readonly state: RegistrationState;
  /** When the last REGISTER succeeded. */
  readonly regTime: Date | undefined;
}

/** Events of the outbound registrations. */
export interface OutboundRegistrationsEvents extends Record<string, unknown> {
  /** A line changed state (chan_sip publishes these as Registry events). */
  state: { readonly registration: OutboundRegistration; readonly previous: RegistrationState; readonly state: RegistrationState };
}

/**
 * Every `register =>` line of sip.conf (chan_sip's registry list): registered at start-up
 * a little apart (sip_send_all_registers()), kept on reload with their Call-ID and tag
 * when the line is unchanged, shown by `sip show registry`, and used to recognise
 * INVITEs that providers send to our registered Contact.
 */
export class OutboundRegistrations {
  readonly #options: OutboundRegistrationsOptions;
  readonly #logger: Logger;
  readonly #timers = new TimerQueue();
  readonly #events = new Listeners<OutboundRegistrationsEvents>();
  readonly #context: RegistrationContext;
  #sipConf: SipConf;
  #registrations: OutboundRegistration[] = [];

  constructor(options: OutboundRegistrationsOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#sipConf = options.sipConf;
    const resolver = options.resolver ?? new SipResolver();
    const resolveHost = options.resolveHost;
    this.#context = {
      sender: options.sender,
      timers: this.#timers,
      logger: this.#logger,
      general: () => this.#sipConf.general,
      credentialsFor: (line) => [...(this.#peerFor(line)?.settings.auth ?? []), ...this.#sipConf.authentication],
      resolve: (line) => this.#resolve(line, resolver, resolveHost),
      fromDomain: (line) => {
        const fromdomain = this.#peerFor(line)?.settings.fromdomain ?? this.#sipConf.general.fromdomain;
        return fromdomain === undefined ? undefined : { host: fromdomain.host, port: fromdomain.port };
      },
      changed: (registration, previous) => this.#events.emit('state', { registration, previous, state: registration.state }),
    };
    this.#registrations = uniqueLines(options.sipConf.registrations).map((line) => new OutboundRegistration(line, this.#context));
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof OutboundRegistrationsEvents>(name: K, listener: (event: OutboundRegistrationsEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  /** The registrations, in sip.conf order. */
  get registrations(): readonly OutboundRegistration[] {
    return this.#registrations;
  }

  /** Registers every line, `min(defaultexpiry / count, 100 ms)` apart (chan_sip sip_send_all_registers()). */
  start(): void {
    this.#spread(this.#registrations);
  }

  /**
   * Applies a new sip.conf: unchanged lines keep their Call-ID, From tag and CSeq and
   * register again at once (chan_sip re-registers everything on `sip reload`, without
   * unregistering); removed lines stop; new ones start.
   */
  reload(sipConf: SipConf): void {
    this.#sipConf = sipConf;
    const existing = new Map(this.#registrations.map((registration) => [registration.line.configValue, registration]));
    const next: OutboundRegistration[] = [];
    for (const line of uniqueLines(sipConf.registrations)) {
      const kept = existing.get(line.configValue);
      existing.delete(line.configValue);
      next.push(kept ?? new OutboundRegistration(line, this.#context));
    }
    for (const removed of existing.values()) removed.stop();
    this.#registrations = next;
    for (const registration of next) registration.stop();
    this.#spread(next);
  }

  /** The rows of `sip show registry`, in sip.conf order. */
  rows(): RegistryRow[] {
    return this.#registrations.map((registration) => {
      const line = registration.line;
      let username = line.user;
      if (line.domain !== undefined) username += `@${line.domain}`;
      if (line.domainPort !== undefined) username += `:${line.domainPort}`;
      return {
        host: `${line.host}:${line.portGiven ? line.port : 5060}`,
        dnsmgr: 'N',
        username,
        refresh: registration.refresh,
        state: registration.state,
        regTime: registration.registeredAt,
      };
    });
  }

  /**
   * The registration an incoming INVITE is for: its Request-URI user is a line's Contact
   * extension and, when the line's registrar address is known, the request comes from
   * that address. The PBX routes such calls to the extension in the provider's context.
   */
  matchIncoming(request: SipRequest, source: MessageSource): { readonly registration: OutboundRegistration; readonly extension: string } | undefined {
    const user = tryParseUri(request.uri)?.user;
    if (user === undefined) return undefined;
    const extension = decodeURIComponentSafe(user.split(';')[0] ?? '');
    const candidates = this.#registrations.filter((registration) => registration.line.extension === extension);
    const from = normalizeIp(source.remoteAddress);
    const byAddress = candidates.find((registration) => registration.destination !== undefined && normalizeIp(registration.destination.address) === from);
    const match = byAddress ?? (candidates.length === 1 ? candidates[0] : undefined);
    return match === undefined ? undefined : { registration: match, extension };
  }

  /** Stops every registration (no unregister is sent, as chan_sip on shutdown). */
  stop(): void {
    for (const registration of this.#registrations) registration.stop();
    this.#timers.stop();
  }

  #spread(registrations: readonly OutboundRegistration[]): void {
    if (registrations.length === 0) return;
    const spacing = Math.min(Math.floor((this.#sipConf.general.defaultexpiry * 1000) / registrations.length), 100);
    let delay = spacing;
    for (const registration of registrations) {
      delay += spacing;
      registration.restart(delay);
    }
  }

  // chan_sip create_addr(): a peer named like the line (`peer?`, or the registrar host).
  #peerFor(line: SipRegistration): Peer | undefined {
    const directory = this.#options.directory;
    if (directory === undefined) return undefined;
    return directory.get(line.peer ?? line.host);
  }

  async #resolve(
    line: SipRegistration,
    resolver: Pick<SipResolver, 'resolveChanSip'>,
    resolveHost: ((host: string) => Promise<string | undefined>) | undefined,
  ): Promise<Destination | undefined> {
    const peer = this.#peerFor(line);
    const general: SipGeneral = this.#sipConf.general;
    const proxy = peer?.settings.outboundproxy ?? general.outboundproxy;
    let host = line.host;
    let port: number | undefined = line.portGiven ? line.port : undefined;
    let transport: Destination['transport'] = line.transport;
    if (proxy !== undefined) {
      host = proxy.host;
      port = proxy.port;
      transport = proxy.transport;
    } else if (peer !== undefined) {
      const target = peer.target();
      if (target !== undefined) return { transport: peer.settings.transports[0] ?? transport, address: target.address, port: target.port };
      if (peer.settings.host?.kind === 'static') host = peer.settings.host.host;
      port = peer.settings.port ?? port;
    }
    const fallbackPort = port ?? (transport === 'tls' ? 5061 : 5060);
    if (isIpLiteral(host)) return { transport, address: normalizeIp(host), port: fallbackPort };
    if (resolveHost !== undefined) {
      const address = await resolveHost(host);
      return address === undefined ? undefined : { transport, address: normalizeIp(address), port: fallbackPort };
    }
    try {
      const target = await resolver.resolveChanSip({ host, ...(port === undefined ? {} : { port }), transport }, { srvLookup: general.srvlookup });
      return { transport, address: normalizeIp(target.address), port: target.port };
    } catch {
      return undefined;
    }
  }
}

// chan_sip: identical `register =>` lines are registered once.
function uniqueLines(lines: readonly SipRegistration[]): SipRegistration[] {
  const seen = new Set<string>();
  return lines.filter((line) => {
    if (seen.has(line.configValue)) return false;
    seen.add(line.configValue);
    return true;
  });
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
