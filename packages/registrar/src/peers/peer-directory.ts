import { lookup } from 'node:dns/promises';
import { isAstFalse, type SipConf, type SipDevice, type SipGeneral } from '@tandem/config';
import { tryParseUri, uriHostAddress, type TransportProtocol } from '@tandem/sip';
import { isIpLiteral, normalizeIp } from '../internal/ip-address.js';
import { Listeners } from '../internal/listeners.js';
import { TimerQueue, type TimerHandle } from '../internal/timer-queue.js';
import { silentLogger, type Logger } from '../logger.js';
import type { RealtimeFamilies } from '../realtime/realtime-families.js';
import type { RealtimeRow } from '../realtime/realtime-driver.js';
import { clearRealtimeRegistration } from '../realtime/registration-columns.js';
import { RegistrarError } from '../registrar-error.js';
import type { NamedAcls } from './access-check.js';
import { Peer, type PeerBinding, type PeerDeviceState } from './peer.js';
import type { DeviceKind, RealtimeDeviceBuilder } from './realtime-device-builder.js';

/** How a `PeerDirectory` is built. */
export interface PeerDirectoryOptions {
  readonly sipConf: SipConf;
  /** extconfig.conf families (`sippeers`, `sipregs`) and their drivers, when realtime is used. */
  readonly realtime?: RealtimeFamilies;
  /** Builds settings from realtime rows; required with `realtime`. */
  readonly realtimeDevices?: RealtimeDeviceBuilder;
  /** acl.conf named ACLs for `acl =` lines. */
  readonly namedAcls?: NamedAcls;
  /** Resolves `host=<name>` peers (default: an A/AAAA lookup). */
  readonly resolveHost?: (host: string) => Promise<string | undefined>;
  readonly logger?: Logger;
}

/** What else a reload may replace besides sip.conf (acl.conf, the realtime row builder for the new `[general]`). */
export interface PeerDirectoryReloadOptions {
  readonly namedAcls?: NamedAcls;
  readonly realtimeDevices?: RealtimeDeviceBuilder;
}

/** What a reload changed. */
export interface ReloadSummary {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly kept: readonly string[];
}

/** Events of the directory. */
export interface PeerDirectoryEvents extends Record<string, unknown> {
  /** A peer left the directory (reload, prune, rtautoclear); its binding is gone with it. */
  removed: { readonly peer: Peer; readonly reason: 'reload' | 'prune' | 'rtautoclear' };
  /** A peer's binding was removed because its definition changed (e.g. no longer dynamic). */
  'binding-dropped': { readonly peer: Peer };
}

/** What `sip prune realtime` did. */
export type PruneResult =
  | { readonly kind: 'pruned'; readonly count: number }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-realtime' };

/**
 * Every device Tandem knows: sip.conf devices plus realtime peers found on demand (kept in
 * memory with `rtcachefriends=yes`), indexed by name (case-sensitive, as chan_sip's
 * find_by_name()) and by address:port (chan_sip's peers_by_ip) for 100,000 peers.
 */
export class PeerDirectory {
  readonly #options: PeerDirectoryOptions;
  readonly #logger: Logger;
  readonly #peers = new Map<string, Peer>();
  readonly #byAddressPort = new Map<string, Set<Peer>>();
  readonly #byIp = new Map<string, Set<Peer>>();
  readonly #indexed = new Map<Peer, { ip: string; key: string }>();
  readonly #autoclear = new Map<Peer, TimerHandle>();
  readonly #timers = new TimerQueue();
  readonly #events = new Listeners<PeerDirectoryEvents>();
  #sipConf: SipConf;
  #namedAcls: NamedAcls;
  #realtimeDevices: RealtimeDeviceBuilder | undefined;
  #sorted: Peer[] | undefined;

  constructor(options: PeerDirectoryOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#sipConf = options.sipConf;
    this.#namedAcls = options.namedAcls ?? new Map();
    this.#realtimeDevices = options.realtimeDevices;
    if (options.realtime !== undefined && options.realtimeDevices === undefined) {
      throw new RegistrarError('invalid-argument', 'a PeerDirectory with realtime needs realtimeDevices to build peers from rows');
    }
    for (const device of options.sipConf.devices) {
      this.#add(new Peer(device, 'config'));
    }
  }

  /** sip.conf's `[general]` in effect. */
  get general(): SipGeneral {
    return this.#sipConf.general;
  }

  /** The sip.conf model in effect. */
  get sipConf(): SipConf {
    return this.#sipConf;
  }

  /** Realtime families, when configured. */
  get realtime(): RealtimeFamilies | undefined {
    return this.#options.realtime;
  }

  /** acl.conf named ACLs. */
  get namedAcls(): NamedAcls {
    return this.#namedAcls;
  }

  /** Number of peers in memory. */
  get size(): number {
    return this.#peers.size;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof PeerDirectoryEvents>(name: K, listener: (event: PeerDirectoryEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  /** The in-memory peer (sip.conf or cached realtime) named exactly `name`. */
  get(name: string): Peer | undefined {
    return this.#peers.get(name);
  }

  /**
   * DEVICE_STATE(SIP/name) for a peer in memory (chan_sip sip_devicestate(), which does not
   * load realtime peers either): `INVALID` for an unknown name.
   */
  deviceStateOf(name: string): PeerDeviceState | 'INVALID' {
    // sip_devicestate(): `SIP/exten@peer` names the peer after the `@`.
    const peerName = name.includes('@') ? name.slice(name.indexOf('@') + 1) : name;
    return this.#peers.get(peerName)?.deviceState ?? 'INVALID';
  }

  /** Every peer in memory, in definition order. */
  peers(): IterableIterator<Peer> {
    return this.#peers.values();
  }

  /** Every peer in memory sorted by name in byte order (chan_sip sorts `sip show peers` so). */
  sorted(): readonly Peer[] {
    this.#sorted ??= [...this.#peers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.#sorted;
  }

  /**
   * Finds a device by name (chan_sip sip_find_peer()): in memory first, then in realtime
   * `sippeers` (`name=X&host=dynamic`, then `name=X`, plus `sipregs`). A realtime peer is
   * kept in memory only with `rtcachefriends=yes`. Rejects with `realtime-unavailable`
   * when the database is down.
   */
  async find(name: string, kind: DeviceKind = 'peer'): Promise<Peer | undefined> {
    const inMemory = this.#peers.get(name);
    if (inMemory !== undefined) {
      return matchesKind(inMemory.settings, kind) ? inMemory : undefined;
    }
    const realtime = this.#options.realtime;
    if (realtime === undefined || !realtime.has('sippeers')) {
      return undefined;
    }
    // chan_sip realtime_peer_by_name() without an address.
    const row =
      (await realtime.load('sippeers', [
        { name: 'name', value: name },
        { name: 'host', value: 'dynamic' },
      ])) ?? (await realtime.load('sippeers', [{ name: 'name', value: name }]));
    if (row === undefined) {
      return undefined;
    }
    const regs = realtime.has('sipregs') ? await realtime.load('sipregs', [{ name: 'name', value: name }]) : undefined;
    const peer = this.#buildRealtimePeer(name, row, regs, kind);
    return peer !== undefined && matchesKind(peer.settings, kind) ? peer : undefined;
  }

  /**
   * The in-memory peer for a request's source (chan_sip sip_find_peer() by address): exact
   * IP and port with a common transport first, then IP only for `insecure=port` UDP peers
   * (and, for TCP/TLS, static peers or peers registered through their Contact). With
   * `callbackExtension` only peers whose `callbackextension` is that extension match
   * (chan_sip peer_ipcmp_cb_full(): several trunks of one provider address).
   */
  findByAddress(address: string, port: number, transport: TransportProtocol, callbackExtension?: string): Peer | undefined {
    const ip = normalizeIp(address);
    const wanted = callbackExtension?.toLowerCase() ?? '';
    const candidate = (peer: Peer): boolean => allowsTransport(peer, transport) && (wanted === '' || peer.settings.callbackextension.toLowerCase() === wanted);
    for (const peer of this.#byAddressPort.get(`${ip}|${port}`) ?? []) {
      if (candidate(peer)) return peer;
    }
    for (const peer of this.#byIp.get(ip) ?? []) {
      if (!candidate(peer)) continue;
      if (transport === 'udp') {
        if (peer.settings.insecure.port) return peer;
        continue;
      }
      if (!peer.isDynamic) return peer;
      if (transport === 'ws' || transport === 'wss') continue;
      if (peer.settings.nat.forceRport) continue;
      return peer;
    }
    return undefined;
  }

  /**
   * `findByAddress()` with chan_sip's realtime fallback (realtime_peer_by_addr()):
   * `host=ip&port=p` (with `callbackextension` first when given), registered `ipaddr&port`
   * (sipregs, else sippeers), then `insecure=port` rows.
   */
  async findByAddressWithRealtime(
    address: string,
    port: number,
    transport: TransportProtocol,
    callbackExtension?: string,
  ): Promise<Peer | undefined> {
    // chan_sip sip_find_peer(): the peer whose callbackextension is the Request-URI user first,
    // then any peer at that address.
    const inMemory =
      (callbackExtension === undefined || callbackExtension === '' ? undefined : this.findByAddress(address, port, transport, callbackExtension)) ??
      this.findByAddress(address, port, transport);
    const realtime = this.#options.realtime;
    if (inMemory !== undefined || realtime === undefined || !realtime.has('sippeers')) {
      return inMemory;
    }
    const ip = normalizeIp(address);
    const portText = String(port);
    const useRegs = realtime.has('sipregs');
    let row: RealtimeRow | undefined;
    let regs: RealtimeRow | undefined;
    if (callbackExtension !== undefined && callbackExtension !== '') {
      row = await realtime.load('sippeers', [
        { name: 'host', value: ip },
        { name: 'port', value: portText },
        { name: 'callbackextension', value: callbackExtension },
      ]);
    }
    row ??= await realtime.load('sippeers', [
      { name: 'host', value: ip },
      { name: 'port', value: portText },
    ]);
    if (row === undefined && useRegs) {
      regs = await realtime.load('sipregs', [
        { name: 'ipaddr', value: ip },
        { name: 'port', value: portText },
      ]);
      const regName = regs === undefined ? undefined : fieldValue(regs, 'name');
      row = regName === undefined ? undefined : await realtime.load('sippeers', [{ name: 'name', value: regName }]);
      if (row === undefined) regs = undefined;
    } else if (row === undefined) {
      row = await realtime.load('sippeers', [
        { name: 'ipaddr', value: ip },
        { name: 'port', value: portText },
      ]);
    }
    row ??= await this.#insecurePortRow('host', ip);
    if (row === undefined && useRegs) {
      const found = await this.#insecurePortRowFromRegs(ip);
      row = found?.row;
      regs = found?.regs;
    } else if (row === undefined) {
      row = await this.#insecurePortRow('ipaddr', ip);
    }
    const name = row === undefined ? undefined : fieldValue(row, 'name');
    if (row === undefined || name === undefined) {
      if (row !== undefined) this.#logger.warn({ asteriskLevel: 'WARNING' }, `Found peer for IP ${ip} but it has no name`);
      return undefined;
    }
    if (useRegs && regs === undefined) {
      regs = await realtime.load('sipregs', [{ name: 'name', value: name }]);
    }
    return this.#buildRealtimePeer(name, row, regs, 'peer');
  }

  /**
   * Creates a peer for an unknown name (sip.conf `autocreatepeer=yes|persist`, chan_sip
   * temp_peer()): `[general]` defaults, `host=dynamic`, no secret. Needs `realtimeDevices`
   * (the builder that applies `[general]`); `undefined` without it.
   */
  autocreate(name: string): Peer | undefined {
    const settings = this.#realtimeDevices?.(name, [{ name: 'host', value: 'dynamic' }], 'any');
    if (settings === undefined) return undefined;
    const peer = new Peer(settings, 'autocreated');
    this.#add(peer);
    return peer;
  }

  /** Removes an autocreated peer whose registration ended (chan_sip `selfdestruct`). */
  dropAutocreated(peer: Peer): void {
    if (peer.origin === 'autocreated') this.#remove(peer, 'prune');
  }

  /** Sets (or clears) a peer's binding and keeps the address index right. */
  setBinding(peer: Peer, binding: PeerBinding | undefined): void {
    peer.binding = binding;
    this.#reindex(peer);
  }

  /**
   * Applies a new sip.conf (chan_sip `sip reload`): peers that still exist take the new
   * settings and keep their binding (unless no longer `host=dynamic`), new ones are added,
   * the others are removed (event `removed`). Cached realtime peers stay. acl.conf's named ACLs
   * and the realtime row builder are replaced when given.
   */
  reload(sipConf: SipConf, options: PeerDirectoryReloadOptions = {}): ReloadSummary {
    this.#sipConf = sipConf;
    if (options.namedAcls !== undefined) this.#namedAcls = options.namedAcls;
    if (options.realtimeDevices !== undefined) this.#realtimeDevices = options.realtimeDevices;
    const added: string[] = [];
    const kept: string[] = [];
    const removed: string[] = [];
    const names = new Set<string>();
    for (const device of sipConf.devices) {
      names.add(device.name);
      const existing = this.#peers.get(device.name);
      if (existing === undefined || existing.origin !== 'config') {
        if (existing !== undefined) this.#remove(existing, 'reload');
        this.#add(new Peer(device, 'config'));
        added.push(device.name);
        continue;
      }
      const wasDynamic = existing.isDynamic;
      existing.settings = device;
      existing.defaultUser = existing.binding !== undefined && device.defaultuser === '' ? existing.defaultUser : device.defaultuser;
      existing.t1Ms = device.timerT1;
      if (existing.maxMs === 0) existing.lastMs = 0;
      existing.staticAddress = undefined;
      if (wasDynamic && !existing.isDynamic && existing.binding !== undefined) {
        this.setBinding(existing, undefined);
        this.#events.emit('binding-dropped', { peer: existing });
      }
      this.#setStaticAddress(existing);
      this.#reindex(existing);
      kept.push(device.name);
    }
    for (const peer of [...this.#peers.values()]) {
      // Autocreated peers go on reload unless autocreatepeer=persist (chan_sip AUTOPEERS_PERSIST).
      const stale = peer.origin === 'config' ? !names.has(peer.name) : peer.origin === 'autocreated' && sipConf.general.autocreatepeer !== 'persist';
      if (stale) {
        this.#remove(peer, 'reload');
        removed.push(peer.name);
      }
    }
    this.#sorted = undefined;
    return { added, removed, kept };
  }

  /**
   * `sip prune realtime`: removes cached realtime peers from memory: one by name, all, or
   * those whose name matches `like` (a regular expression).
   */
  prune(selection: { readonly name: string } | { readonly like: string } | 'all'): PruneResult {
    if (selection !== 'all' && 'name' in selection) {
      const peer = this.#peers.get(selection.name);
      if (peer === undefined) return { kind: 'not-found' };
      if (peer.origin !== 'realtime') return { kind: 'not-realtime' };
      this.#remove(peer, 'prune');
      return { kind: 'pruned', count: 1 };
    }
    let pattern: RegExp | undefined;
    if (selection !== 'all') {
      try {
        pattern = new RegExp(selection.like);
      } catch (cause) {
        throw new RegistrarError('invalid-argument', `invalid pattern '${selection.like}'`, { cause });
      }
    }
    let count = 0;
    for (const peer of [...this.#peers.values()]) {
      if (peer.origin !== 'realtime' || (pattern !== undefined && !pattern.test(peer.name))) continue;
      this.#remove(peer, 'prune');
      count++;
    }
    return { kind: 'pruned', count };
  }

  /**
   * Resolves `host=<name>` peers to addresses (chan_sip does it at load through dnsmgr);
   * IP hosts and `defaultip` need no lookup and are set at construction.
   */
  async resolveStaticAddresses(): Promise<void> {
    const resolve = this.#options.resolveHost ?? defaultResolveHost;
    await Promise.all(
      [...this.#peers.values()].map(async (peer) => {
        const host = peer.settings.host;
        if (host?.kind !== 'static' || isIpLiteral(host.host)) return;
        try {
          const address = await resolve(host.host);
          if (address === undefined) return;
          peer.staticAddress = { address: normalizeIp(address), port: peer.settings.port ?? defaultPortFor(peer.settings) };
          this.#reindex(peer);
        } catch (error) {
          this.#logger.warn({ asteriskLevel: 'WARNING', peer: peer.name, err: error }, `srvlookup failed for host: ${host.host}, on peer ${peer.name}`);
        }
      }),
    );
  }

  /** Stops timers (rtautoclear). */
  close(): void {
    this.#timers.stop();
    this.#autoclear.clear();
  }

  #add(peer: Peer): void {
    this.#peers.set(peer.name, peer);
    this.#setStaticAddress(peer);
    this.#reindex(peer);
    this.#sorted = undefined;
  }

  #remove(peer: Peer, reason: 'reload' | 'prune' | 'rtautoclear'): void {
    if (this.#peers.get(peer.name) !== peer) return;
    this.#peers.delete(peer.name);
    this.#autoclear.get(peer)?.cancel();
    this.#autoclear.delete(peer);
    this.#unindex(peer);
    this.#sorted = undefined;
    this.#events.emit('removed', { peer, reason });
  }

  #setStaticAddress(peer: Peer): void {
    const settings = peer.settings;
    const port = settings.port ?? defaultPortFor(settings);
    if (settings.host?.kind === 'static' && isIpLiteral(settings.host.host)) {
      peer.staticAddress = { address: normalizeIp(settings.host.host), port };
    } else if (settings.host?.kind === 'dynamic' && settings.defaultip !== undefined && isIpLiteral(settings.defaultip)) {
      peer.staticAddress = { address: normalizeIp(settings.defaultip), port };
    }
  }

  // chan_sip peers_by_ip holds peers with an address: registered ones and static hosts
  // (not `defaultip`, which is only used while unregistered).
  #reindex(peer: Peer): void {
    this.#unindex(peer);
    if (this.#peers.get(peer.name) !== peer) return;
    const address = peer.binding ?? (peer.isDynamic ? undefined : peer.staticAddress);
    if (address === undefined) return;
    const ip = normalizeIp(address.address);
    const key = `${ip}|${address.port}`;
    addTo(this.#byAddressPort, key, peer);
    addTo(this.#byIp, ip, peer);
    this.#indexed.set(peer, { ip, key });
  }

  #unindex(peer: Peer): void {
    const entry = this.#indexed.get(peer);
    if (entry === undefined) return;
    removeFrom(this.#byAddressPort, entry.key, peer);
    removeFrom(this.#byIp, entry.ip, peer);
    this.#indexed.delete(peer);
  }

  async #insecurePortRow(column: 'host' | 'ipaddr', ip: string): Promise<RealtimeRow | undefined> {
    const rows = await this.#options.realtime?.loadMulti('sippeers', [
      { name: column, value: ip },
      { name: 'insecure LIKE', value: '%port%' },
    ]);
    return rows?.find((row) => insecurePort(fieldValue(row, 'insecure')));
  }

  async #insecurePortRowFromRegs(ip: string): Promise<{ row: RealtimeRow; regs: RealtimeRow } | undefined> {
    const realtime = this.#options.realtime;
    if (realtime === undefined) return undefined;
    const regs = await realtime.loadMulti('sipregs', [{ name: 'ipaddr', value: ip }]);
    if (regs.length === 0) return undefined;
    const peers = await realtime.loadMulti('sippeers', [{ name: 'insecure LIKE', value: '%port%' }]);
    for (const reg of regs) {
      const regName = fieldValue(reg, 'name');
      if (regName === undefined) break;
      const row = peers.find((candidate) => fieldValue(candidate, 'name')?.toLowerCase() === regName.toLowerCase());
      if (row !== undefined && insecurePort(fieldValue(row, 'insecure'))) return { row, regs: reg };
    }
    return undefined;
  }

  // chan_sip build_peer(name, var, varregs, realtime=TRUE) and realtime_peer().
  #buildRealtimePeer(name: string, row: RealtimeRow, regs: RealtimeRow | undefined, kind: DeviceKind): Peer | undefined {
    const builder = this.#realtimeDevices;
    const peerName = fieldValue(row, 'name') ?? name;
    const settings = builder?.(peerName, [...row, ...(regs ?? [])], kind);
    if (settings === undefined) return undefined;
    const general = this.#sipConf.general;
    const cached = general.rtcachefriends ? this.#peers.get(peerName) : undefined;
    if (cached !== undefined) {
      return cached;
    }
    const peer = new Peer(settings, 'realtime');
    const state = realtimeState(row, regs);
    if (state.lastms !== undefined) peer.lastMs = Number.parseInt(state.lastms, 10) || 0;
    const regseconds = Number.parseInt(state.regseconds ?? '0', 10) || 0;
    const contact = state.fullcontact;
    let address: string | undefined = state.ipaddr === undefined || state.ipaddr === '' ? undefined : normalizeIp(state.ipaddr);
    let port = settings.port ?? defaultPortFor(settings);
    let transport: TransportProtocol = settings.transports[0] ?? 'udp';
    if (contact !== undefined && contact !== '') {
      peer.fromRealtimeContact = true;
      const uri = tryParseUri(contact);
      const nat = settings.nat.forceRport || settings.nat.autoForceRport;
      if (uri !== undefined && (!nat || address === undefined)) {
        const host = uriHostAddress(uri);
        if (isIpLiteral(host)) {
          address = normalizeIp(host);
          port = uri.port ?? (uri.scheme === 'sips' ? 5061 : 5060);
        }
      }
      const transportParam = uri?.params.find((param) => param.name.toLowerCase() === 'transport')?.value?.toLowerCase();
      if (transportParam === 'tcp' || transportParam === 'tls' || transportParam === 'ws' || transportParam === 'wss') transport = transportParam;
    }
    if (peer.isDynamic && address !== undefined) {
      const expired = !general.ignoreregexpire && Date.now() / 1000 - regseconds > 0;
      if (expired) {
        // chan_sip build_peer(): "Bah, we're expired": the address is dropped and the row cleared.
        peer.lastMs = -1;
        address = undefined;
        if (general.rtupdate && peer.fromRealtimeContact) this.#clearExpiredRow(peerName);
      }
    }
    if (address !== undefined && peer.isDynamic) {
      peer.binding = {
        contact: contact ?? '',
        address,
        port,
        transport,
        expirySeconds: Math.max(regseconds - Math.floor(Date.now() / 1000), 0),
        expiresAt: regseconds * 1000,
        registeredAt: Date.now(),
        userAgent: state.useragent ?? '',
        path: state.path === undefined || state.path === '' ? [] : state.path.split(','),
      };
    }
    if (general.rtcachefriends) {
      this.#add(peer);
      const autoclear = general.rtautoclear;
      if (autoclear !== false) {
        this.#autoclear.set(
          peer,
          this.#timers.after(autoclear * 1000, () => this.#remove(peer, 'rtautoclear')),
        );
      }
    } else {
      this.#setStaticAddress(peer);
    }
    this.#logger.debug({ peer: peerName }, `-REALTIME- loading peer from database to memory. Name: ${peerName}`);
    return peer;
  }

  /** Stops the rtautoclear timer of a cached realtime peer that registered (its expiry rules now). */
  cancelAutoclear(peer: Peer): void {
    this.#autoclear.get(peer)?.cancel();
    this.#autoclear.delete(peer);
  }

  #clearExpiredRow(name: string): void {
    const realtime = this.#options.realtime;
    if (realtime === undefined) return;
    clearRealtimeRegistration(realtime, name).catch((error: unknown) =>
      this.#logger.warn({ err: error, peer: name }, `cannot clear the expired registration of ${name}: ${String(error)}`),
    );
  }
}

function matchesKind(settings: SipDevice, kind: DeviceKind): boolean {
  return kind === 'any' || (kind === 'peer' ? settings.isPeer : settings.isUser);
}

function allowsTransport(peer: Peer, transport: TransportProtocol): boolean {
  return peer.settings.transports.includes(transport);
}

function defaultPortFor(settings: SipDevice): number {
  return settings.transports[0] === 'tls' ? 5061 : 5060;
}

function fieldValue(row: RealtimeRow, name: string): string | undefined {
  const value = row.find((field) => field.name.toLowerCase() === name)?.value;
  return value === undefined || value === '' ? undefined : value;
}

// chan_sip set_insecure_flags(): `port` in a comma list (a false value means none).
function insecurePort(value: string | undefined): boolean {
  if (value === undefined || isAstFalse(value)) return false;
  return value.split(',').some((word) => word.trim().toLowerCase() === 'port');
}

interface RealtimeState {
  ipaddr?: string;
  regseconds?: string;
  fullcontact?: string;
  useragent?: string;
  lastms?: string;
  path?: string;
}

// build_peer(): state columns of sippeers, overridden by sipregs (processed after); a
// fullcontact split at `;` by the driver is joined again.
function realtimeState(row: RealtimeRow, regs: RealtimeRow | undefined): RealtimeState {
  const state: RealtimeState = {};
  for (const source of regs === undefined ? [row] : [row, regs]) {
    const contactChunks = source.filter((field) => field.name.toLowerCase() === 'fullcontact').map((field) => field.value);
    if (contactChunks.length > 0) state.fullcontact = contactChunks.join(';');
    for (const field of source) {
      const name = field.name.toLowerCase();
      if (name === 'ipaddr' || name === 'regseconds' || name === 'useragent' || name === 'lastms' || name === 'path') {
        state[name] = field.value;
      }
    }
  }
  return state;
}

function addTo(map: Map<string, Set<Peer>>, key: string, peer: Peer): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(peer);
}

function removeFrom(map: Map<string, Set<Peer>>, key: string, peer: Peer): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(peer);
  if (set.size === 0) map.delete(key);
}

async function defaultResolveHost(host: string): Promise<string | undefined> {
  const result = await lookup(host);
  return result.address;
}
