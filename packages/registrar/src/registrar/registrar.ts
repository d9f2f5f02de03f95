import { lookup } from 'node:dns/promises';
import type { SipDevice, SipGeneral } from '@tandem/config';
import { tryParseUri, uriHostAddress, type MessageSource, type SipRequest, type SipResponse, type TransportProtocol } from '@tandem/sip';
import { DigestAuthenticator, type DigestCredentials, type ResponseFactory } from '../auth/digest-authenticator.js';
import { addDate, chanSipResponse } from '../internal/chan-sip-response.js';
import { formatAddressPort, isIpLiteral, normalizeIp } from '../internal/ip-address.js';
import { Listeners } from '../internal/listeners.js';
import { TimerQueue, type TimerHandle } from '../internal/timer-queue.js';
import { silentLogger, type Logger } from '../logger.js';
import { accessAllows } from '../peers/access-check.js';
import type { Peer, PeerBinding } from '../peers/peer.js';
import type { PeerDirectory } from '../peers/peer-directory.js';
import type { RealtimeField } from '../realtime/realtime-driver.js';
import { clearRealtimeRegistration, registrationFamily } from '../realtime/registration-columns.js';
import { isRegistrarError } from '../registrar-error.js';
import type { EmbeddedStore } from '../store/embedded-store.js';
import { readRegisterContact } from './contact-header.js';

/** How a `Registrar` is built. */
export interface RegistrarOptions {
  readonly directory: PeerDirectory;
  /** The embedded store: bindings of sip.conf peers are persisted there (chan_sip's astdb). */
  readonly store?: EmbeddedStore;
  /** Shared with INVITE/MESSAGE/SUBSCRIBE authentication; built from `[general]` when absent. */
  readonly authenticator?: DigestAuthenticator;
  /** Resolves a Contact host name (default: an A/AAAA lookup). */
  readonly resolveHost?: (host: string) => Promise<string | undefined>;
  /** asterisk.conf `systemname`, written to `regserver` with `rtsavesysname=yes`. */
  readonly systemName?: string;
  readonly logger?: Logger;
}

/** Events of the registrar (the PBX updates device state, hints, regcontext and MWI on them). */
export interface RegistrarEvents extends Record<string, unknown> {
  /**
   * A REGISTER added or refreshed a binding (`changed`: the address changed), or `restore()`
   * brought one back from the store (`restored`: chan_sip then qualifies within qualifyfreq
   * instead of at once).
   */
  registered: { readonly peer: Peer; readonly binding: PeerBinding; readonly changed: boolean; readonly restored: boolean };
  /** The binding was removed by an unregister (`Expires: 0`, `Contact: *`) or `sip unregister`. */
  unregistered: { readonly peer: Peer; readonly binding: PeerBinding | undefined; readonly by: 'request' | 'cli' };
  /** The binding's time ran out (expiry + 10 s). */
  expired: { readonly peer: Peer; readonly binding: PeerBinding };
}

/** What `Registrar.unregister()` (CLI `sip unregister`) did. */
export type UnregisterResult = 'unregistered' | 'not-registered' | 'unknown';

// chan_sip check_auth_result values that end in a NOTICE, with the reason text it logs.
type Failure =
  | 'Wrong password'
  | 'Username/auth name mismatch'
  | 'No matching peer found'
  | 'Not a local domain'
  | 'Peer is not supposed to register'
  | 'Device does not match ACL'
  | 'Device not configured to use this transport type'
  | 'Unknown failure';

interface Outcome {
  readonly response: SipResponse | undefined;
  readonly failure?: Failure;
}

interface Dialog {
  readonly request: SipRequest;
  readonly source: MessageSource;
  readonly respond: ResponseFactory;
  readonly tag: string;
  readonly forceRport: boolean;
}

const bogusCredentials: DigestCredentials = {
  username: '(bogus_peer)',
  secret: '',
  md5secret: 'intentionally_invalid_md5_string',
  bogus: true,
};

/**
 * chan_sip's registrar (Asterisk 20 handle_request_register(), register_verify(),
 * parse_register_contact()): REGISTER authenticated with the device name, one binding per
 * peer, expiry clamped by minexpiry/maxexpiry (no 423), unregister, query, NAT address
 * choice, Path, persistence before the 200 is sent, realtime `rtupdate` writes, expiry 10 s
 * after the granted time, and chan_sip's NOTICE lines for failures.
 */
export class Registrar {
  readonly #directory: PeerDirectory;
  readonly #store: EmbeddedStore | undefined;
  readonly #logger: Logger;
  readonly #authenticator: DigestAuthenticator;
  readonly #resolveHost: (host: string) => Promise<string | undefined>;
  readonly #systemName: string | undefined;
  readonly #timers = new TimerQueue();
  readonly #expiry = new Map<Peer, TimerHandle>();
  readonly #events = new Listeners<RegistrarEvents>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: RegistrarOptions) {
    this.#directory = options.directory;
    this.#store = options.store;
    this.#logger = options.logger ?? silentLogger;
    this.#systemName = options.systemName;
    this.#resolveHost = options.resolveHost ?? (async (host) => (await lookup(host)).address);
    const directory = options.directory;
    // Read from the directory's [general] at each use, so a `sip reload` changes them too.
    this.#authenticator =
      options.authenticator ??
      new DigestAuthenticator({
        get realm() {
          return directory.general.realm;
        },
        get domainsAsRealm() {
          const general = directory.general;
          return general.domainsasrealm ? general.domains.map((domain) => domain.domain) : [];
        },
        get userAgent() {
          return directory.general.useragent;
        },
        get timerSupported() {
          return directory.general.deviceDefaults.sessionTimers.mode !== 'refuse';
        },
      });
    this.#unsubscribe.push(
      this.#directory.on('removed', ({ peer }) => this.#forget(peer, peer.origin === 'config')),
      this.#directory.on('binding-dropped', ({ peer }) => this.#forget(peer, true)),
    );
  }

  /** The authenticator, for INVITE/MESSAGE/SUBSCRIBE/OPTIONS authentication. */
  get authenticator(): DigestAuthenticator {
    return this.#authenticator;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof RegistrarEvents>(name: K, listener: (event: RegistrarEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  /**
   * Handles a REGISTER that arrived from `source` and returns the response to send, or
   * `undefined` where chan_sip sends none (a To header that is not a sip: URI). Never
   * throws for bad input; a realtime database that cannot be reached gives 503. `source` is
   * also set as `request.source` when the request has none.
   */
  async handleRegister(request: SipRequest, source: MessageSource): Promise<SipResponse | undefined> {
    // Responses stamp `received`/`rport` from the request's source (RFC 3261 §18.2.1).
    request.source ??= source;
    const general = this.#directory.general;
    const toHeader = request.headers.get('To')?.trim() ?? '';
    let outcome: Outcome;
    try {
      outcome = await this.#verify(request, source, general, toHeader);
    } catch (error) {
      if (!isRegistrarError(error) || (error.code !== 'realtime-unavailable' && error.code !== 'store-failed' && error.code !== 'store-closed')) {
        throw error;
      }
      this.#logger.warn(
        { asteriskLevel: 'WARNING', err: error, source: formatAddressPort(source.remoteAddress, source.remotePort) },
        `Registration from '${toHeader}' not processed: ${error.message}`,
      );
      const dialog = this.#dialog(request, source, general, false);
      return dialog.respond(request, 503, 'Service Unavailable');
    }
    if (outcome.failure !== undefined) {
      // chan_sip handle_request_register(): the line fail2ban filters match.
      this.#logger.warn(
        { asteriskLevel: 'NOTICE', event: 'registration-failed', reason: outcome.failure, address: normalizeIp(source.remoteAddress), port: source.remotePort },
        `Registration from '${toHeader}' failed for '${formatAddressPort(normalizeIp(source.remoteAddress), source.remotePort)}' - ${outcome.failure}`,
      );
    }
    return outcome.response;
  }

  /**
   * Restores persisted bindings of `host=dynamic` sip.conf peers (chan_sip reg_source_db()):
   * address, defaultuser, Contact, Path and User-Agent come back and expire when their time
   * runs out (plus 10 s); bindings that lapsed while Tandem was down are deleted. Returns how
   * many were restored.
   */
  restore(): number {
    const store = this.#store;
    if (store === undefined) return 0;
    const now = Date.now();
    let restored = 0;
    for (const stored of store.bindings.all()) {
      const peer = this.#directory.get(stored.peer);
      if (peer === undefined || !peer.isDynamic || peer.origin !== 'config' || stored.expiresAt + 10_000 <= now) {
        store.bindings.remove(stored.peer);
        continue;
      }
      const binding: PeerBinding = {
        contact: stored.fullContact,
        address: stored.address,
        port: stored.port,
        transport: stored.transport,
        expirySeconds: stored.expirySeconds,
        expiresAt: stored.expiresAt,
        registeredAt: stored.expiresAt - stored.expirySeconds * 1000,
        userAgent: stored.userAgent,
        path: stored.path,
      };
      if (stored.defaultUser !== '') peer.defaultUser = stored.defaultUser;
      this.#directory.setBinding(peer, binding);
      this.#scheduleExpiry(peer, binding);
      this.#events.emit('registered', { peer, binding, changed: true, restored: true });
      restored++;
    }
    return restored;
  }

  /** `sip unregister <peer>`: forces the expiry of a registered peer (chan_sip expire_register()). */
  async unregister(name: string): Promise<UnregisterResult> {
    const peer = this.#directory.get(name);
    if (peer === undefined || !peer.settings.isPeer) return 'unknown';
    if (!this.#expiry.has(peer) && peer.binding === undefined) return 'not-registered';
    const binding = peer.binding;
    await this.#expire(peer);
    this.#events.emit('unregistered', { peer, binding, by: 'cli' });
    return 'unregistered';
  }

  /**
   * Seconds until the peer's binding is removed (chan_sip ast_sched_when(peer->expire), the
   * `Expire` of `sip show peer`), or -1 when nothing is scheduled.
   */
  secondsUntilExpiry(peer: Peer): number {
    const timer = this.#expiry.get(peer);
    return timer === undefined ? -1 : Math.max(Math.round((timer.at - Date.now()) / 1000), 0);
  }

  /** Stops expiry timers and detaches from the directory. */
  close(): void {
    this.#timers.stop();
    this.#expiry.clear();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }

  // chan_sip register_verify().
  async #verify(request: SipRequest, source: MessageSource, general: SipGeneral, toHeader: string): Promise<Outcome> {
    const toText = inBracketsOf(toHeader);
    const toUri = tryParseUri(toText);
    // <sip:name@>: an empty domain (which the URI parser refuses) is "never good", 404.
    const emptyDomain = toUri === undefined && /^sips?:[^@]*@\s*(?:[;?]|$)/i.test(toText.trim());
    if (!emptyDomain && (toUri === undefined || toUri.scheme === 'tel')) {
      this.#logger.info(
        { asteriskLevel: 'NOTICE' },
        `Invalid to address: '${inBracketsOf(toHeader)}' from ${normalizeIp(source.remoteAddress)} (missing sip:) trying to use anyway...`,
      );
      // register_verify() returns -1 (AUTH_SECRET_FAILED) without answering.
      return { response: undefined, failure: 'Wrong password' };
    }
    const domain = toUri === undefined ? '' : uriHostAddress(toUri);
    const name = decodeUser(toUri?.user) || domain;
    const natDetected = detectNat(request, source);
    const firstDialog = this.#dialog(request, source, general, general.deviceDefaults.nat.forceRport || (general.deviceDefaults.nat.autoForceRport && natDetected));
    if (domain === '') {
      return { response: firstDialog.respond(request, 404, 'Not found'), failure: 'Not a local domain' };
    }
    if (general.domains.length > 0 && !general.domains.some((entry) => entry.domain.toLowerCase() === domain.toLowerCase())) {
      const response = general.alwaysauthreject
        ? this.#authenticator.rejectLikeWrongPassword(request, firstDialog.respond).response
        : firstDialog.respond(request, 404, 'Not found (unknown domain)');
      return { response, failure: 'Not a local domain' };
    }
    const peer = await this.#directory.find(name, 'peer');
    if (peer !== undefined && !accessAllows(peer.settings.acl, source.remoteAddress, this.#directory.namedAcls)) {
      return this.#reject(request, firstDialog, general, 'Device does not match ACL');
    }
    if (peer === undefined && general.autocreatepeer !== 'no') {
      // register_verify(): an unknown name becomes a peer, registered without authentication.
      const created = this.#directory.autocreate(name);
      if (created !== undefined) return { response: await this.#applyContact(request, firstDialog, created, general, firstDialog.forceRport, '403') };
    }
    if (peer === undefined) {
      if (!general.alwaysauthreject || general.autocreatepeer !== 'no') {
        return { response: firstDialog.respond(request, 404, 'Not found'), failure: 'No matching peer found' };
      }
      // The bogus peer: challenged like a real one, then 403 "Wrong password".
      const checked = this.#authenticator.check(request, bogusCredentials, firstDialog.respond);
      if (checked.outcome === 'challenged') return { response: checked.response };
      return { response: firstDialog.respond(request, 403, 'Forbidden'), failure: 'Wrong password' };
    }
    if (!peer.isDynamic) {
      this.#logger.error({ asteriskLevel: 'ERROR', peer: peer.name }, `Peer '${peer.name}' is trying to register, but not configured as host=dynamic`);
      return this.#reject(request, firstDialog, general, 'Peer is not supposed to register');
    }
    // chan_sip set_peer_nat(): the auto_* settings follow what this request shows.
    peer.natDetected = natDetected;
    const forceRport = peer.forceRport;
    const dialog = this.#dialog(request, source, general, forceRport, peer.settings.supportPath);
    const checked = this.#authenticator.check(request, { username: peer.name, secret: peer.settings.secret, md5secret: peer.settings.md5secret }, dialog.respond);
    if (checked.outcome === 'challenged') return { response: checked.response };
    if (checked.outcome === 'wrong-password') return { response: dialog.respond(request, 403, 'Forbidden'), failure: 'Wrong password' };
    if (checked.outcome === 'username-mismatch') {
      this.#logger.warn({ asteriskLevel: 'WARNING' }, `username mismatch, have <${peer.name}>, digest has <${checked.digestUsername}>`);
      return this.#reject(request, dialog, general, 'Username/auth name mismatch');
    }
    if (!peer.settings.transports.includes(source.transport)) {
      this.#logger.error(
        { asteriskLevel: 'ERROR' },
        `'${source.transport.toUpperCase()}' is not a valid transport for '${peer.name}'. we only use '${peer.settings.transports.join(',').toUpperCase()}'! ending call.`,
      );
      return { response: addDate(dialog.respond(request, 403, 'Forbidden')), failure: 'Device not configured to use this transport type' };
    }
    return { response: await this.#applyContact(request, dialog, peer, general, forceRport) };
  }

  // register_verify(): AUTH_NOT_FOUND, AUTH_USERNAME_MISMATCH, AUTH_ACL_FAILED, AUTH_PEER_NOT_DYNAMIC.
  #reject(request: SipRequest, dialog: Dialog, general: SipGeneral, failure: Failure): Outcome {
    if (general.alwaysauthreject) {
      const answer = this.#authenticator.rejectLikeWrongPassword(request, dialog.respond);
      return { response: answer.response, failure };
    }
    const response =
      failure === 'Peer is not supposed to register' ? dialog.respond(request, 403, 'Forbidden') : dialog.respond(request, 404, 'Not found');
    return { response, failure };
  }

  // chan_sip parse_register_contact() and the 200 of register_verify().
  async #applyContact(
    request: SipRequest,
    dialog: Dialog,
    peer: Peer,
    general: SipGeneral,
    forceRport: boolean,
    contactDenied: '603' | '403' = '603',
  ): Promise<SipResponse> {
    const input = readRegisterContact(request, { defaultExpiry: general.defaultexpiry, minExpiry: general.minexpiry, maxExpiry: general.maxexpiry });
    if (input.wildcard && (!input.expiryGiven || input.expiry !== 0 || input.contactUri !== '*' || input.severalContacts)) {
      this.#logger.warn({ asteriskLevel: 'WARNING' }, 'Failed to parse contact info');
      return addDate(dialog.respond(request, 400, 'Bad Request'));
    }
    if (input.contactUri === '' && !input.expiryGiven) {
      // A query: the current binding, with the time left before it is removed.
      const binding = peer.binding;
      const left = this.secondsUntilExpiry(peer);
      const expiry = left >= 0 && binding !== undefined ? left : input.expiry;
      return this.#ok(request, dialog, expiry, binding?.contact ?? '', peer);
    }
    if (input.wildcard || input.expiry === 0) {
      const previous = peer.binding;
      this.#logger.info({ asteriskLevel: 'VERBOSE', verbosity: 3 }, `Unregistered SIP '${peer.name}'`);
      await this.#expire(peer);
      this.#events.emit('unregistered', { peer, binding: previous, by: 'request' });
      return this.#ok(request, dialog, 0, '', peer);
    }
    const target = await this.#contactTarget(input.contactUri, dialog, peer, forceRport);
    if (target === undefined) {
      this.#logger.warn({ asteriskLevel: 'WARNING' }, 'Failed to parse contact info');
      return addDate(dialog.respond(request, 400, 'Bad Request'));
    }
    const acls = this.#directory.namedAcls;
    if (!accessAllows(general.contactAcl, target.address, acls) || !accessAllows(peer.settings.contactAcl, target.address, acls)) {
      this.#logger.warn({ asteriskLevel: 'WARNING' }, `Domain '${target.hostport}' disallowed by contact ACL (violating IP ${target.address})`);
      this.#logger.warn({ asteriskLevel: 'WARNING' }, 'Registration denied because of contact ACL');
      // An autocreated peer gets 403 Forbidden there (register_verify()).
      return addDate(contactDenied === '603' ? dialog.respond(request, 603, 'Denied') : dialog.respond(request, 403, 'Forbidden'));
    }
    const now = Date.now();
    const previous = peer.binding;
    const userAgent = request.headers.get('User-Agent')?.trim() ?? '';
    const binding: PeerBinding = {
      contact: input.contactUri,
      address: target.address,
      port: target.port,
      transport: target.transport,
      ...(target.connectionId === undefined ? {} : { connectionId: target.connectionId }),
      expirySeconds: input.expiry,
      expiresAt: now + input.expiry * 1000,
      registeredAt: now,
      userAgent,
      path: peer.settings.supportPath ? request.headers.getAll('Path').map((line) => line.trim()) : [],
      source: { address: normalizeIp(dialog.source.remoteAddress), port: dialog.source.remotePort },
    };
    const learnedUser = target.user !== '' && peer.defaultUser === '' ? target.user : undefined;
    const persisted = await this.#persist(peer, binding, learnedUser ?? peer.defaultUser);
    if (!persisted) {
      return dialog.respond(request, 503, 'Service Unavailable');
    }
    if (learnedUser !== undefined) peer.defaultUser = learnedUser;
    this.#directory.setBinding(peer, binding);
    if (peer.origin !== 'realtime' || general.rtcachefriends) {
      this.#directory.cancelAutoclear(peer);
      this.#scheduleExpiry(peer, binding);
    }
    const changed = previous === undefined || previous.address !== binding.address || previous.port !== binding.port;
    if (changed) {
      this.#logger.info({ asteriskLevel: 'VERBOSE', verbosity: 3 }, `Registered SIP '${peer.name}' at ${formatAddressPort(binding.address, binding.port)}`);
    }
    if (previous?.userAgent !== userAgent) {
      this.#logger.debug({ asteriskLevel: 'VERBOSE', verbosity: 4 }, `Saved useragent "${userAgent}" for peer ${peer.name}`);
    }
    this.#events.emit('registered', { peer, binding, changed, restored: false });
    return this.#ok(request, dialog, input.expiry, input.contactUri, peer);
  }

  // respprep() for a 2xx to REGISTER, then add_date().
  #ok(request: SipRequest, dialog: Dialog, expiry: number, contact: string, peer: Peer): SipResponse {
    const response = dialog.respond(request, 200, 'OK');
    response.headers.add('Expires', String(expiry));
    if (expiry !== 0) {
      response.headers.add('Contact', `${contact.includes('<') ? contact : `<${contact}>`};expires=${expiry}`);
    }
    if (peer.settings.supportPath) {
      const path = request.headers.get('Path');
      if (path !== undefined) response.headers.add('Path', path);
    }
    return addDate(response);
  }

  // Where requests to the peer will go: the Contact, or the packet source when NAT rules say so.
  async #contactTarget(
    contactUri: string,
    dialog: Dialog,
    peer: Peer,
    forceRport: boolean,
  ): Promise<{ address: string; port: number; transport: TransportProtocol; connectionId?: string; user: string; hostport: string } | undefined> {
    const source = dialog.source;
    const uri = tryParseUri(contactUri);
    if (uri === undefined) {
      this.#logger.info({ asteriskLevel: 'NOTICE' }, 'Not a valid SIP contact (missing sip:/sips:) trying to use anyway');
    }
    const transportParam = uri?.params.find((param) => param.name.toLowerCase() === 'transport')?.value?.toLowerCase();
    const contactTransport = asTransport(transportParam) ?? source.transport;
    const transport = peer.settings.transports.includes(contactTransport) ? contactTransport : source.transport;
    const user = uri?.user === undefined ? '' : decodeUser(uri.user);
    const rportRequested = hasEmptyRport(dialog.request);
    const useSource = transport === 'ws' || transport === 'wss' || forceRport || rportRequested;
    let address: string;
    let port: number;
    const hostport = uri === undefined ? '' : `${uri.host}${uri.port === undefined ? '' : `:${uri.port}`}`;
    if (useSource) {
      address = normalizeIp(source.remoteAddress);
      port = source.remotePort;
    } else {
      if (uri === undefined || uri.host === '') {
        this.#logger.warn({ asteriskLevel: 'WARNING' }, `Invalid hostport '${hostport}'`);
        return undefined;
      }
      const host = uriHostAddress(uri);
      const resolved = isIpLiteral(host) ? host : await this.#resolve(host);
      if (resolved === undefined) {
        this.#logger.warn({ asteriskLevel: 'WARNING' }, `Invalid hostport '${hostport}'`);
        return undefined;
      }
      address = normalizeIp(resolved);
      port = uri.port ?? (transport === 'tls' || uri.scheme === 'sips' ? 5061 : 5060);
    }
    const sameSocket = transport === source.transport && address === normalizeIp(source.remoteAddress) && port === source.remotePort;
    return {
      address,
      port,
      transport,
      ...(sameSocket && source.connectionId !== undefined ? { connectionId: source.connectionId } : {}),
      user,
      hostport,
    };
  }

  async #resolve(host: string): Promise<string | undefined> {
    try {
      return await this.#resolveHost(host);
    } catch {
      return undefined;
    }
  }

  // Persists the new binding before the 200 is sent: the embedded store for sip.conf peers
  // (chan_sip astdb SIP/Registry), realtime `rtupdate` for realtime peers (update_peer()).
  async #persist(peer: Peer, binding: PeerBinding, defaultUser: string): Promise<boolean> {
    const general = this.#directory.general;
    const realtime = this.#directory.realtime;
    if (peer.origin === 'realtime' && realtime !== undefined) {
      if (!general.rtupdate) return true;
      const family = registrationFamily(realtime);
      const fields: RealtimeField[] = [
        { name: 'ipaddr', value: binding.address },
        { name: 'port', value: String(binding.port) },
        { name: 'regseconds', value: String(Math.floor(binding.expiresAt / 1000)) },
        { name: 'defaultuser', value: defaultUser },
        { name: 'useragent', value: binding.userAgent },
        { name: 'lastms', value: String(peer.lastMs) },
      ];
      if (general.rtsavepath) fields.push({ name: 'path', value: binding.path.join(',') });
      fields.push({ name: 'fullcontact', value: binding.contact });
      if (general.rtsavesysname && this.#systemName !== undefined && this.#systemName !== '') {
        fields.push({ name: 'regserver', value: this.#systemName });
      }
      try {
        await realtime.update(family, 'name', peer.name, fields);
        peer.fromRealtimeContact = true;
        return true;
      } catch (error) {
        this.#logger.warn(
          { asteriskLevel: 'WARNING', err: error, peer: peer.name },
          `Cannot store the registration of '${peer.name}' in realtime '${family}': ${String(error)}`,
        );
        return false;
      }
    }
    const store = this.#store;
    if (store === undefined) return true;
    try {
      store.bindings.save({
        peer: peer.name,
        address: binding.address,
        port: binding.port,
        transport: binding.transport,
        expirySeconds: binding.expirySeconds,
        expiresAt: binding.expiresAt,
        defaultUser,
        fullContact: binding.contact,
        userAgent: binding.userAgent,
        path: binding.path,
      });
      await store.durable();
      return true;
    } catch (error) {
      this.#logger.error({ asteriskLevel: 'ERROR', err: error, peer: peer.name }, `Cannot persist the registration of '${peer.name}': ${String(error)}`);
      return false;
    }
  }

  #scheduleExpiry(peer: Peer, binding: PeerBinding): void {
    this.#expiry.get(peer)?.cancel();
    // chan_sip: the binding really goes (expire + 10) seconds after the REGISTER.
    this.#expiry.set(
      peer,
      this.#timers.schedule(binding.expiresAt + 10_000, () => {
        this.#expiry.delete(peer);
        const current = peer.binding;
        void this.#expire(peer).then(() => {
          if (current !== undefined) this.#events.emit('expired', { peer, binding: current });
        });
      }),
    );
  }

  // chan_sip expire_register() + destroy_association().
  async #expire(peer: Peer): Promise<void> {
    this.#expiry.get(peer)?.cancel();
    this.#expiry.delete(peer);
    const general = this.#directory.general;
    const realtime = this.#directory.realtime;
    this.#directory.setBinding(peer, undefined);
    if (!general.ignoreregexpire) {
      if (peer.origin === 'realtime' && realtime !== undefined && peer.fromRealtimeContact && general.rtupdate) {
        try {
          await clearRealtimeRegistration(realtime, peer.name);
        } catch (error) {
          this.#logger.warn({ asteriskLevel: 'WARNING', err: error, peer: peer.name }, `Cannot clear the registration of '${peer.name}': ${String(error)}`);
        }
      } else if (this.#store !== undefined && !this.#store.closed) {
        try {
          this.#store.bindings.remove(peer.name);
          await this.#store.durable();
        } catch (error) {
          this.#logger.error({ asteriskLevel: 'ERROR', err: error, peer: peer.name }, `Cannot remove the registration of '${peer.name}': ${String(error)}`);
        }
      }
    }
    if (peer.origin === 'realtime' && general.rtautoclear !== false) {
      this.#directory.prune({ name: peer.name });
    }
    // chan_sip expire_register(): `selfdestruct` peers leave with their registration.
    this.#directory.dropAutocreated(peer);
  }

  // A peer left the directory (reload, prune): its timer goes, and for sip.conf peers the
  // persisted binding too, so a restart does not bring it back.
  #forget(peer: Peer, removeStored: boolean): void {
    this.#expiry.get(peer)?.cancel();
    this.#expiry.delete(peer);
    if (removeStored && this.#store !== undefined && !this.#store.closed) {
      try {
        this.#store.bindings.remove(peer.name);
      } catch (error) {
        this.#logger.error({ err: error, peer: peer.name }, `Cannot remove the registration of '${peer.name}': ${String(error)}`);
      }
    }
  }

  #dialog(request: SipRequest, source: MessageSource, general: SipGeneral, forceRport: boolean, pathSupported = false): Dialog {
    const tag = this.#authenticator.dialogTag(request);
    const respond: ResponseFactory = (req, status, reason) =>
      chanSipResponse(req, status, reason, {
        toTag: tag,
        userAgent: general.useragent,
        timerSupported: general.deviceDefaults.sessionTimers.mode !== 'refuse',
        pathSupported,
        forceRport,
      });
    return { request, source, respond, tag, forceRport };
  }
}

/** Settings a registration depends on, for callers that build credentials themselves. */
export function credentialsOf(device: SipDevice): DigestCredentials {
  return { username: device.name, secret: device.secret, md5secret: device.md5secret };
}

function inBracketsOf(header: string): string {
  const open = header.indexOf('<');
  if (open < 0) {
    const semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.slice(0, semicolon)).trim();
  }
  const close = header.indexOf('>', open);
  return header.slice(open + 1, close < 0 ? undefined : close).trim();
}

// SIP_PEDANTIC_DECODE: the To user is URI-decoded (pedantic=yes is the default).
function decodeUser(user: string | undefined): string {
  if (user === undefined) return '';
  const semicolon = user.indexOf(';');
  const plain = semicolon < 0 ? user : user.slice(0, semicolon);
  try {
    return decodeURIComponent(plain);
  } catch {
    return plain;
  }
}

function asTransport(value: string | undefined): TransportProtocol | undefined {
  return value === 'udp' || value === 'tcp' || value === 'tls' || value === 'ws' || value === 'wss' ? value : undefined;
}

// chan_sip check_via(): `;rport` without a value asks for RFC 3581 handling.
function hasEmptyRport(request: SipRequest): boolean {
  const via = request.headers.get('Via') ?? '';
  const top = via.split(',')[0] ?? '';
  return /;\s*rport(?!\s*=)/i.test(top);
}

// chan_sip check_via() / check_for_nat(): NAT when the top Via's sent-by address is not the
// packet's source address (ports are not compared). A sent-by name counts as NAT unless it
// is the source itself: chan_sip would resolve it, Tandem does not block on DNS here.
function detectNat(request: SipRequest, source: MessageSource): boolean {
  if (source.transport === 'ws' || source.transport === 'wss') return false;
  let host: string;
  try {
    host = request.topVia.host;
  } catch {
    return true;
  }
  if (host === '') return true;
  return normalizeIp(host) !== normalizeIp(source.remoteAddress);
}
