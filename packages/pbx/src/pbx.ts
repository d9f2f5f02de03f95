import { availableParallelism } from 'node:os';
import { formatDiagnostics, type TandemConfig } from '@tandem/config';
import { createApplicationRegistry, createFunctionRegistry, type DialplanChannel } from '@tandem/dialplan';
import { bundledSoundsDir, MediaEngine } from '@tandem/media';
import {
  createRealtimeDeviceBuilder,
  createRealtimeFamilies,
  EmbeddedStore,
  OutboundRegistrations,
  PeerDirectory,
  Qualifier,
  Registrar,
  type Logger,
  type NamedAcls,
} from '@tandem/registrar';
import { SipEndpoint, SipResolver } from '@tandem/sip';
import { ChanSip } from './chan-sip/chan-sip.js';
import type { OurAddress } from './chan-sip/our-address.js';
import { registerSipDialplanFunctions } from './chan-sip/sip-dialplan-functions.js';
import { SipMessageTechnology } from './chan-sip/message-sender.js';
import { registerMessageDialplan } from './messaging/message-dialplan.js';
import { ChannelRegistry } from './channels/channel-registry.js';
import { CliRegistry, type CliResult } from './cli/cli-registry.js';
import { registerCoreCommands } from './cli/core-commands.js';
import { registerDialplanCommands } from './cli/dialplan-commands.js';
import { registerModuleReload } from './cli/module-reload.js';
import { registerSipCommands } from './cli/sip-commands.js';
import { TandemHost } from './host/pbx-host.js';
import { TandemEngine } from './engine/tandem-engine.js';
import { endpointOptionsOf, listenersOf } from './sip-transports.js';
import { PbxError } from './pbx-error.js';
import { checkConfigDir } from './reload/config-check.js';
import { describePeerChanges, type ReloadResult } from './reload/reload-result.js';
import { configAfterReload, diagnosticsInScope, settingsAwaitingRestart, type ReloadScope } from './reload/reload-scope.js';
import { ListenerBindError, SipListeners, type ListenerMove } from './reload/sip-listeners.js';
import { tlsFileDiagnostic } from './reload/tls-file-error.js';

/** How to start a PBX. */
export interface PbxStartOptions {
  /** The Asterisk-style configuration directory. */
  readonly configDir: string;
  /** Persistent state (the embedded SQLite store). */
  readonly dataDir: string;
  readonly logger: Logger;
}

/** The running components a PBX is made of. */
interface PbxParts {
  readonly store: EmbeddedStore;
  readonly endpoint: SipEndpoint;
  readonly listeners: SipListeners;
  readonly media: MediaEngine;
  readonly directory: PeerDirectory;
  readonly registrar: Registrar;
  readonly qualifier: Qualifier;
  readonly outbound: OutboundRegistrations;
  readonly engine: TandemEngine;
  readonly chanSip: ChanSip;
  readonly host: TandemHost;
  readonly channels: ChannelRegistry;
}

/** acl.conf's named ACLs as the access checks look them up. */
function namedAclsOf(config: TandemConfig): NamedAcls {
  return new Map(config.acl.acls.map((acl) => [acl.name, { rules: acl.rules, namedAcls: [] }]));
}

/**
 * A running Tandem: SIP endpoint, media engine, registrar, dialplan engine and the SIP channel
 * driver, wired from one configuration directory, with the operator CLI.
 */
export class Pbx {
  readonly cli = new CliRegistry();
  readonly startedAt = new Date();
  #config: TandemConfig;
  readonly #listeners: SipListeners;
  /** The reload in progress: reloads run one after the other (chan_sip's sip_reloading). */
  #reloading: Promise<unknown> = Promise.resolve();

  readonly store: EmbeddedStore;
  readonly endpoint: SipEndpoint;
  readonly media: MediaEngine;
  readonly directory: PeerDirectory;
  readonly registrar: Registrar;
  readonly qualifier: Qualifier;
  readonly outbound: OutboundRegistrations;
  readonly engine: TandemEngine;
  readonly chanSip: ChanSip;
  readonly host: TandemHost;
  readonly channels: ChannelRegistry;

  private constructor(config: TandemConfig, readonly options: PbxStartOptions, parts: PbxParts) {
    this.#config = config;
    this.store = parts.store;
    this.endpoint = parts.endpoint;
    this.#listeners = parts.listeners;
    this.media = parts.media;
    this.directory = parts.directory;
    this.registrar = parts.registrar;
    this.qualifier = parts.qualifier;
    this.outbound = parts.outbound;
    this.engine = parts.engine;
    this.chanSip = parts.chanSip;
    this.host = parts.host;
    this.channels = parts.channels;
  }

  /** The configuration in force. */
  get config(): TandemConfig {
    return this.#config;
  }

  /**
   * Loads the configuration, opens the store, binds the SIP listeners and the RTP port range,
   * and starts answering. Throws `PbxError` (`invalid-config` with every diagnostic, or
   * `start-failed`) without leaving anything open.
   */
  static async start(options: PbxStartOptions): Promise<Pbx> {
    const { logger } = options;
    const loaded = checkConfigDir(options.configDir);
    if (!loaded.valid) {
      const errors = loaded.diagnostics.filter((item) => item.severity === 'error');
      throw new PbxError('invalid-config', formatDiagnostics(errors), { diagnostics: loaded.diagnostics });
    }
    for (const line of formatDiagnostics(loaded.diagnostics).split('\n').filter(Boolean)) logger.warn(line);
    const { config, dialplan } = loaded;
    const cleanup: (() => unknown)[] = [];
    try {
      const store = EmbeddedStore.open({ dataDir: options.dataDir });
      cleanup.push(() => store.close());
      const resolver = new SipResolver(
        config.tandem.dnsServers.length > 0
          ? { servers: config.tandem.dnsServers.map((server) => (server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`)) }
          : {},
      );
      const realtime = createRealtimeFamilies(config.extconfig, {
        mysql: config.resConfigMysql,
        pgsql: config.resPgsql,
        sqlite3: config.resConfigSqlite3,
        sqliteBaseDir: options.configDir,
        logger,
      });
      // Database connections keep the process alive: closed with everything else.
      cleanup.push(() => realtime?.close());
      const directory = new PeerDirectory({
        sipConf: config.sip,
        namedAcls: namedAclsOf(config),
        logger,
        ...(realtime === undefined ? {} : { realtime, realtimeDevices: createRealtimeDeviceBuilder(config.sipDocument) }),
      });
      cleanup.push(() => directory.close());
      await directory.resolveStaticAddresses();
      const registrar = new Registrar({ directory, store, logger });
      cleanup.push(() => registrar.close());
      const media = MediaEngine.open({
        portStart: config.rtp.rtpStart,
        portEnd: config.rtp.rtpEnd,
        threads: Math.min(config.tandem.media.threads, availableParallelism()),
        soundsDir: config.tandem.soundsDir ?? bundledSoundsDir,
      });
      cleanup.push(() => media.close());
      // Our Via follows externaddr/localnet like Contact and SDP (chan_sip ast_sip_ouraddrfor()).
      const via: { ourAddress?: OurAddress } = {};
      const endpoint = new SipEndpoint({ ...(await endpointOptionsOf(config)), viaAddress: (destination, local) => via.ourAddress?.remap(destination, local) ?? local });
      cleanup.push(() => endpoint.close());
      const listeners = new SipListeners(endpoint);
      try {
        await listeners.moveTo(await listenersOf(config, logger));
      } catch (error) {
        if (!(error instanceof ListenerBindError)) throw error;
        const diagnostic = error.diagnosticIn(config.sipDocument);
        throw new PbxError('start-failed', formatDiagnostics([diagnostic]), { cause: error, diagnostics: [diagnostic] });
      }

      const channels = new ChannelRegistry();
      const host = new TandemHost({ channels, db: store.astDb, resolver, logger, allowSystem: false });
      const engine = new TandemEngine({
        dialplan,
        host,
        applications: createApplicationRegistry(),
        functions: createFunctionRegistry(),
        ...(config.asterisk.systemName === undefined ? {} : { systemName: config.asterisk.systemName }),
      });
      host.engine = engine;
      const chanSip = new ChanSip({ config, endpoint, directory, registrar, media, engine, channels, logger, resolver, configDir: options.configDir });
      cleanup.push(() => chanSip.close());
      host.chanSip = chanSip;
      via.ourAddress = chanSip.ourAddress;
      registerSipDialplanFunctions(engine, chanSip);
      const sipMessages = new SipMessageTechnology(() => chanSip);
      registerMessageDialplan(engine, new Map([[sipMessages.name, sipMessages]]));
      const restored = registrar.restore();
      if (restored > 0) logger.info(`restored ${restored} registration(s) from the store`);
      const qualifier = new Qualifier({ directory, sender: endpoint, registrar, logger });
      cleanup.push(() => qualifier.stop());
      qualifier.start();
      chanSip.keepalives.start();
      cleanup.push(() => chanSip.keepalives.stop());
      const outbound = new OutboundRegistrations({ sipConf: config.sip, sender: endpoint, directory, resolver, logger });
      cleanup.push(() => outbound.stop());
      outbound.start();
      chanSip.startSubscriptions();

      const pbx = new Pbx(config, options, { store, endpoint, listeners, media, directory, registrar, qualifier, outbound, engine, chanSip, host, channels });
      registerCoreCommands(pbx);
      registerSipCommands(pbx);
      registerDialplanCommands(pbx);
      registerModuleReload(pbx);
      return pbx;
    } catch (error) {
      for (const close of cleanup.reverse()) {
        try {
          await close();
        } catch {
          // Keep closing the rest.
        }
      }
      if (error instanceof PbxError) throw error;
      throw new PbxError('start-failed', error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  /** Calls processed since start (`core show channels`). */
  get callsProcessed(): number {
    return this.engine.callsProcessed;
  }

  /** Runs one application on a channel and hangs it up afterwards (`channel originate ... application`). */
  async runApplication(channel: DialplanChannel, name: string, data: string): Promise<void> {
    const application = this.engine.applications.get(name);
    if (application === undefined) {
      this.options.logger.warn(`No such application '${name}'`);
      channel.hangup(16);
      return;
    }
    const session = this.engine.createSession(channel, { context: 'default', exten: 's', priority: 1 });
    try {
      await application.execute(session, data);
    } finally {
      session.dispose();
      if (!channel.isHungUp) channel.hangup(16);
    }
  }

  /** Runs one CLI command line. */
  execute(line: string): Promise<CliResult> {
    return this.cli.execute(line);
  }

  /**
   * Reloads from the configuration directory (chan_sip `sip reload`, pbx_config `dialplan
   * reload`, `core reload`): the files of the scope are read and validated completely and the
   * SIP listeners a new bindaddr asks for are bound before anything changes; on any error the
   * running configuration stays and the errors are returned. Calls in progress keep their
   * device settings; peers still configured keep their registrations; removed peers lose
   * theirs. Reloads run one at a time.
   */
  reload(scope: ReloadScope): Promise<ReloadResult> {
    const result = this.#reloading.then(() => this.#reload(scope));
    this.#reloading = result.catch(() => undefined);
    return result;
  }

  async #reload(scope: ReloadScope): Promise<ReloadResult> {
    const checked = checkConfigDir(this.options.configDir);
    const diagnostics = diagnosticsInScope(checked, scope);
    const errors = diagnostics.filter((item) => item.severity === 'error');
    if (errors.length > 0) return { ok: false, scope, errors };
    const running = this.#config;
    const next = configAfterReload(running, checked.config, scope);
    const changes: string[] = [];
    let move: ListenerMove | undefined;
    if (scope !== 'dialplan') {
      try {
        // TLS files are read again (a renewed certificate is a changed TLS listener), before
        // anything changes: an unreadable one refuses the reload.
        const endpointOptions = await endpointOptionsOf(next);
        move = await this.#listeners.moveTo(await listenersOf(next, this.options.logger));
        this.endpoint.transport.reconfigure(endpointOptions);
      } catch (error) {
        if (error instanceof ListenerBindError) return { ok: false, scope, errors: [error.diagnosticIn(next.sipDocument)] };
        const tls = tlsFileDiagnostic(next.sipDocument, error);
        if (tls !== undefined) return { ok: false, scope, errors: [tls] };
        throw error;
      }
      changes.push(...move.opened.map((listener) => `SIP listener opened: ${listener}`), ...move.closing.map((listener) => `SIP listener closed: ${listener}`));
      // chan_sip reload_config() then sip_do_reload(): peers still configured take their new
      // settings and keep their registration, removed ones go (unregistered, forgotten by the
      // store); every peer is qualified again and every register => line registers again.
      const peers = this.directory.reload(next.sip, {
        namedAcls: namedAclsOf(next),
        ...(this.directory.realtime === undefined ? {} : { realtimeDevices: createRealtimeDeviceBuilder(next.sipDocument) }),
      });
      changes.push(describePeerChanges(peers));
      this.chanSip.reload(next);
      this.outbound.reload(next.sip);
      this.qualifier.start();
      this.chanSip.keepalives.start();
      this.directory.resolveStaticAddresses().catch((error: unknown) => this.options.logger.warn({ err: error }, 'cannot resolve peer host names after reload'));
    }
    if (scope !== 'sip') {
      this.engine.reload(checked.dialplan);
      changes.push(`dialplan: ${[...checked.dialplan.contexts()].length} contexts`);
    }
    this.#config = next;
    await move?.finish();
    return {
      ok: true,
      scope,
      warnings: diagnostics,
      changes,
      awaitingRestart: settingsAwaitingRestart(running, checked.config, scope),
    };
  }

  /** Stops answering, hangs up every call, closes sockets and the store. */
  async stop(): Promise<void> {
    for (const channel of this.channels.list()) channel.hangup(16);
    // Let BYEs and final responses leave before the sockets close.
    await new Promise((resolve) => setTimeout(resolve, 200));
    this.outbound.stop();
    this.qualifier.stop();
    this.chanSip.keepalives.stop();
    this.registrar.close();
    this.directory.close();
    await this.chanSip.close();
    await this.directory.realtime?.close();
    await this.endpoint.close();
    await this.media.close();
    this.store.close();
  }
}
