/**
 * A scriptable `PbxHost` for tests: outgoing channels created from per-destination scripts,
 * a memory DB, device states, ENUM answers, a log, and a bridge that ends when a side hangs up.
 */
import type { DialplanChannel } from '../channel.js';
import type { BridgeEnd, BridgeOptions, ChannelRequest, DeviceState, DialplanLogLevel, EnumRecord, KeyValueStore, PbxHost } from '../host.js';
import { TestChannel, type OutgoingScript, type TestChannelOptions } from './test-channel.js';

/** astdb in memory. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, string>();

  get(family: string, key: string): string | undefined {
    return this.values.get(`${family}/${key}`);
  }

  put(family: string, key: string, value: string): void {
    this.values.set(`${family}/${key}`, value);
  }

  delete(family: string, key: string): boolean {
    return this.values.delete(`${family}/${key}`);
  }

  keys(family: string): string[] {
    const prefix = `${family}/`;
    return [...this.values.keys()].filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/')).map((key) => key.slice(prefix.length)).sort();
  }
}

/** One destination's behaviour: a script for the leg, or a refusal with a cause. */
export type DestinationScript = (OutgoingScript & Omit<TestChannelOptions, 'outgoing'>) | { readonly unavailable: number };

/** Options of a `TestHost`. */
export interface TestHostOptions {
  /** Keyed `Tech/resource` (e.g. `SIP/bob`); unknown destinations are unavailable (cause 20). */
  readonly destinations?: Readonly<Record<string, DestinationScript>>;
  readonly deviceStates?: Readonly<Record<string, DeviceState>>;
  readonly enum?: Readonly<Record<string, readonly EnumRecord[]>>;
  readonly allowSystem?: boolean;
  /** A fixed clock; defaults to the real one. */
  readonly now?: Date;
}

/** A log line the host received. */
export interface LoggedLine {
  readonly level: DialplanLogLevel;
  readonly message: string;
  readonly channel: string | undefined;
}

/** The bridges the host made, with their options. */
export interface RecordedBridge {
  readonly caller: DialplanChannel;
  readonly callee: DialplanChannel;
  readonly options: BridgeOptions;
}

let legSequence = 0;

/** A `PbxHost` double. */
export class TestHost implements PbxHost {
  readonly db = new MemoryKeyValueStore();
  readonly allowSystem: boolean;
  readonly log: (level: DialplanLogLevel, message: string, channel?: DialplanChannel) => void;
  readonly logged: LoggedLine[] = [];
  /** Every channel handed out by requestChannel, in order. */
  readonly requested: TestChannel[] = [];
  readonly earlyMedia: Array<{ caller: DialplanChannel; callee: DialplanChannel }> = [];
  readonly bridges: RecordedBridge[] = [];
  readonly deviceStates = new Map<string, DeviceState>();
  /** Other live channels of the system (findChannel, findChannelByPrefix); add with `addChannel`. */
  readonly channels: DialplanChannel[] = [];
  private readonly destinations: Record<string, DestinationScript>;
  private readonly enumAnswers: Readonly<Record<string, readonly EnumRecord[]>>;
  private readonly fixedNow: Date | undefined;

  constructor(options: TestHostOptions = {}) {
    this.destinations = { ...options.destinations };
    this.enumAnswers = options.enum ?? {};
    this.allowSystem = options.allowSystem ?? false;
    this.fixedNow = options.now;
    for (const [device, state] of Object.entries(options.deviceStates ?? {})) this.deviceStates.set(device, state);
    this.log = (level, message, channel) => {
      this.logged.push({ level, message, channel: channel?.name });
    };
  }

  /** Adds or replaces a destination's script. */
  setDestination(destination: string, script: DestinationScript): void {
    this.destinations[destination] = script;
  }

  /** Warnings and errors logged so far (messages only). */
  warnings(): string[] {
    return this.logged.filter((line) => line.level === 'warning' || line.level === 'error').map((line) => line.message);
  }

  requestChannel(tech: string, resource: string, _requestor: DialplanChannel): ChannelRequest {
    const script = this.destinations[`${tech}/${resource}`];
    if (!script) return { ok: false, cause: 20 };
    if ('unavailable' in script) return { ok: false, cause: script.unavailable };
    legSequence++;
    const channel = new TestChannel({
      ...script,
      tech,
      name: script.name ?? `${tech}/${resource}-${legSequence.toString(16).padStart(8, '0')}`,
      state: 'down',
      outgoing: script,
    });
    this.requested.push(channel);
    return { ok: true, channel };
  }

  /** Makes a channel visible to findChannel()/findChannelByPrefix(). */
  addChannel(channel: DialplanChannel): void {
    this.channels.push(channel);
  }

  findChannel(name: string): DialplanChannel | undefined {
    return this.channels.find((channel) => channel.name === name && !channel.isHungUp);
  }

  findChannelByPrefix(prefix: string): DialplanChannel | undefined {
    return this.channels.find((channel) => channel.name.startsWith(prefix) && !channel.isHungUp);
  }

  deviceState(device: string): DeviceState {
    return this.deviceStates.get(device) ?? 'UNKNOWN';
  }

  connectEarlyMedia(caller: DialplanChannel, callee: DialplanChannel): void {
    this.earlyMedia.push({ caller, callee });
  }

  bridge(caller: DialplanChannel, callee: DialplanChannel, options: BridgeOptions): Promise<BridgeEnd> {
    this.bridges.push({ caller, callee, options });
    return new Promise((resolve) => {
      let settled = false;
      const finish = (endedBy: 'caller' | 'callee'): void => {
        if (settled) return;
        settled = true;
        clearTimeout(limit);
        offCaller();
        offCallee();
        resolve({ endedBy });
      };
      const offCaller = caller.onHangup(() => finish('caller'));
      const offCallee = callee.onHangup(() => finish('callee'));
      const limitMs = Math.min(options.limitMs ?? Infinity, options.hangupAfterMs ?? Infinity);
      const limit = Number.isFinite(limitMs)
        ? setTimeout(() => {
            callee.hangup(16);
          }, limitMs)
        : undefined;
    });
  }

  async enumLookup(number: string, _suffix: string, _direct: boolean): Promise<EnumRecord[]> {
    return [...(this.enumAnswers[number] ?? [])];
  }

  now(): Date {
    return this.fixedNow ?? new Date();
  }
}
