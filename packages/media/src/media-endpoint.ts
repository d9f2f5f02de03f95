import { isIP } from 'node:net';

import type { EngineContext, NativeEventTarget } from './internal/engine-context.js';
import { unwrapNative } from './internal/native-result.js';
import { MediaError } from './media-error.js';
import type { DtmfMode, MediaCodec, MediaDirection, MediaStats, PlayResult, RecordOptions, RecordResult } from './media-types.js';
import type { NativeEvent } from './native-binding.js';

const directionCodes: Record<MediaDirection, number> = { sendrecv: 0, sendonly: 1, recvonly: 2, inactive: 3 };
const dtmfModeCodes: Record<DtmfMode, number> = { rfc2833: 0, inband: 1, info: 2, shortinfo: 3, auto: 4 };

/** Native event kinds (media-event.h). */
const enum NativeEventKind {
  Dtmf = 1,
  Timeout = 2,
  PlayDone = 3,
  RecordDone = 4,
  DtmfSent = 5,
}

const playStatuses = ['done', 'interrupted', 'failed', 'stopped'] as const;
const recordStatuses = ['dtmf', 'silence', 'timeout', 'stopped', 'error'] as const;
const dtmfDigits = /^[0-9*#A-Da-d]+$/;

type Completion = (event: NativeEvent | undefined) => void;

function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MediaError('bad-argument', `${what} must be an integer 1..65535, got ${port}`);
  }
}

/**
 * One RTP/RTCP port pair facing one SIP party. Created by `MediaEngine.allocate`; the sockets
 * live in the native engine and are closed by `release()`.
 */
export class MediaEndpoint implements NativeEventTarget {
  /** The local IP address both sockets are bound to. */
  readonly localAddress: string;
  /** The even RTP port. */
  readonly rtpPort: number;
  /** The odd RTCP port (rtpPort + 1). */
  readonly rtcpPort: number;

  readonly #context: EngineContext;
  readonly #id: number;
  #released = false;
  // Created on first use: a relayed call's endpoints mostly never need them.
  #dtmfListeners?: Set<(digit: string, durationMs: number) => void>;
  #timeoutListeners?: Set<(kind: 'rtp' | 'hold') => void>;
  /** Operations waiting for a native completion, by operation id. */
  #pending?: Map<number, Completion>;
  #nextOperation = 1;
  #dtmfMode: DtmfMode = 'rfc2833';

  /** @internal Use `MediaEngine.allocate`. */
  constructor(context: EngineContext, id: number, localAddress: string, rtpPort: number, rtcpPort: number) {
    this.#context = context;
    this.#id = id;
    this.localAddress = localAddress;
    this.rtpPort = rtpPort;
    this.rtcpPort = rtcpPort;
  }

  /** @internal The native endpoint id. */
  get nativeId(): number {
    return this.#id;
  }

  /** True once `release()` ran. */
  get released(): boolean {
    return this.#released;
  }

  /**
   * Where the party's media goes, from its SDP (`c=` and `m=` port). `symmetric` is chan_sip's
   * `nat=comedia`: media is sent where the party's RTP really comes from once it has sent any.
   */
  setRemote(address: string, rtpPort: number, options: { rtcpPort?: number; symmetric?: boolean } = {}): void {
    if (isIP(address) === 0) throw new MediaError('bad-argument', `remote address must be a numeric IP, got '${address}'`);
    checkPort(rtpPort, 'rtpPort');
    if (options.rtcpPort !== undefined) checkPort(options.rtcpPort, 'rtcpPort');
    this.#call(this.#native().setRemote(this.#id, address, rtpPort, options.rtcpPort ?? -1, options.symmetric ?? false));
  }

  /** The codec negotiated with this party. */
  setCodec(codec: MediaCodec): void {
    const te = codec.telephoneEventPt;
    const valid =
      Number.isInteger(codec.payloadType) && codec.payloadType >= 0 && codec.payloadType <= 127 &&
      Number.isInteger(codec.clockRate) && codec.clockRate > 0 &&
      Number.isInteger(codec.ptimeMs) && codec.ptimeMs > 0 && codec.ptimeMs <= 200 &&
      (te === undefined || (Number.isInteger(te) && te >= 0 && te <= 127));
    if (!valid) throw new MediaError('bad-argument', `invalid codec ${JSON.stringify(codec)}`);
    this.#call(this.#native().setCodec(this.#id, codec.payloadType, codec.name, codec.clockRate, codec.ptimeMs, te ?? -1));
  }

  /** Relays media both ways with `other` (PCMU<->PCMA transcoded when the codecs differ). */
  connect(other: MediaEndpoint): void {
    if (other === this) throw new MediaError('bad-argument', 'an endpoint cannot be connected to itself');
    if (other.#released) throw new MediaError('released', 'the other media endpoint was released');
    this.#call(this.#native().connect(this.#id, other.#id));
  }

  /** Stops relaying to and from the connected endpoint. */
  disconnect(): void {
    this.#call(this.#native().disconnect(this.#id));
  }

  /**
   * The direction Tandem declared toward this party: `sendonly`/`inactive` ignore what it sends,
   * `recvonly`/`inactive` send it nothing. Anything but `sendrecv` counts as hold for timeouts.
   */
  setDirection(direction: MediaDirection): void {
    const code = directionCodes[direction];
    if (code === undefined) throw new MediaError('bad-argument', `unknown direction '${String(direction)}'`);
    this.#call(this.#native().setDirection(this.#id, code));
  }

  /** chan_sip `dtmfmode`: which DTMF the endpoint detects and how `sendDtmf` sends. */
  setDtmfMode(mode: DtmfMode): void {
    const code = dtmfModeCodes[mode];
    if (code === undefined) throw new MediaError('bad-argument', `unknown dtmf mode '${String(mode)}'`);
    this.#call(this.#native().setDtmfMode(this.#id, code));
    this.#dtmfMode = mode;
  }

  /**
   * Plays sound files in order (.ulaw/.alaw/.sln/.wav at 8 kHz; a name without extension picks
   * the format matching the codec, relative names resolve against the sounds directory) with
   * 20 ms RTP pacing. Resolves 'failed' for a missing file, 'interrupted' with the digit when
   * one of `interruptDigits` is received, 'stopped' on stopMedia()/release(). With `loop` the
   * list starts over after its last file, without a gap, until stopped (music on hold).
   */
  play(files: string[], options: { interruptDigits?: string; loop?: boolean } = {}): Promise<PlayResult> {
    if (!Array.isArray(files) || files.length === 0 || files.some((file) => typeof file !== 'string' || file === '')) {
      return Promise.reject(new MediaError('bad-argument', 'play() needs one or more file names'));
    }
    const interruptDigits = (options.interruptDigits ?? '').toUpperCase();
    return this.#operation(
      (operation) => this.#native().play(this.#id, operation, files, interruptDigits, options.loop === true),
      (event): PlayResult => {
        const status = event ? (playStatuses[event.status] ?? 'failed') : 'stopped';
        return event?.digit ? { status, digit: event.digit } : { status };
      },
    );
  }

  /** Plays an indications.conf tone list ("440+480/2000,0/4000") until stopTones()/stopMedia(). */
  playTones(tones: string): void {
    if (typeof tones !== 'string' || tones.trim() === '') throw new MediaError('bad-argument', 'empty tone list');
    this.#call(this.#native().playTones(this.#id, tones));
  }

  /** Stops the tones started by playTones(). */
  stopTones(): void {
    this.#call(this.#native().stopTones(this.#id));
  }

  /** app_echo: sends the party's media back to it until stopEcho()/stopMedia(). */
  echo(): void {
    this.#call(this.#native().echo(this.#id, true));
  }

  /** Ends echo(). */
  stopEcho(): void {
    this.#call(this.#native().echo(this.#id, false));
  }

  /**
   * app_record: writes the party's audio (through the jitter buffer) to a 16-bit 8 kHz .wav.
   * On silence one second of it is kept; on a terminator digit the last 250 ms are cut.
   */
  record(file: string, options: RecordOptions): Promise<RecordResult> {
    if (typeof file !== 'string' || !file.toLowerCase().endsWith('.wav')) {
      return Promise.reject(new MediaError('unsupported', `record() writes .wav files only, got '${String(file)}'`));
    }
    const { silenceMs, maxDurationMs, terminators, append } = options;
    if (!(silenceMs >= 0) || !(maxDurationMs >= 0)) {
      return Promise.reject(new MediaError('bad-argument', 'silenceMs and maxDurationMs must be >= 0'));
    }
    return this.#operation(
      (operation) =>
        this.#native().record(this.#id, operation, file, Math.round(silenceMs), Math.round(maxDurationMs), terminators.toUpperCase(), append),
      (event): RecordResult =>
        event ? { status: recordStatuses[event.status] ?? 'error', durationMs: event.value } : { status: 'stopped', durationMs: 0 },
    );
  }

  /** Ends playback, tones, echo and recording (their promises resolve 'stopped'). */
  stopMedia(): void {
    this.#call(this.#native().stopMedia(this.#id));
  }

  /**
   * Sends DTMF toward the party per dtmfmode: RFC 4733 events (rfc2833, or auto with
   * telephone-event), or inband tones (inband, or auto without it). With info/shortinfo the SIP
   * layer sends INFO itself: this rejects with 'unsupported'.
   */
  sendDtmf(digits: string, durationMs: number): Promise<void> {
    if (typeof digits !== 'string' || !dtmfDigits.test(digits)) {
      return Promise.reject(new MediaError('bad-argument', `not DTMF digits: '${String(digits)}'`));
    }
    if (!(durationMs > 0)) return Promise.reject(new MediaError('bad-argument', 'durationMs must be > 0'));
    if (this.#dtmfMode === 'info' || this.#dtmfMode === 'shortinfo') {
      return Promise.reject(new MediaError('unsupported', `dtmfmode=${this.#dtmfMode} sends DTMF in SIP INFO, not in media`));
    }
    return this.#operation(
      (operation) => this.#native().sendDtmf(this.#id, operation, digits.toUpperCase(), Math.round(durationMs)),
      () => undefined,
    );
  }

  /**
   * A digit that arrived in signalling (SIP INFO): it interrupts playback, ends a recording and
   * reaches onDtmf listeners exactly like one detected in the media.
   */
  receiveDtmf(digit: string, durationMs: number): void {
    if (typeof digit !== 'string' || digit.length !== 1 || !dtmfDigits.test(digit)) {
      throw new MediaError('bad-argument', `not a DTMF digit: '${String(digit)}'`);
    }
    this.#call(this.#native().injectDtmf(this.#id, digit, Math.max(0, Math.round(durationMs))));
  }

  /** Calls `listener` for each DTMF digit received; returns the unsubscribe function. */
  onDtmf(listener: (digit: string, durationMs: number) => void): () => void {
    const listeners = (this.#dtmfListeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /**
   * chan_sip `rtptimeout`/`rtpholdtimeout` in milliseconds (0 = off). As in chan_sip, nothing
   * fires unless rtpTimeoutMs is set; on hold the call lasts until holdTimeoutMs has passed.
   * `keepaliveMs` is `rtpkeepalive`: a comfort-noise packet after that long without sending.
   */
  setTimeouts(options: { rtpTimeoutMs: number; holdTimeoutMs: number; keepaliveMs?: number }): void {
    const { rtpTimeoutMs, holdTimeoutMs } = options;
    const keepaliveMs = options.keepaliveMs ?? 0;
    if (!(rtpTimeoutMs >= 0) || !(holdTimeoutMs >= 0) || !(keepaliveMs >= 0)) {
      throw new MediaError('bad-argument', 'timeouts must be >= 0 (0 = off)');
    }
    this.#call(this.#native().setTimeouts(this.#id, Math.round(rtpTimeoutMs), Math.round(holdTimeoutMs), Math.round(keepaliveMs)));
  }

  /** Calls `listener` once when the RTP (or hold) timeout expires; returns the unsubscribe function. */
  onTimeout(listener: (kind: 'rtp' | 'hold') => void): () => void {
    const listeners = (this.#timeoutListeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** A snapshot of the endpoint's counters. */
  stats(): MediaStats {
    const raw = unwrapNative(this.#native().stats(this.#id));
    const stats: MediaStats = {
      rxPackets: raw.rxPackets,
      rxBytes: raw.rxBytes,
      txPackets: raw.txPackets,
      txBytes: raw.txBytes,
      lost: raw.lost,
      jitterMs: raw.jitterMs,
      rejectedPackets: raw.rejectedPackets,
      malformedPackets: raw.malformedPackets,
    };
    if (raw.remoteAddress !== undefined && raw.remotePort !== undefined) {
      stats.remote = { address: raw.remoteAddress, port: raw.remotePort };
    }
    if (raw.rtcpFractionLost256 >= 0) {
      stats.rtcp = { fractionLost: raw.rtcpFractionLost256 / 256 };
      if (raw.rtcpRttMicros >= 0) stats.rtcp.rttMs = raw.rtcpRttMicros / 1000;
    }
    return stats;
  }

  /** Closes both sockets now; the port pair is free for the next allocation. Idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const result = this.#context.native.release(this.#id);
    this.#context.forget(this.#id);
    // Completions emitted by the native shutdown would arrive after the endpoint is forgotten.
    for (const complete of [...(this.#pending?.values() ?? [])]) complete(undefined);
    this.#pending?.clear();
    if (result !== undefined && result.error !== 'released' && result.error !== 'closed') {
      this.#call(result);
    }
  }

  /** @internal Events routed by the engine. */
  handleNativeEvent(event: NativeEvent): void {
    switch (event.kind) {
      case NativeEventKind.Dtmf:
        for (const listener of [...(this.#dtmfListeners ?? [])]) listener(event.digit, event.value);
        return;
      case NativeEventKind.Timeout: {
        const kind = event.status === 1 ? 'hold' : 'rtp';
        for (const listener of [...(this.#timeoutListeners ?? [])]) listener(kind);
        return;
      }
      case NativeEventKind.PlayDone:
      case NativeEventKind.RecordDone:
      case NativeEventKind.DtmfSent: {
        const complete = this.#pending?.get(event.operation);
        this.#pending?.delete(event.operation);
        complete?.(event);
        return;
      }
      default:
        return;
    }
  }

  /** Starts a native operation and resolves when its completion event arrives. */
  #operation<T>(start: (operation: number) => { error: string; message: string } | undefined, settle: (event: NativeEvent | undefined) => T): Promise<T> {
    const operation = this.#nextOperation++;
    try {
      this.#call(start(operation));
    } catch (error) {
      return Promise.reject(error);
    }
    this.#context.holdOpen();
    return new Promise<T>((resolve) => {
      (this.#pending ??= new Map()).set(operation, (event) => {
        this.#context.letClose();
        resolve(settle(event));
      });
    });
  }

  #native() {
    if (this.#released) throw new MediaError('released', 'the media endpoint was released');
    return this.#context.native;
  }

  #call(result: { error: string; message: string } | undefined): void {
    if (result !== undefined) unwrapNative(result);
  }
}
