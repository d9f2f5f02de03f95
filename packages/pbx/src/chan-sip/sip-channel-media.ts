import type { ChannelMedia, MediaStatus, PlayResult, RecordOptions, RecordResult } from '@tandem/dialplan';
import type { MediaEndpoint } from '@tandem/media';

/** What the media needs to know about its channel. */
export interface MediaOwner {
  readonly isHungUp: boolean;
  onHangup(listener: () => void): () => void;
  /** Turns a tone name (`ring`, `busy`, ...) into a tone list of the channel's tone zone. */
  toneList(nameOrList: string): string;
  /** The files of the music class the channel plays when `requested` is asked for (none: silence). */
  musicFor(requested: string): readonly string[];
  /** Sends DTMF in signalling (dtmfmode info/shortinfo); undefined when media carries DTMF. */
  readonly sendSignalledDigit?: ((digit: string, durationMs: number) => Promise<void>) | undefined;
}

/**
 * The dialplan's view of a SIP channel's media: prompts, tones, echo, recording and DTMF on the
 * channel's own RTP endpoint in the native engine. Received digits are buffered until an
 * application reads them.
 */
export class SipChannelMedia implements ChannelMedia {
  readonly #digits: string[] = [];
  readonly #waiters = new Set<(digit: string | undefined) => void>();
  /** The music on hold playing (its playback), until stopMusicOnHold() or another playback replaces it. */
  #music: Promise<unknown> | undefined;

  constructor(
    private readonly endpoint: MediaEndpoint,
    private readonly owner: MediaOwner,
  ) {
    endpoint.onDtmf((digit) => this.receiveDigit(digit));
    owner.onHangup(() => {
      for (const waiter of [...this.#waiters]) waiter(undefined);
      this.#waiters.clear();
    });
  }

  /** A digit from the media or from SIP INFO. */
  receiveDigit(digit: string): void {
    const waiter = this.#waiters.values().next().value;
    if (waiter) {
      this.#waiters.delete(waiter);
      waiter(digit);
      return;
    }
    this.#digits.push(digit);
  }

  async play(prompts: readonly string[], options: { readonly interruptDigits?: string } = {}): Promise<PlayResult> {
    if (this.owner.isHungUp) return { status: 'hangup' };
    if (prompts.length === 0) return { status: 'done' };
    const interruptDigits = options.interruptDigits ?? '';
    const buffered = this.#digits.findIndex((digit) => interruptDigits.includes(digit));
    if (buffered >= 0) {
      const [digit = ''] = this.#digits.splice(buffered, 1);
      return { status: 'interrupted', digit };
    }
    const stopOnHangup = this.owner.onHangup(() => this.endpoint.stopMedia());
    try {
      const result = await this.endpoint.play([...prompts], { interruptDigits });
      if (this.owner.isHungUp) return { status: 'hangup' };
      if (result.status === 'interrupted' && result.digit !== undefined) {
        // The digit also reached the buffer through onDtmf: it is consumed by the interruption.
        const at = this.#digits.lastIndexOf(result.digit);
        if (at >= 0) this.#digits.splice(at, 1);
        return { status: 'interrupted', digit: result.digit };
      }
      return { status: result.status === 'stopped' ? 'hangup' : result.status };
    } finally {
      stopOnHangup();
    }
  }

  playTones(tones: string): void {
    if (this.owner.isHungUp) return;
    this.endpoint.playTones(this.owner.toneList(tones));
  }

  stopTones(): void {
    if (this.owner.isHungUp) return;
    this.endpoint.stopTones();
  }

  /**
   * Music on hold (res_musiconhold): the class's files in a loop, in place of any relayed
   * audio, until stopMusicOnHold() or hangup. A class without files plays nothing.
   */
  startMusicOnHold(musicClass: string): void {
    if (this.owner.isHungUp) return;
    this.stopMusicOnHold();
    const files = this.owner.musicFor(musicClass);
    if (files.length === 0) return;
    // The engine loops the files itself: no gap at the end of a round for relayed audio to fill.
    // A file that cannot be played, or another playback taking the endpoint, ends the music.
    const music = this.endpoint.play([...files], { loop: true }).catch(() => undefined);
    this.#music = music;
    void music.finally(() => {
      if (this.#music === music) this.#music = undefined;
    });
  }

  stopMusicOnHold(): void {
    if (this.#music === undefined) return;
    this.#music = undefined;
    if (!this.owner.isHungUp) this.endpoint.stopMedia();
  }

  /** app_echo: echo until `#` or hangup. */
  async echo(): Promise<MediaStatus> {
    if (this.owner.isHungUp) return 'hangup';
    this.endpoint.echo();
    try {
      for (;;) {
        const digit = await this.readDigit(3_600_000);
        if (this.owner.isHungUp) return 'hangup';
        if (digit === '#') return 'done';
      }
    } finally {
      if (!this.owner.isHungUp) this.endpoint.stopEcho();
    }
  }

  readDigit(timeoutMs: number): Promise<string | undefined> {
    const buffered = this.#digits.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.owner.isHungUp) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = (digit: string | undefined): void => {
        clearTimeout(timer);
        resolve(digit);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(undefined);
      }, Math.max(0, timeoutMs));
      this.#waiters.add(waiter);
    });
  }

  /**
   * Waits for the party's first RTP packet or DTMF digit (main/channel.c __ast_answer() waits
   * for the first media frame after answering); buffered digits count and stay buffered.
   */
  waitForMedia(timeoutMs: number): Promise<'media' | 'timeout' | 'hangup'> {
    if (this.owner.isHungUp) return Promise.resolve('hangup');
    if (this.#digits.length > 0) return Promise.resolve('media');
    const received = (): number => {
      try {
        return this.endpoint.stats().rxPackets;
      } catch {
        return Number.NaN;
      }
    };
    const before = received();
    return new Promise((resolve) => {
      const finish = (outcome: 'media' | 'timeout' | 'hangup'): void => {
        clearInterval(poll);
        clearTimeout(timer);
        offHangup();
        offDigit();
        resolve(outcome);
      };
      const poll = setInterval(() => {
        const now = received();
        if (Number.isNaN(now)) finish(this.owner.isHungUp ? 'hangup' : 'timeout');
        else if (now > before) finish('media');
      }, 10);
      const timer = setTimeout(() => finish('timeout'), Math.max(0, timeoutMs));
      const offHangup = this.owner.onHangup(() => finish('hangup'));
      const offDigit = this.endpoint.onDtmf(() => finish('media'));
    });
  }

  flushDigits(): void {
    this.#digits.length = 0;
  }

  async record(file: string, options: RecordOptions): Promise<RecordResult> {
    if (this.owner.isHungUp) return { status: 'hangup', file, durationMs: 0 };
    const stopOnHangup = this.owner.onHangup(() => this.endpoint.stopMedia());
    try {
      const result = await this.endpoint.record(file, options);
      const status = result.status === 'stopped' ? 'hangup' : result.status;
      return { status, file, durationMs: result.durationMs };
    } catch {
      return { status: 'error', file, durationMs: 0 };
    } finally {
      stopOnHangup();
    }
  }

  async sendDigits(digits: string, durationMs: number): Promise<void> {
    for (const digit of digits) {
      if (this.owner.isHungUp) return;
      if (digit === 'w' || digit === 'W') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      const signalled = this.owner.sendSignalledDigit;
      if (signalled) await signalled(digit, durationMs);
      else await this.endpoint.sendDtmf(digit, durationMs);
    }
  }
}
