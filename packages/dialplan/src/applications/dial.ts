/**
 * Dial() (Asterisk 20, apps/app_dial.c `dial_exec_full()`, `wait_for_answer()`): rings every
 * `&` leg at once, relays ringing and early media, the first answer wins and the others are
 * cancelled, DIALSTATUS follows the per-leg cause rules, then the two channels are bridged.
 */
import type { DialplanChannel, OutgoingChannel } from '../channel.js';
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import type { DialplanLocation, DialplanSession } from '../engine/dialplan-session.js';
import { hangupCauseRecords } from '../engine/hangup-cause-records.js';
import { parseSubroutineLocation } from '../engine/subroutine-location.js';
import { Cause, parseCause } from '../hangup-causes.js';
import type { BridgeOptions } from '../host.js';
import { splitArgs } from '../internal/split-args.js';
import { inheritVariables } from '../variables/channel-variables.js';
import { parseCallerId } from '../functions/channel-functions.js';
import { parseCaretLocation, parseOptions, SUPPORTED_DIAL_OPTIONS, type ParsedOptions } from './dial-options.js';

type LegOutcome = 'busy' | 'congestion' | 'unavailable' | 'none';

interface Leg {
  readonly channel: OutgoingChannel;
  /** `SIP/bob` -> `bob` (DIALEDPEERNUMBER). */
  readonly number: string;
  outcome: LegOutcome | undefined;
  answered: boolean;
}

interface DialTimes {
  readonly start: number;
  ring?: number;
  progress?: number;
  answer?: number;
}

/** handle_cause(): which DIALSTATUS bucket a leg's cause falls in. */
export function classifyCause(cause: number): LegOutcome {
  if (cause === Cause.USER_BUSY) return 'busy';
  if (cause === Cause.NORMAL_CIRCUIT_CONGESTION) return 'congestion';
  if (cause === Cause.NO_ANSWER || cause === Cause.NORMAL_CLEARING) return 'none';
  return 'unavailable';
}

/** The status when every leg failed: busy > congestion > unavailable (wait_for_answer()). */
function statusFromOutcomes(outcomes: readonly LegOutcome[]): string {
  if (outcomes.includes('busy')) return 'BUSY';
  if (outcomes.includes('congestion')) return 'CONGESTION';
  if (outcomes.includes('unavailable')) return 'CHANUNAVAIL';
  return 'NOANSWER';
}

/** `12`, `2.5`, `30^5`: the answer and progress timeouts in ms (undefined = forever). */
function parseTimeouts(session: DialplanSession, text: string): { answerMs?: number; progressMs?: number } {
  if (text.trim() === '') return {};
  const [answerText = '', progressText] = text.split('^', 2);
  const result: { answerMs?: number; progressMs?: number } = {};
  const answer = Number.parseFloat(answerText);
  if (answerText.trim() !== '') {
    if (answer > 0) result.answerMs = answer * 1000;
    else session.log('warning', `Invalid timeout specified: '${answerText}'. Setting timeout to infinite`);
  }
  if (progressText !== undefined && progressText.trim() !== '') {
    const progress = Number.parseFloat(progressText);
    if (progress > 0) result.progressMs = progress * 1000;
    else session.log('warning', `Invalid progress timeout specified: '${progressText}'. Setting timeout to infinite`);
  }
  return result;
}

/** U(context^arg1^arg2): the routine runs from `s`, 1 of the context with the arguments. */
function subroutineTarget(spec: string): { target: DialplanLocation; args: string[] } {
  const [routine = '', ...args] = spec.split('^');
  return { target: { context: routine, exten: 's', priority: 1 }, args };
}

/**
 * b(context^exten^priority(args)) / B(...): a Gosub location relative to the caller's
 * (ast_pre_call() after ast_replace_subargument_delimiter()).
 */
function predialTarget(session: DialplanSession, spec: string): { target: DialplanLocation; args: string[] } {
  return parseSubroutineLocation(session, spec.replaceAll('^', ','));
}

async function runLegSubroutine(session: DialplanSession, channel: DialplanChannel, spec: string, kind: 'gosub' | 'macro' | 'predial'): Promise<string> {
  if (kind === 'macro') {
    // M(): the Macro application itself, run on the callee (app_dial.c ast_app_exec_macro()).
    const macroSession = session.engine.createSession(channel, session.location);
    const [name = '', ...args] = spec.split('^');
    try {
      await session.engine.applications.get('Macro')?.execute(macroSession, [name, ...args].join(','));
    } finally {
      macroSession.dispose();
    }
    return (channel.variables.get('MACRO_RESULT') ?? '').trim();
  }
  const { target, args } = kind === 'predial' ? predialTarget(session, spec) : subroutineTarget(spec);
  await session.engine.runSubroutine(channel, target, args);
  return (channel.variables.get('GOSUB_RESULT') ?? '').trim();
}

function setCallerIdOptions(session: DialplanSession, options: ParsedOptions, leg: OutgoingChannel): void {
  const callerId = { ...session.channel.callerId };
  const forced = options.get('f');
  if (forced !== undefined && forced !== '') Object.assign(callerId, parseCallerId(forced));
  const tag = options.get('s');
  if (tag !== undefined) callerId.tag = tag;
  const presentation = options.get('u');
  if (presentation !== undefined && presentation !== '') {
    const value = presentation.toLowerCase();
    if (['allowed_not_screened', 'allowed_passed_screen', 'allowed_failed_screen', 'allowed', 'prohib_not_screened', 'prohib_passed_screen', 'prohib_failed_screen', 'prohib', 'unavailable'].includes(value)) {
      callerId.presentation = value as typeof callerId.presentation;
    } else {
      session.log('warning', `Dial: unknown presentation '${presentation}' in u()`);
    }
  }
  leg.callerId = callerId;
}

function elapsed(from: number, to: number | undefined): [string, string] {
  if (to === undefined) return ['', ''];
  const ms = Math.max(0, to - from);
  return [String(Math.floor(ms / 1000)), String(ms)];
}

async function setTimeVariables(session: DialplanSession, times: DialTimes, end: number): Promise<void> {
  const pairs: Array<[string, [string, string]]> = [
    ['DIALEDTIME', elapsed(times.start, end)],
    ['ANSWEREDTIME', times.answer === undefined ? ['', ''] : elapsed(times.answer, end)],
    ['RINGTIME', elapsed(times.start, times.ring)],
    ['PROGRESSTIME', elapsed(times.start, times.progress ?? times.ring)],
  ];
  for (const [name, [seconds, ms]] of pairs) {
    await session.setVariable(name, seconds);
    await session.setVariable(`${name}_MS`, ms);
  }
}

/**
 * The abort reason of a wait that ends: abort() without one builds a DOMException (a stack
 * trace) each time, twice per wait of every Dial; nothing reads the reason.
 */
const WOKEN = 'woken';

class DialAttempt {
  readonly legs: Leg[] = [];
  readonly requestOutcomes: LegOutcome[] = [];
  readonly times: DialTimes = { start: Date.now() };
  private sentRinging = false;
  private progressSeen = false;
  private wake: (() => void) | undefined;
  winner: Leg | undefined;
  forwarderName = '';

  constructor(
    private readonly session: DialplanSession,
    private readonly options: ParsedOptions,
  ) {}

  private notify(): void {
    this.wake?.();
  }

  /** Waits until something changes (an answer, a leg ending, a hangup) or `ms` pass. */
  async waitForChange(ms: number): Promise<void> {
    const changed = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    const unsubscribe = this.session.channel.onHangup(() => this.notify());
    const controller = new AbortController();
    void changed.then(() => controller.abort(WOKEN));
    await this.session.engine.sleep(ms, controller.signal);
    controller.abort(WOKEN);
    unsubscribe();
    this.wake = undefined;
  }

  get entertained(): boolean {
    return this.options.has('r') || this.options.has('m');
  }

  /**
   * Requests and calls one `Tech/resource` destination. A request that fails gives the caller
   * its cause only for the last destination (app_dial.c dial_exec_full()).
   */
  async start(destination: string, last = true): Promise<void> {
    const session = this.session;
    const slash = destination.indexOf('/');
    const tech = destination.slice(0, slash);
    const resource = destination.slice(slash + 1);
    const request = await session.host.requestChannel(tech, resource, session.channel);
    if (!request.ok) {
      session.log('notice', `Unable to create channel of type '${tech}' (cause ${request.cause})`);
      this.requestOutcomes.push(classifyCause(request.cause));
      if (last) session.channel.hangupCause = request.cause;
      return;
    }
    const channel = request.channel;
    // Inherit `_X`/`__X` and copy the caller's identity before call() (app_dial.c).
    inheritVariables(session.channel, channel);
    setCallerIdOptions(session, this.options, channel);
    channel.accountCode = channel.accountCode || session.channel.accountCode;
    channel.language = session.channel.language;
    const leg: Leg = { channel, number: resource, outcome: undefined, answered: false };
    this.legs.push(leg);
    const predial = this.options.get('b');
    if (predial) await runLegSubroutine(session, channel, predial, 'predial');
    channel.call({
      onRinging: () => {
        this.times.ring ??= Date.now();
        if (!this.sentRinging && !this.entertained) {
          this.sentRinging = true;
          void session.channel.indicate('ringing');
        }
      },
      onProgress: () => {
        this.times.progress ??= Date.now();
        if (this.progressSeen) return;
        this.progressSeen = true;
        if (this.options.has('R')) session.channel.media.stopTones();
        if (!this.entertained || this.options.has('R')) {
          session.host.connectEarlyMedia(session.channel, channel);
          void session.channel.indicate('progress');
        }
        const progressDigits = (this.options.get('D') ?? '').split(':')[2];
        if (progressDigits) void channel.media.sendDigits(progressDigits, 100);
      },
      onAnswer: () => {
        if (this.winner || leg.outcome !== undefined) return;
        leg.answered = true;
        this.winner = leg;
        this.times.answer = Date.now();
        // wait_for_answer(): once answered, the eventual hangup is a normal one on both sides.
        session.channel.hangupCause = Cause.NORMAL_CLEARING;
        channel.hangupCause = Cause.NORMAL_CLEARING;
        this.notify();
      },
      // wait_for_answer(): a leg that is busy, congested or gone gives the caller its cause.
      onBusy: () => {
        if (leg.outcome === undefined && !this.winner) session.channel.hangupCause = channel.hangupCause;
        leg.outcome ??= 'busy';
        this.notify();
      },
      onCongestion: () => {
        if (leg.outcome === undefined && !this.winner) session.channel.hangupCause = channel.hangupCause;
        leg.outcome ??= 'congestion';
        this.notify();
      },
      onHangup: (cause, technologyCause) => {
        hangupCauseRecords(session.channel).set(channel.name, { cause, technologyCause: technologyCause ?? '' });
        if (leg.answered) return;
        if (leg.outcome === undefined && !this.winner) session.channel.hangupCause = cause;
        leg.outcome ??= classifyCause(cause);
        this.notify();
      },
      onForward: (target) => {
        void this.forward(leg, target);
      },
    });
  }

  /** A 3xx from a leg: re-dial the new target unless `i` (then the leg counts as busy). */
  private async forward(leg: Leg, target: string): Promise<void> {
    if (this.options.has('i') || !target.includes('/')) {
      leg.outcome ??= 'busy';
      leg.channel.hangup();
      this.notify();
      return;
    }
    this.forwarderName = leg.channel.name;
    leg.outcome = 'none';
    leg.channel.hangup(Cause.NORMAL_CLEARING);
    await this.start(target);
    this.notify();
  }

  get stillRinging(): Leg[] {
    return this.legs.filter((leg) => leg.outcome === undefined && !leg.answered && !leg.channel.isHungUp);
  }

  /** Every leg's (or request's) outcome, for the all-failed status. */
  outcomes(): LegOutcome[] {
    return [...this.requestOutcomes, ...this.legs.map((leg) => leg.outcome ?? 'none')];
  }

  /** hanguptree(): hangs up every leg but `except`. */
  hangUpOthers(except: Leg | undefined, cause: number | undefined): void {
    for (const leg of this.legs) {
      if (leg === except || leg.channel.isHungUp) continue;
      leg.channel.hangup(cause);
    }
  }
}

/**
 * The cause the legs still ringing are hung up with (app_dial.c dial_exec_full(), hanguptree()):
 * after an answer, Q(cause) (NONE = 0) or ANSWERED_ELSEWHERE; otherwise ANSWERED_ELSEWHERE with
 * `c` or when the caller was itself answered elsewhere, the caller's cause (or 16) when the
 * caller gave up, else none.
 */
function cancelCauseFor(session: DialplanSession, options: ParsedOptions, answered: boolean, callerGone: boolean): number | undefined {
  if (answered) {
    const forced = options.get('Q');
    if (forced !== undefined && forced !== '') {
      if (forced.toUpperCase() === 'NONE') return 0;
      const cause = parseCause(forced);
      if (cause !== undefined) return cause;
      session.log('warning', `Invalid cause given to Dial(...Q(<cause>)): "${forced}"`);
    }
    return Cause.ANSWERED_ELSEWHERE;
  }
  if (session.channel.hangupCause === Cause.ANSWERED_ELSEWHERE || options.has('c')) return Cause.ANSWERED_ELSEWHERE;
  if (callerGone) return session.channel.hangupCause || Cause.NORMAL_CLEARING;
  return undefined;
}

async function warnUnsupported(session: DialplanSession, options: ParsedOptions): Promise<void> {
  const unsupported = [...options.keys()].filter((letter) => !SUPPORTED_DIAL_OPTIONS.has(letter));
  if (unsupported.length > 0) session.log('warning', `Dial: option(s) ${unsupported.join(', ')} accepted but not supported by Tandem; ignored`);
}

/** GOSUB_RESULT / MACRO_RESULT after U()/M() (app_dial.c): what happens to the call. */
async function applySubroutineResult(session: DialplanSession, attempt: DialAttempt, leg: Leg, result: string): Promise<ApplicationResult | undefined> {
  const upper = result.toUpperCase();
  if (upper === '' ) return undefined;
  if (upper === 'ABORT') {
    leg.channel.hangup();
    session.channel.hangup();
    return 'hangup';
  }
  if (upper === 'CONGESTION' || upper === 'BUSY') {
    leg.channel.hangup();
    await session.setVariable('DIALSTATUS', upper);
    return 'continue';
  }
  if (upper === 'CONTINUE') {
    leg.channel.hangup();
    return 'continue';
  }
  if (upper.startsWith('GOTO:')) {
    leg.channel.hangup();
    const location = parseCaretLocation(result.slice(5));
    session.gotoTarget([location.context, location.exten, location.priority].filter((part) => part !== undefined).join(','));
    return 'continue';
  }
  void attempt;
  return undefined;
}

const dial: DialplanApplication = {
  name: 'Dial',
  synopsis: 'Attempt to connect to another device or endpoint and bridge the call.',
  syntax: 'Dial(Technology/Resource[&Technology2/Resource2[&...]],[timeout,[options,[URL]]])',
  description:
    'Rings every leg; the first to answer is bridged. Sets DIALSTATUS (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL), DIALEDTIME, ANSWEREDTIME, RINGTIME, PROGRESSTIME (and _MS), DIALEDPEERNAME, DIALEDPEERNUMBER, FORWARDERNAME. Options: A a b B c D F f g i L m M o Q r R S s u U; others are accepted with a warning.',
  async execute(session, data): Promise<ApplicationResult> {
    const [peers = '', timeoutText = '', optionText = ''] = splitArgs(data, { max: 4 });
    const destinations = peers.split('&').map((peer) => peer.trim()).filter((peer) => peer !== '');
    if (destinations.length === 0) {
      session.log('warning', 'Dial requires an argument (technology/resource)');
      await session.setVariable('DIALSTATUS', 'INVALIDARGS');
      return 'hangup';
    }
    for (const destination of destinations) {
      const slash = destination.indexOf('/');
      if (slash <= 0 || slash === destination.length - 1) {
        session.log('warning', 'Dial argument takes format (technology/resource)');
        await session.setVariable('DIALSTATUS', 'INVALIDARGS');
        return 'hangup';
      }
    }
    const options = parseOptions(optionText);
    await warnUnsupported(session, options);
    const caller = session.channel;
    if (caller.isHungUp) return 'hangup';
    const timeouts = parseTimeouts(session, timeoutText);
    const callerPredial = options.get('B');
    if (callerPredial) await runLegSubroutine(session, caller, callerPredial, 'predial');

    const attempt = new DialAttempt(session, options);
    for (const [index, destination] of destinations.entries()) await attempt.start(destination, index === destinations.length - 1);

    if (attempt.legs.length === 0) {
      await session.setVariable('DIALSTATUS', statusFromOutcomes(attempt.outcomes()) === 'NOANSWER' ? 'CHANUNAVAIL' : statusFromOutcomes(attempt.outcomes()));
      await setTimeVariables(session, attempt.times, Date.now());
      return 'continue';
    }
    // Entertain the caller while ringing: m = music on hold, r = forced ringing (or a tone).
    if (options.has('m')) {
      caller.media.startMusicOnHold?.(options.get('m') || 'default');
      void caller.indicate('progress');
    } else if (options.has('r')) {
      const tone = options.get('r');
      if (tone) caller.media.playTones(tone);
      void caller.indicate('ringing');
    }

    let status = 'NOANSWER';
    let callerGone = false;
    for (;;) {
      if (attempt.winner) break;
      if (caller.isHungUp) {
        callerGone = true;
        status = 'CANCEL';
        break;
      }
      if (attempt.stillRinging.length === 0) {
        status = statusFromOutcomes(attempt.outcomes());
        break;
      }
      const now = Date.now();
      const answerLeft = timeouts.answerMs === undefined ? Infinity : attempt.times.start + timeouts.answerMs - now;
      const progressLeft =
        timeouts.progressMs === undefined || attempt.times.progress !== undefined || attempt.times.ring !== undefined ? Infinity : attempt.times.start + timeouts.progressMs - now;
      if (answerLeft <= 0) {
        status = 'NOANSWER';
        break;
      }
      if (progressLeft <= 0) {
        status = 'CHANUNAVAIL';
        break;
      }
      await attempt.waitForChange(Math.min(answerLeft, progressLeft, 3_600_000));
    }
    if (options.has('m')) caller.media.stopMusicOnHold?.();
    else if (options.get('r')) caller.media.stopTones();

    const winner = attempt.winner;
    attempt.hangUpOthers(winner, cancelCauseFor(session, options, winner !== undefined, callerGone));
    if (attempt.forwarderName) await session.setVariable('FORWARDERNAME', attempt.forwarderName);
    if (!winner) {
      await session.setVariable('DIALSTATUS', status);
      await setTimeVariables(session, attempt.times, Date.now());
      return callerGone ? 'hangup' : 'continue';
    }

    const callee = winner.channel;
    await session.setVariable('DIALSTATUS', 'ANSWER');
    await session.setVariable('DIALEDPEERNAME', callee.name);
    await session.setVariable('DIALEDPEERNUMBER', winner.number);
    if (options.has('a') && caller.state !== 'up') await caller.answer();

    const routine = options.get('U') ?? options.get('M');
    if (routine) {
      const result = await runLegSubroutine(session, callee, routine, options.has('U') ? 'gosub' : 'macro');
      const decided = await applySubroutineResult(session, attempt, winner, result);
      if (decided) {
        await setTimeVariables(session, attempt.times, Date.now());
        return decided;
      }
    }
    const announce = options.get('A');
    if (announce) {
      const [toCallee = '', toCaller = ''] = announce.split(':');
      if (toCallee) await callee.media.play([toCallee]);
      if (toCaller) await caller.media.play([toCaller]);
    }
    if (caller.isHungUp || callee.isHungUp) {
      if (!callee.isHungUp) callee.hangup();
      await setTimeVariables(session, attempt.times, Date.now());
      return caller.isHungUp || !options.has('g') ? 'hangup' : 'continue';
    }
    if (caller.state !== 'up') await caller.answer();
    const digits = options.get('D');
    if (digits) {
      const [toCalled = '', toCalling = ''] = digits.split(':');
      if (toCalled) await callee.media.sendDigits(toCalled, 100);
      if (toCalling) await caller.media.sendDigits(toCalling, 100);
    }
    const bridgeOptions: { limitMs?: number; hangupAfterMs?: number; dtmfFeatures?: boolean } = {};
    if ([...'tThHkKwWxX'].some((flag) => options.has(flag))) bridgeOptions.dtmfFeatures = true;
    const limit = options.get('L');
    if (limit) {
      const [limitMs = '', warnMs] = limit.split(':');
      const value = Number.parseInt(limitMs, 10);
      if (value > 0) bridgeOptions.limitMs = value;
      if (warnMs) session.log('warning', 'Dial L(): the warning announcements are not played by Tandem; only the limit applies');
    }
    const hangupAfter = Number.parseFloat(options.get('S') ?? '');
    if (hangupAfter > 0) bridgeOptions.hangupAfterMs = hangupAfter * 1000;
    const end = await session.host.bridge(caller, callee, bridgeOptions as BridgeOptions);
    await setTimeVariables(session, attempt.times, Date.now());

    if (end.endedBy === 'caller' && options.has('F') && !callee.isHungUp) {
      // F: the callee continues in the dialplan after the caller hangs up.
      const where = options.get('F');
      const location = where ? parseCaretLocation(where) : undefined;
      const start = location
        ? { context: location.context ?? session.context, exten: location.exten ?? session.exten, priority: Number.parseInt(location.priority, 10) || 1 }
        : { context: session.context, exten: session.exten, priority: session.priority + 1 };
      void session.engine.run(callee, start);
    } else if (!callee.isHungUp) {
      callee.hangup();
    }
    if (options.has('g') && !caller.isHungUp) return 'continue';
    return 'hangup';
  },
};

/** The Dial application. */
export const dialApplications: readonly DialplanApplication[] = [dial];
