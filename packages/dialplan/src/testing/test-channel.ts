/**
 * A scriptable channel for tests: records what the dialplan did to it (answer, indications,
 * prompts, hangup) and delivers scripted DTMF. It can also be an outgoing Dial leg that rings,
 * answers, is busy or congested on cue.
 */
import type {
  CallerId,
  ChannelMedia,
  ChannelState,
  Indication,
  MediaStatus,
  OutgoingCallListener,
  OutgoingChannel,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../channel.js';
import { MapVariables } from '../variables/channel-variables.js';

/** How an outgoing test leg behaves once `call()` is made. */
export interface OutgoingScript {
  /** Report ringing after this many ms (omit: never rings). */
  readonly ringAfterMs?: number;
  /** Report early media (183) after this many ms. */
  readonly progressAfterMs?: number;
  /** The outcome and when it happens (omit `outcome`: rings forever). */
  readonly outcome?: 'answer' | 'busy' | 'congestion' | 'hangup' | 'forward';
  readonly outcomeAfterMs?: number;
  /** Cause reported with busy/congestion/hangup (defaults: 17, 34, 16). */
  readonly cause?: number;
  /** For `forward`: the redirect target. */
  readonly forwardTo?: string;
  /** After answering, hang up (as the callee) this many ms into the bridge. */
  readonly hangupAfterAnswerMs?: number;
}

/** Options of a `TestChannel`. */
export interface TestChannelOptions {
  readonly name?: string;
  readonly uniqueId?: string;
  readonly tech?: string;
  readonly callerId?: Partial<CallerId>;
  readonly state?: ChannelState;
  /** DTMF the caller "presses": returned by readDigit() and interrupts playback. */
  readonly digits?: string;
  /** Indications that make the channel hang up, as a SIP caller does after 486/503 (default busy, congestion). */
  readonly hangupOnIndication?: readonly Indication[];
  /** For outgoing legs. */
  readonly outgoing?: OutgoingScript;
  /** How long readDigit() waits when no digit is queued: `immediate` (default) or `real` (honours the timeout). */
  readonly digitWait?: 'immediate' | 'real';
  readonly language?: string;
}

let sequence = 0;

/** A `DialplanChannel` (and `OutgoingChannel`) double. */
export class TestChannel implements OutgoingChannel {
  readonly name: string;
  readonly uniqueId: string;
  readonly linkedId: string;
  readonly tech: string;
  readonly variables = new MapVariables();
  callerId: CallerId;
  hangupCause = 0;
  language: string;
  accountCode = '';
  /** Everything that happened, in order: `answer`, `indicate:busy`, `play:digits/1`, `hangup:17`, ... */
  readonly events: string[] = [];
  /** The prompts played, in order. */
  readonly played: string[] = [];
  readonly media: ChannelMedia;
  private currentState: ChannelState;
  private hungUp = false;
  private readonly listeners = new Set<() => void>();
  private readonly pendingDigits: string[];
  private readonly hangupOn: ReadonlySet<Indication>;
  private readonly outgoing: OutgoingScript | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(options: TestChannelOptions = {}) {
    sequence++;
    this.tech = options.tech ?? 'Test';
    this.name = options.name ?? `${this.tech}/caller-${sequence.toString(16).padStart(8, '0')}`;
    this.uniqueId = options.uniqueId ?? `1700000000.${sequence}`;
    this.linkedId = this.uniqueId;
    this.callerId = {
      name: '',
      number: '',
      presentation: 'allowed_not_screened',
      tag: '',
      ani: '',
      dnid: '',
      rdnis: '',
      ...options.callerId,
    };
    this.currentState = options.state ?? 'ring';
    this.language = options.language ?? 'en';
    this.pendingDigits = [...(options.digits ?? '')];
    this.hangupOn = new Set(options.hangupOnIndication ?? ['busy', 'congestion']);
    this.outgoing = options.outgoing;
    const digitWait = options.digitWait ?? 'immediate';
    this.media = {
      play: async (prompts, playOptions) => this.play(prompts, playOptions?.interruptDigits),
      playTones: (tones) => void this.events.push(`tones:${tones}`),
      stopTones: () => void this.events.push('tones:stop'),
      echo: async () => {
        this.events.push('echo');
        return this.hungUp ? 'hangup' : 'done';
      },
      readDigit: async (timeoutMs) => {
        const digit = this.pendingDigits.shift();
        if (digit !== undefined) return digit;
        if (digitWait === 'real' && !this.hungUp) await this.wait(timeoutMs);
        return undefined;
      },
      flushDigits: () => void (this.pendingDigits.length = 0),
      record: async (file: string, recordOptions: RecordOptions): Promise<RecordResult> => {
        this.events.push(`record:${file}`);
        const digit = this.pendingDigits.shift();
        if (digit !== undefined && recordOptions.terminators.includes(digit)) return { status: 'dtmf', file, durationMs: 1000 };
        return { status: this.hungUp ? 'hangup' : 'timeout', file, durationMs: recordOptions.maxDurationMs };
      },
      sendDigits: async (digits) => void this.events.push(`senddtmf:${digits}`),
    };
  }

  get state(): ChannelState {
    return this.currentState;
  }

  get isHungUp(): boolean {
    return this.hungUp;
  }

  /** Queues more DTMF from the caller. */
  pressDigits(digits: string): void {
    this.pendingDigits.push(...digits);
  }

  private async play(prompts: readonly string[], interruptDigits: string | undefined): Promise<PlayResult> {
    for (const prompt of prompts) {
      if (this.hungUp) return { status: 'hangup' };
      const next = this.pendingDigits[0];
      if (interruptDigits && next !== undefined && interruptDigits.includes(next)) {
        this.pendingDigits.shift();
        return { status: 'interrupted', digit: next };
      }
      this.played.push(prompt);
      this.events.push(`play:${prompt}`);
      if (prompt.startsWith('missing/')) return { status: 'failed' };
    }
    return { status: this.hungUp ? 'hangup' : 'done' };
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        unsubscribe();
        resolve();
      }, ms);
      this.timers.add(timer);
      const unsubscribe = this.onHangup(() => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve();
      });
    });
  }

  async answer(): Promise<void> {
    if (this.hungUp) return;
    if (this.currentState !== 'up') this.events.push('answer');
    this.currentState = 'up';
  }

  hangup(cause?: number): void {
    if (cause !== undefined) this.hangupCause = cause;
    if (this.hungUp) return;
    this.hungUp = true;
    this.events.push(`hangup:${this.hangupCause}`);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const listener of [...this.listeners]) listener();
    this.listeners.clear();
  }

  async indicate(indication: Indication): Promise<void> {
    this.events.push(`indicate:${indication}`);
    if (this.currentState !== 'up' && this.hangupOn.has(indication)) this.hangup();
  }

  onHangup(listener: () => void): () => void {
    if (this.hungUp) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Plays the outgoing script: ringing, progress, then the outcome. */
  call(listener: OutgoingCallListener): void {
    this.events.push('call');
    this.currentState = 'dialing';
    const script = this.outgoing ?? {};
    const later = (ms: number | undefined, action: () => void): void => {
      if (ms === undefined) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.hungUp) action();
      }, ms);
      this.timers.add(timer);
    };
    later(script.ringAfterMs, () => {
      this.currentState = 'ringing';
      listener.onRinging();
    });
    later(script.progressAfterMs, () => listener.onProgress());
    later(script.outcomeAfterMs ?? (script.outcome ? 0 : undefined), () => {
      switch (script.outcome) {
        case 'answer':
          this.currentState = 'up';
          this.events.push('answered');
          listener.onAnswer();
          if (script.hangupAfterAnswerMs !== undefined) later(script.hangupAfterAnswerMs, () => this.hangup(16));
          break;
        case 'busy':
          this.hangupCause = script.cause ?? 17;
          listener.onBusy();
          this.hangup();
          listener.onHangup(this.hangupCause);
          break;
        case 'congestion':
          this.hangupCause = script.cause ?? 34;
          listener.onCongestion();
          this.hangup();
          listener.onHangup(this.hangupCause);
          break;
        case 'forward':
          listener.onForward?.(script.forwardTo ?? '');
          break;
        case 'hangup':
        case undefined:
          this.hangupCause = script.cause ?? 16;
          this.hangup();
          listener.onHangup(this.hangupCause);
          break;
      }
    });
  }
}

/** A MediaStatus helper for tests that need one. */
export type { MediaStatus };
