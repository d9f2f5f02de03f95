/**
 * What the dialplan engine needs from the program that hosts it (Tandem's PBX core, or a
 * test). Everything technology-specific goes through here.
 */
import type { DialplanChannel, OutgoingChannel } from './channel.js';

/** Device states as DEVICE_STATE() prints them (Asterisk 20, main/devicestate.c). */
export type DeviceState =
  | 'UNKNOWN'
  | 'NOT_INUSE'
  | 'INUSE'
  | 'BUSY'
  | 'INVALID'
  | 'UNAVAILABLE'
  | 'RINGING'
  | 'RINGINUSE'
  | 'ONHOLD';

/** The outcome of asking a technology for a new channel (Asterisk's ast_request()). */
export type ChannelRequest =
  | { readonly ok: true; readonly channel: OutgoingChannel }
  /** Not possible at all; `cause` is Q.850 (20 = subscriber absent -> CHANUNAVAIL, 17 = busy). */
  | { readonly ok: false; readonly cause: number };

/** How a bridge between two answered channels ended. */
export interface BridgeEnd {
  /** Which side hung up (or was hung up) first. */
  readonly endedBy: 'caller' | 'callee';
}

/** Options for bridging (Dial's answered phase). */
export interface BridgeOptions {
  /** Dial L(): hang up after this many ms. */
  readonly limitMs?: number;
  /** Dial S(x): hang up this many ms after answer. */
  readonly hangupAfterMs?: number;
  /**
   * Dial t/T/h/H/k/K/w/W/x/X: DTMF features are listened for, so the audio must pass through
   * us (Asterisk's native RTP bridge refuses channels with DTMF hooks).
   */
  readonly dtmfFeatures?: boolean;
}

/** The embedded key/value store behind DB(), DB_EXISTS(), DB_DELETE() (Asterisk's astdb). */
export interface KeyValueStore {
  get(family: string, key: string): string | undefined;
  put(family: string, key: string, value: string): void;
  /** Returns false when the key did not exist. */
  delete(family: string, key: string): boolean;
  /** Keys directly under `family`. */
  keys(family: string): string[];
}

/** One ENUM answer (NAPTR after the regexp was applied). */
export interface EnumRecord {
  readonly order: number;
  readonly preference: number;
  /** E2U service, e.g. `sip`, `tel`, `mailto`. */
  readonly service: string;
  /** The resulting URI, e.g. `sip:1234@example.com`. */
  readonly uri: string;
}

/** Log levels for Verbose()/Log(). */
export type DialplanLogLevel = 'error' | 'warning' | 'notice' | 'verbose' | 'debug';

/** The host services the engine calls. */
export interface PbxHost {
  /**
   * Creates (without calling) a channel of technology `tech` for `resource`
   * (`Dial(SIP/alice)` -> tech `SIP`, resource `alice`). `requestor` is the dialling channel.
   * May resolve later when the technology must look the device up first (a realtime peer
   * loaded from its database, as chan_sip's sip_request_call() does).
   */
  requestChannel(tech: string, resource: string, requestor: DialplanChannel): ChannelRequest | Promise<ChannelRequest>;
  /** Whether a device could take a call now, without calling it (ChanIsAvail). */
  deviceState(device: string): DeviceState;
  /** Connects the callee's early media to the caller (Dial, on progress). */
  connectEarlyMedia(caller: DialplanChannel, callee: DialplanChannel): void;
  /** Bridges two answered channels; resolves when either hangs up. */
  bridge(caller: DialplanChannel, callee: DialplanChannel, options: BridgeOptions): Promise<BridgeEnd>;
  /** The DB() store. */
  readonly db: KeyValueStore;
  /**
   * ENUM NAPTR lookup for ENUMLOOKUP/ENUMQUERY: `number` as the dialplan wrote it (the NAPTR
   * regexp applies to it, `+` included); `suffix` empty means the default (`e164.arpa`, or the
   * host's configured search list).
   */
  enumLookup(number: string, suffix: string, direct: boolean): Promise<EnumRecord[]>;
  /** Verbose(), Log(), NoOp traces and warnings. */
  log(level: DialplanLogLevel, message: string, channel?: DialplanChannel): void;
  /** Whether System()/TrySystem() may run commands (off unless configured). */
  readonly allowSystem: boolean;
  /** The wall clock (injectable for GotoIfTime/IFTIME/STRFTIME tests). */
  now(): Date;
  /**
   * A live channel by name, for ImportVar(), IMPORT() and SHARED(x,chan). Optional: without
   * it those report the channel as not found.
   */
  findChannel?(name: string): DialplanChannel | undefined;
  /**
   * The oldest live channel whose name starts with `prefix` (`SIP/bob-`), for ChanIsAvail's
   * `t` option (ast_channel_get_by_name_prefix()). Optional: without it no channel is found.
   */
  findChannelByPrefix?(prefix: string): DialplanChannel | undefined;
}
