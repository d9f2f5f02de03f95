import type {
  CallerId,
  ChannelMedia,
  ChannelState,
  DialplanChannel,
  Indication,
} from '@tandem/dialplan';
import { nextUniqueId } from './channel-identity.js';
import { VariableMap } from './channel-variables.js';

/** Where a channel is in the dialplan, for `core show channels`. */
export interface DialplanLocation {
  context: string;
  exten: string;
  priority: number;
  application: string;
  data: string;
}

/** An empty caller identity. */
export function emptyCallerId(): CallerId {
  return { name: '', number: '', presentation: 'allowed_not_screened', tag: '', ani: '', dnid: '', rdnis: '' };
}

/**
 * What every channel technology shares: identity, variables, state, hangup bookkeeping.
 * Subclasses supply the signalling (answer, indicate, hangup towards the party) and media.
 */
export abstract class BaseChannel implements DialplanChannel {
  readonly uniqueId: string;
  linkedId: string;
  readonly variables = new VariableMap();
  callerId: CallerId = emptyCallerId();
  hangupCause = 0;
  language = 'en';
  accountCode = '';
  /** Where the dialplan is running on this channel (updated by the PBX engine host). */
  readonly location: DialplanLocation = { context: '', exten: '', priority: 1, application: '', data: '' };
  /** The channel this one is bridged with, if any. */
  bridgedWith: BaseChannel | undefined;
  /** The id of the bridge it is in (`core show channels concise`), empty when none. */
  bridgeId = '';
  /** The channel whose early media this one hears, or hears it (Dial on progress, before the answer). */
  earlyMediaWith: BaseChannel | undefined;
  /** When the channel was created (for `core show channels verbose` durations). */
  readonly createdAt = Date.now();

  #state: ChannelState;
  #hungUp = false;
  readonly #hangupListeners = new Set<() => void>();

  protected constructor(
    readonly name: string,
    readonly tech: string,
    initialState: ChannelState,
    linkedId?: string,
  ) {
    this.uniqueId = nextUniqueId();
    this.linkedId = linkedId ?? this.uniqueId;
    this.#state = initialState;
  }

  get state(): ChannelState {
    return this.#state;
  }

  get isHungUp(): boolean {
    return this.#hungUp;
  }

  abstract readonly media: ChannelMedia;
  abstract answer(): Promise<void>;
  abstract indicate(indication: Indication): Promise<void>;

  /** Tells the party the call is over (SIP: BYE, CANCEL or a final response). */
  protected abstract releaseSignalling(cause: number): void;

  /**
   * Hangs up with `cause`, or with the cause the channel has (main/channel.c ast_hangup()
   * invents none: a call that ran off the end of the dialplan ends with cause 0, which chan_sip
   * turns into 603 Declined without cause headers).
   */
  hangup(cause?: number): void {
    if (this.#hungUp) return;
    if (cause !== undefined && cause > 0) this.hangupCause = cause;
    this.#hungUp = true;
    this.releaseSignalling(this.hangupCause);
    this.markHungUp();
  }

  /**
   * Records that the party hung up (or the call failed) without signalling anything back, and
   * tells the listeners.
   */
  protected markHungUp(cause?: number): void {
    if (cause !== undefined && this.hangupCause === 0) this.hangupCause = cause;
    this.#hungUp = true;
    this.#state = 'down';
    const listeners = [...this.#hangupListeners];
    this.#hangupListeners.clear();
    for (const listener of listeners) listener();
  }

  onHangup(listener: () => void): () => void {
    if (this.#hungUp) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.#hangupListeners.add(listener);
    return () => this.#hangupListeners.delete(listener);
  }

  protected setState(state: ChannelState): void {
    this.#state = state;
  }
}
