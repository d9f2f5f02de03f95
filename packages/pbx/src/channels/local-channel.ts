import type {
  ChannelMedia,
  Indication,
  OutgoingCallListener,
  OutgoingChannel,
  PlayResult,
  RecordOptions,
  RecordResult,
  MediaStatus,
} from '@tandem/dialplan';
import { BaseChannel } from './base-channel.js';
import { nextChannelSuffix } from './channel-identity.js';

/** Starts the dialplan on the ;2 half when the ;1 half is called. */
export type LocalDialplanStarter = (channel: LocalChannel, context: string, exten: string) => void;

/**
 * Media of a Local half: there is no media of its own, so operations go to the channel that
 * is bridged with the other half (Asterisk's Local channel passes frames through).
 */
class LocalMedia implements ChannelMedia {
  constructor(private readonly owner: LocalChannel) {}

  #target(): ChannelMedia | undefined {
    return this.owner.mediaPeer?.media;
  }

  play(prompts: readonly string[], options?: { readonly interruptDigits?: string }): Promise<PlayResult> {
    return this.#target()?.play(prompts, options) ?? Promise.resolve({ status: 'failed' });
  }
  playTones(tones: string): void {
    this.#target()?.playTones(tones);
  }
  stopTones(): void {
    this.#target()?.stopTones();
  }
  echo(): Promise<MediaStatus> {
    const target = this.#target();
    if (target) return target.echo();
    // Nothing to echo yet: wait for the hangup like Echo() does on a silent channel.
    return new Promise((resolve) => this.owner.onHangup(() => resolve('hangup')));
  }
  readDigit(timeoutMs: number): Promise<string | undefined> {
    const target = this.#target();
    if (target) return target.readDigit(timeoutMs);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.owner.onHangup(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
  flushDigits(): void {
    this.#target()?.flushDigits();
  }
  record(file: string, options: RecordOptions): Promise<RecordResult> {
    return this.#target()?.record(file, options) ?? Promise.resolve({ status: 'error', file, durationMs: 0 });
  }
  sendDigits(digits: string, durationMs: number): Promise<void> {
    return this.#target()?.sendDigits(digits, durationMs) ?? Promise.resolve();
  }
  waitForMedia(timeoutMs: number): Promise<'media' | 'timeout' | 'hangup'> {
    const target = this.#target();
    if (target?.waitForMedia) return target.waitForMedia(timeoutMs);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve('timeout');
      }, timeoutMs);
      const off = this.owner.onHangup(() => {
        clearTimeout(timer);
        resolve('hangup');
      });
    });
  }
}

/**
 * One half of a Local channel pair (`Local/exten@context-XXXXXXXX;1` and `;2`). Calling ;1 runs
 * the dialplan at exten@context on ;2; what ;2 signals (ringing, answer, busy, hangup) comes
 * back to whoever called ;1.
 */
export class LocalChannel extends BaseChannel implements OutgoingChannel {
  readonly media: ChannelMedia = new LocalMedia(this);
  /** The other half; set right after construction by `createLocalPair`. */
  partner!: LocalChannel;
  #listener: OutgoingCallListener | undefined;

  constructor(
    name: string,
    readonly half: 1 | 2,
    private readonly target: { context: string; exten: string },
    private readonly startDialplan: LocalDialplanStarter,
    linkedId?: string,
  ) {
    super(name, 'Local', half === 1 ? 'down' : 'ring', linkedId);
  }

  /**
   * The channel whose audio stands behind this half: what the other half is bridged with, or
   * connected to for early media (Asterisk passes the frames through both halves).
   */
  get mediaPeer(): BaseChannel | undefined {
    return this.partner.bridgedWith ?? this.partner.earlyMediaWith;
  }

  /** ;1 only: starts the dialplan on ;2. */
  call(listener: OutgoingCallListener): void {
    this.#listener = listener;
    for (const [name, value] of this.variables.entries()) this.partner.variables.set(name, value);
    this.partner.callerId = { ...this.callerId };
    this.startDialplan(this.partner, this.target.context, this.target.exten);
  }

  async answer(): Promise<void> {
    if (this.state === 'up') return;
    this.setState('up');
    if (this.half === 2) {
      this.partner.setAnswered();
    }
  }

  /** ;1: the far half answered. */
  setAnswered(): void {
    this.setState('up');
    this.#listener?.onAnswer();
  }

  async indicate(indication: Indication): Promise<void> {
    if (this.half !== 2) return;
    const listener = this.partner.#listener;
    switch (indication) {
      case 'ringing':
        this.setState('ringing');
        listener?.onRinging();
        return;
      case 'progress':
        listener?.onProgress();
        return;
      case 'busy':
        listener?.onBusy();
        return;
      case 'congestion':
        listener?.onCongestion();
        return;
      default:
        return;
    }
  }

  protected releaseSignalling(cause: number): void {
    const other = this.partner;
    if (other.isHungUp) return;
    if (this.half === 2) other.#listener?.onHangup(cause);
    other.hangupCause = other.hangupCause || cause;
    other.hangup(cause);
  }
}

/** Creates the ;1/;2 pair for `Local/exten@context`. */
export function createLocalPair(
  resource: string,
  startDialplan: LocalDialplanStarter,
  defaultContext = 'default',
  linkedId?: string,
): LocalChannel | undefined {
  const withoutOptions = resource.split('/')[0] ?? '';
  const at = withoutOptions.lastIndexOf('@');
  const exten = at >= 0 ? withoutOptions.slice(0, at) : withoutOptions;
  const context = at >= 0 ? withoutOptions.slice(at + 1) : defaultContext;
  if (exten === '') return undefined;
  const base = `Local/${exten}@${context}-${nextChannelSuffix()}`;
  const one = new LocalChannel(`${base};1`, 1, { context, exten }, startDialplan, linkedId);
  const two = new LocalChannel(`${base};2`, 2, { context, exten }, startDialplan, one.linkedId);
  one.partner = two;
  two.partner = one;
  return one;
}
