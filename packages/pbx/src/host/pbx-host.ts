import type {
  BridgeEnd,
  BridgeOptions,
  ChannelRequest,
  DeviceState,
  DialplanChannel,
  DialplanLogLevel,
  EnumRecord,
  KeyValueStore,
  PbxEngine,
  PbxHost,
} from '@tandem/dialplan';
import type { Logger } from '@tandem/registrar';
import type { SipResolver } from '@tandem/sip';
import { BaseChannel } from '../channels/base-channel.js';
import type { ChannelRegistry } from '../channels/channel-registry.js';
import { createLocalPair, type LocalChannel } from '../channels/local-channel.js';
import { bridgeChannels, connectMedia } from '../bridge/bridge.js';
import type { ChanSip } from '../chan-sip/chan-sip.js';
import { enumLookup } from './enum-lookup.js';

/** What the host is built from. */
export interface TandemHostOptions {
  readonly channels: ChannelRegistry;
  readonly db: KeyValueStore;
  readonly resolver: SipResolver;
  readonly logger: Logger;
  readonly allowSystem: boolean;
}

/**
 * The dialplan engine's host in Tandem: channel technologies (SIP, Local), bridges in the
 * native relay, device states, astdb, ENUM and logging.
 */
export class TandemHost implements PbxHost {
  readonly db: KeyValueStore;
  readonly allowSystem: boolean;
  /** Set once the SIP driver exists (it needs the engine, which needs this host). */
  chanSip: ChanSip | undefined;
  /** Set once the engine exists. */
  engine: PbxEngine | undefined;
  readonly #options: TandemHostOptions;

  constructor(options: TandemHostOptions) {
    this.#options = options;
    this.db = options.db;
    this.allowSystem = options.allowSystem;
  }

  /** A channel for `channel originate` (no requesting channel). */
  originateChannel(tech: string, resource: string): ChannelRequest | Promise<ChannelRequest> {
    return this.requestChannel(tech, resource, undefined);
  }

  requestChannel(tech: string, resource: string, requestor: DialplanChannel | undefined): ChannelRequest | Promise<ChannelRequest> {
    const request = this.#request(tech, resource, requestor);
    if (requestor === undefined) return request;
    // app_dial.c: the outgoing channel shows `AppDial((Outgoing Line))` in core show channels.
    const mark = (result: ChannelRequest): ChannelRequest => {
      if (result.ok && result.channel instanceof BaseChannel) {
        result.channel.location.application = 'AppDial';
        result.channel.location.data = '(Outgoing Line)';
      }
      return result;
    };
    return request instanceof Promise ? request.then(mark) : mark(request);
  }

  #request(tech: string, resource: string, requestor: DialplanChannel | undefined): ChannelRequest | Promise<ChannelRequest> {
    switch (tech.toUpperCase()) {
      case 'SIP':
        return this.chanSip?.requestChannel(resource, requestor) ?? { ok: false, cause: 66 };
      case 'LOCAL': {
        const pair = createLocalPair(resource, (half, context, exten) => this.runLocal(half, context, exten), 'default', requestor?.linkedId);
        if (pair === undefined) return { ok: false, cause: 20 };
        this.#options.channels.add(pair);
        this.#options.channels.add(pair.partner);
        pair.onHangup(() => this.#options.channels.remove(pair));
        return { ok: true, channel: pair };
      }
      default:
        return { ok: false, cause: 66 };
    }
  }

  /** Runs the dialplan on the ;2 half of a Local pair. */
  runLocal(half: LocalChannel, context: string, exten: string): void {
    const engine = this.engine;
    if (engine === undefined) {
      half.hangup(34);
      return;
    }
    void engine
      .run(half, { context, exten })
      .catch((error: unknown) => this.#options.logger.error({ err: error }, `dialplan failed on ${half.name}`))
      .finally(() => this.#options.channels.remove(half));
  }

  deviceState(device: string): DeviceState {
    const slash = device.indexOf('/');
    const tech = slash < 0 ? device : device.slice(0, slash);
    const resource = slash < 0 ? '' : device.slice(slash + 1);
    switch (tech.toUpperCase()) {
      case 'SIP':
        return this.chanSip?.deviceState(resource) ?? 'INVALID';
      case 'LOCAL': {
        const [exten = '', context = 'default'] = resource.split('/')[0]?.split('@') ?? [];
        return this.engine?.dialplan.exists(context, exten, 1) ? 'NOT_INUSE' : 'INVALID';
      }
      default:
        return 'INVALID';
    }
  }

  /** A live channel by its exact name (ImportVar, IMPORT(), SHARED(x,chan)). */
  findChannel(name: string): DialplanChannel | undefined {
    return this.#options.channels.get(name);
  }

  /** The oldest live channel whose name starts with `prefix` (ast_channel_get_by_name_prefix()). */
  findChannelByPrefix(prefix: string): DialplanChannel | undefined {
    return this.#options.channels.list().find((channel) => channel.name.startsWith(prefix) && !channel.isHungUp);
  }

  connectEarlyMedia(caller: DialplanChannel, callee: DialplanChannel): void {
    if (!(caller instanceof BaseChannel) || !(callee instanceof BaseChannel)) return;
    // Remembered so a Local channel in between finds the audio on either side of it.
    caller.earlyMediaWith = callee;
    callee.earlyMediaWith = caller;
    connectMedia(caller, callee);
  }

  bridge(caller: DialplanChannel, callee: DialplanChannel, options: BridgeOptions): Promise<BridgeEnd> {
    if (!(caller instanceof BaseChannel) || !(callee instanceof BaseChannel)) {
      return Promise.reject(new Error('Tandem bridges only its own channels'));
    }
    return bridgeChannels(caller, callee, options);
  }

  enumLookup(number: string, suffix: string, direct: boolean): Promise<EnumRecord[]> {
    return enumLookup(this.#options.resolver, number, suffix, direct, this.chanSip?.config.enum.searchSuffixes);
  }

  log(level: DialplanLogLevel, message: string, channel?: DialplanChannel): void {
    const fields = channel === undefined ? {} : { channel: channel.name };
    const logger = this.#options.logger;
    switch (level) {
      case 'error':
        logger.error(fields, message);
        return;
      case 'warning':
        logger.warn(fields, message);
        return;
      case 'notice':
        logger.info(fields, message);
        return;
      case 'verbose':
      case 'debug':
        // Asterisk prints "Executing [...]" lines at verbosity 3: Tandem shows them with -v.
        logger.debug(fields, message);
        return;
    }
  }

  now(): Date {
    return new Date();
  }
}
