/**
 * The channel as the dialplan sees it. Any technology (SIP, Local, a test double) that
 * implements this interface can run extensions.conf; the engine never sees SIP.
 */

/** Asterisk's channel states (`core show channels` prints them capitalised). */
export type ChannelState = 'down' | 'reserved' | 'offhook' | 'dialing' | 'ring' | 'ringing' | 'up' | 'busy';

/** Caller presentation, as CALLERID(pres) names it (Asterisk 20, main/callerid.c). */
export type CallerPresentation =
  | 'allowed_not_screened'
  | 'allowed_passed_screen'
  | 'allowed_failed_screen'
  | 'allowed'
  | 'prohib_not_screened'
  | 'prohib_passed_screen'
  | 'prohib_failed_screen'
  | 'prohib'
  | 'unavailable';

/** The caller identity a channel carries (CALLERID(...)). */
export interface CallerId {
  name: string;
  number: string;
  presentation: CallerPresentation;
  /** CALLERID(tag). */
  tag: string;
  /** CALLERID(ani). */
  ani: string;
  /** CALLERID(dnid): the number dialled to reach this channel. */
  dnid: string;
  /** CALLERID(rdnis): the redirecting number. */
  rdnis: string;
}

/**
 * What an application can ask a channel to signal towards its party (`incomplete`: the number
 * dialled is incomplete, Asterisk's AST_CONTROL_INCOMPLETE).
 */
export type Indication = 'ringing' | 'progress' | 'proceeding' | 'busy' | 'congestion' | 'incomplete' | 'hold' | 'unhold';

/** How a prompt or digit-collection step ended. */
export type MediaStatus = 'done' | 'interrupted' | 'failed' | 'hangup' | 'timeout';

/** The result of playing prompts that DTMF may interrupt. */
export interface PlayResult {
  readonly status: MediaStatus;
  /** The digit that interrupted playback (status `interrupted`). */
  readonly digit?: string;
}

/** Recording parameters (Record()). */
export interface RecordOptions {
  /** Stop after this much silence (ms); 0 = never. */
  readonly silenceMs: number;
  /** Stop after this long (ms); 0 = no limit. */
  readonly maxDurationMs: number;
  /** DTMF digits that end the recording. */
  readonly terminators: string;
  /** Append to an existing file instead of replacing it. */
  readonly append: boolean;
}

/** The result of a recording. */
export interface RecordResult {
  readonly status: 'dtmf' | 'silence' | 'timeout' | 'hangup' | 'error';
  readonly file: string;
  readonly durationMs: number;
}

/**
 * Media operations on the channel's own audio (before or without a bridge). Prompts are
 * named as in Asterisk (`hello-world`, `digits/1`), without extension; the host resolves them.
 * Every operation ends early with status `hangup` when the channel hangs up.
 */
export interface ChannelMedia {
  /** Plays prompts in order; a digit in `interruptDigits` stops playback and is returned. */
  play(prompts: readonly string[], options?: { readonly interruptDigits?: string }): Promise<PlayResult>;
  /** Starts an indications.conf style tone list (e.g. `440+480/2000,0/4000`) or a tone name (`ring`, `busy`, `congestion`, `dial`). */
  playTones(tones: string): void;
  /** Stops what playTones started. */
  stopTones(): void;
  /** Sends received audio (and DTMF) back to the caller until hangup or `#`. */
  echo(): Promise<MediaStatus>;
  /**
   * Waits for the next DTMF digit (buffered digits are returned first). Resolves `undefined`
   * on timeout or hangup (then `isHungUp` tells which).
   */
  readDigit(timeoutMs: number): Promise<string | undefined>;
  /** Drops buffered digits. */
  flushDigits(): void;
  /** Records the party's audio to `file` (format from its extension: .wav, .ulaw, .alaw, .sln). */
  record(file: string, options: RecordOptions): Promise<RecordResult>;
  /** Sends DTMF digits to the party (`w` = 500 ms pause). */
  sendDigits(digits: string, durationMs: number): Promise<void>;
  /** Starts music on hold of a class (MusicOnHold(), Dial `m`); optional: without it no music plays. */
  startMusicOnHold?(musicClass: string): void;
  /** Stops what startMusicOnHold started. */
  stopMusicOnHold?(): void;
  /**
   * Resolves `media` as soon as the party's media (audio or DTMF) arrives, `timeout` after
   * `timeoutMs`, `hangup` when the channel hangs up. Optional: without it Answer() waits its
   * whole settle time.
   */
  waitForMedia?(timeoutMs: number): Promise<'media' | 'timeout' | 'hangup'>;
}

/** Channel variables: names are case-sensitive, values are strings. */
export interface ChannelVariables {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Every variable, in insertion order (inheritance prefixes kept: `_A`, `__B`). */
  entries(): IterableIterator<[string, string]>;
}

/** A channel the dialplan can run on. */
export interface DialplanChannel {
  /** `SIP/alice-00000001`, `Local/s@default-00000002;1`. */
  readonly name: string;
  /** `<epoch seconds>.<sequence>`. */
  readonly uniqueId: string;
  /** The uniqueid of the oldest channel of the call. */
  readonly linkedId: string;
  /** `SIP`, `Local`, ... */
  readonly tech: string;
  readonly variables: ChannelVariables;
  callerId: CallerId;
  readonly state: ChannelState;
  /** Q.850 cause set when the channel hung up or was told why it will (0 = unset). */
  hangupCause: number;
  language: string;
  accountCode: string;
  readonly isHungUp: boolean;
  /** Answers the channel (SIP: 200 OK with SDP). Resolves when answered. */
  answer(): Promise<void>;
  /** Hangs the channel up with a Q.850 cause (keeps an existing cause when omitted). */
  hangup(cause?: number): void;
  /** Signals ringing, progress, busy, ... towards the party. */
  indicate(indication: Indication): Promise<void>;
  /** Calls `listener` once when the channel hangs up; returns a function that unsubscribes. */
  onHangup(listener: () => void): () => void;
  readonly media: ChannelMedia;
  /**
   * Transfer() (SIP: 302 before answer, REFER after). Optional: a channel without it makes
   * TRANSFERSTATUS `UNSUPPORTED`.
   */
  transfer?(destination: string): Promise<TransferResult>;
}

/** The outcome of a transfer request (TRANSFERSTATUS, TRANSFERSTATUSPROTOCOL). */
export interface TransferResult {
  readonly status: 'SUCCESS' | 'FAILURE' | 'UNSUPPORTED';
  /** The protocol's status code (SIP response code), `0` when none. */
  readonly protocolStatus: string;
}

/** What an outgoing call attempt reports while it is being set up. */
export interface OutgoingCallListener {
  onRinging(): void;
  /** Early media (SIP 183 with SDP). */
  onProgress(): void;
  onAnswer(): void;
  /** The far end is busy (SIP 486/600/603, 480). */
  onBusy(): void;
  /** The network is congested (SIP 5xx, no response). */
  onCongestion(): void;
  /**
   * The attempt ended; `cause` is the Q.850 cause mapped from the response and
   * `technologyCause` the technology's own text for HANGUPCAUSE(chan,tech) (`SIP 486 Busy Here`).
   */
  onHangup(cause: number, technologyCause?: string): void;
  /** The far end redirected the call (SIP 3xx): `target` is the new destination (`Local/...` style). */
  onForward?(target: string): void;
}

/** A channel created for Dial/Originate that has not been called yet. */
export interface OutgoingChannel extends DialplanChannel {
  /**
   * Starts the call attempt (SIP: sends the INVITE) using the variables and caller ID set on
   * the channel since it was requested; progress is reported to `listener`.
   */
  call(listener: OutgoingCallListener): void;
}
