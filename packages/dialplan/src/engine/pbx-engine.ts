/**
 * The PBX loop (Asterisk 20, main/pbx.c `__ast_pbx_run()`): runs priorities on a channel,
 * applies the return-value rules, handles `i`, `t`, `T`, `e`, digit collection, running off
 * the end (autofallthrough) and finally the `h` extension.
 */
import type { DialplanChannel } from '../channel.js';
import type { Dialplan } from '../compile/dialplan.js';
import type { DialplanPriority } from '../compile/dialplan-types.js';
import type { PbxHost } from '../host.js';
import { MapVariables } from '../variables/channel-variables.js';
import { createApplicationRegistry } from '../applications/builtin-applications.js';
import { createFunctionRegistry } from '../functions/builtin-functions.js';
import type { ApplicationRegistry, ApplicationResult } from './application-registry.js';
import { DialplanSession, type DialplanLocation, type StackFrame } from './dialplan-session.js';
import type { FunctionRegistry } from './function-registry.js';
import { hangupHandlers } from './hangup-handlers.js';
import { indicateAndWait } from './indicate-and-wait.js';
import { parseSubroutineLocation } from './subroutine-location.js';

/** Options of a `PbxEngine`. */
export interface PbxEngineOptions {
  readonly dialplan: Dialplan;
  readonly host: PbxHost;
  /** Default: every built-in application (`createApplicationRegistry()`). */
  readonly applications?: ApplicationRegistry;
  /** Default: every built-in function (`createFunctionRegistry()`). */
  readonly functions?: FunctionRegistry;
  /** ${SYSTEMNAME} (asterisk.conf systemname); unset by default. */
  readonly systemName?: string;
  /** ${ENTITYID}. */
  readonly entityId?: string;
  /**
   * How the engine waits (Wait(), Busy(), ringing timeouts): resolves after `ms` or when
   * `signal` aborts. Tests may inject a faster clock.
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How long Answer() waits for media after answering (Asterisk: about 500 ms, reference §10.9). */
  readonly answerSettleMs?: number;
  /**
   * Called before each step runs, with the substituted application data (for `core show
   * channels` / `core show channel`: the current application and its data).
   */
  readonly onStep?: (session: DialplanSession, step: DialplanPriority, data: string) => void;
}

/** Where and why a run ended. */
export interface PbxRunResult {
  readonly location: DialplanLocation;
  /** The channel's hangup cause when the PBX left it. */
  readonly hangupCause: number;
}

/** Options of `PbxEngine.run`. */
export interface PbxRunOptions {
  /** Leave the channel up and skip `h` (ast_pbx_run_args no_hangup_chan). */
  readonly noHangup?: boolean;
}

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** What running one step gave: nothing found there, or the application's result. */
export type StepOutcome = { readonly found: false } | { readonly found: true; readonly result: ApplicationResult };

/** Runs the dialplan on channels. One engine serves every call; swap `dialplan` on reload. */
export class PbxEngine {
  /** The dialplan new steps are looked up in (a reload replaces it; running calls follow). */
  dialplan: Dialplan;
  readonly host: PbxHost;
  readonly applications: ApplicationRegistry;
  readonly functions: FunctionRegistry;
  /** Global variables: `[globals]`, then Set(GLOBAL(x)=...). */
  readonly globals = new MapVariables();
  readonly systemName: string | undefined;
  readonly entityId: string;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly answerSettleMs: number;
  private readonly onStep: PbxEngineOptions['onStep'];

  constructor(options: PbxEngineOptions) {
    this.dialplan = options.dialplan;
    this.host = options.host;
    this.applications = options.applications ?? createApplicationRegistry();
    this.functions = options.functions ?? createFunctionRegistry();
    this.systemName = options.systemName;
    this.entityId = options.entityId ?? '00:00:00:00:00:00';
    this.sleep = options.sleep ?? realSleep;
    this.answerSettleMs = options.answerSettleMs ?? 500;
    this.onStep = options.onStep;
    this.loadGlobals(options.dialplan, true);
  }

  /**
   * Replaces the dialplan (`dialplan reload`): globals from the new `[globals]` are set;
   * with `clearglobalvars=yes` the old ones are dropped first.
   */
  reload(dialplan: Dialplan): void {
    this.dialplan = dialplan;
    this.loadGlobals(dialplan, dialplan.general.clearglobalvars);
  }

  private loadGlobals(dialplan: Dialplan, clear: boolean): void {
    if (clear) for (const [name] of [...this.globals.entries()]) this.globals.delete(name);
    for (const [name, value] of dialplan.globals) this.globals.set(name, value);
  }

  /** Creates the session a channel runs with (also used by hosts that evaluate text on a channel). */
  createSession(channel: DialplanChannel, location: DialplanLocation): DialplanSession {
    return new DialplanSession(this, channel, location);
  }

  /**
   * Runs the dialplan on `channel` from `start` until the call ends, then runs `h` and hangs
   * the channel up (unless `noHangup`).
   */
  async run(channel: DialplanChannel, start: { context: string; exten?: string; priority?: number }, options: PbxRunOptions = {}): Promise<PbxRunResult> {
    const session = this.createSession(channel, {
      context: start.context,
      exten: start.exten === undefined || start.exten === '' ? 's' : start.exten,
      priority: start.priority ?? 1,
    });
    try {
      await this.runLoop(session);
      if (!options.noHangup) {
        // __ast_pbx_run(): `h`, then the hangup handlers, then ast_hangup() (the channel
        // driver's final signalling, with the cause the channel has by then).
        if (session.exists(session.context, 'h', 1)) await this.runHangupExtension(session);
        await this.runHangupHandlers(session);
        if (!channel.isHungUp) channel.hangup();
      }
    } finally {
      session.dispose();
    }
    return { location: session.location, hangupCause: channel.hangupCause };
  }

  /**
   * Runs a subroutine on a channel that is not in the PBX (Dial's `U()` on the callee):
   * starts at `target` with ARG1..n and returns when its Return() pops the frame, giving
   * GOSUB_RETVAL.
   */
  async runSubroutine(channel: DialplanChannel, target: DialplanLocation, args: readonly string[]): Promise<string> {
    const session = this.createSession(channel, target);
    try {
      this.pushFrame(session, target, args, { endsRun: true, kind: 'gosub' });
      await this.runLoop(session, { stopWhen: () => session.stack.length === 0 });
    } finally {
      session.dispose();
    }
    return session.getVariable('GOSUB_RETVAL') ?? '';
  }

  /**
   * Pushes a Gosub frame: the return address is `session`'s next priority; ARG1..n and ARGC
   * become frame-local variables.
   */
  pushFrame(session: DialplanSession, target: DialplanLocation, args: readonly string[], frame: Pick<StackFrame, 'endsRun' | 'kind'>): void {
    const saved = new Map<string, string | undefined>();
    const entry: StackFrame = {
      returnTo: { context: session.context, exten: session.exten, priority: session.priority + 1 },
      savedLocals: saved,
      argumentCount: args.length,
      ...frame,
    };
    const previousArgs = session.stack.at(-1)?.argumentCount ?? 0;
    session.stack.push(entry);
    const setLocal = (name: string, value: string | undefined): void => {
      if (!saved.has(name)) saved.set(name, session.channel.variables.get(name));
      if (value === undefined) session.channel.variables.delete(name);
      else session.channel.variables.set(name, value);
    };
    // app_stack.c: arguments beyond this call's count are set empty, not removed.
    for (let i = 0; i < Math.max(args.length, previousArgs); i++) setLocal(`ARG${i + 1}`, args[i] ?? '');
    setLocal('ARGC', String(args.length));
    session.goto(target);
  }

  /** Pops the top frame, restoring its local variables; returns it. */
  popFrame(session: DialplanSession): StackFrame | undefined {
    const frame = session.stack.pop();
    if (!frame) return undefined;
    for (const [name, value] of frame.savedLocals) {
      if (value === undefined) session.channel.variables.delete(name);
      else session.channel.variables.set(name, value);
    }
    return frame;
  }

  /** Runs the step at the session's location (ast_spawn_extension()). */
  async runStep(session: DialplanSession): Promise<StepOutcome> {
    const found = this.dialplan.find(session.context, session.exten, session.priority, {
      callerId: session.callerNumber,
      now: this.host.now(),
    });
    const step = found?.step;
    if (!step) return { found: false };
    const application = this.applications.get(step.application);
    if (!application) {
      session.log('warning', `No application '${step.application}' for extension (${session.context}, ${session.exten}, ${session.priority})`);
      return { found: true, result: 'hangup' };
    }
    const data = await session.substitute(step.data);
    this.onStep?.(session, step, data);
    session.log('verbose', `Executing [${session.exten}@${session.context}:${session.priority}] ${application.name}("${session.channel.name}", "${data}") in new stack`);
    try {
      return { found: true, result: await application.execute(session, data) };
    } catch (error) {
      session.log('error', `${application.name}: ${(error as Error).message}`);
      return { found: true, result: 'hangup' };
    }
  }

  /** Runs priorities until an application stops, one is missing, or the channel hangs up. */
  private async runPriorities(session: DialplanSession, stopWhen?: () => boolean): Promise<StepOutcome & { hungUp: boolean }> {
    for (;;) {
      session.jumped = false;
      const outcome = await this.runStep(session);
      if (!outcome.found || outcome.result !== 'continue') return { ...outcome, hungUp: false };
      if (stopWhen?.()) return { ...outcome, hungUp: false };
      if (session.channel.isHungUp || session.absoluteTimeoutExpired) return { ...outcome, hungUp: true };
      if (!session.jumped) session.priority++;
    }
  }

  /** ast_exists_extension() for the session's own context. */
  private existsHere(session: DialplanSession, exten: string): boolean {
    return session.exists(session.context, exten, 1);
  }

  private setExtension(session: DialplanSession, exten: string): void {
    session.exten = exten;
    session.priority = 1;
  }

  /** raise_exception(): records EXCEPTION() and moves to `e`. */
  raiseException(session: DialplanSession, reason: string): void {
    session.exception = { reason, location: session.location };
    this.setExtension(session, 'e');
  }

  /** The T / e handling of an expired absolute timeout; false when neither exists. */
  private handleAbsoluteTimeout(session: DialplanSession): boolean {
    if (this.existsHere(session, 'T')) {
      this.setExtension(session, 'T');
      session.clearAbsoluteTimeout();
      return true;
    }
    if (this.existsHere(session, 'e')) {
      this.raiseException(session, 'ABSOLUTETIMEOUT');
      session.clearAbsoluteTimeout();
      return true;
    }
    return false;
  }

  /** collect_digits(): reads digits while some extension could still match more. */
  private async collectDigits(session: DialplanSession, initialWaitMs: number, digits: string): Promise<string | undefined> {
    let waitMs = initialWaitMs;
    let collected = digits;
    while (this.dialplan.matchMore(session.context, collected, { callerId: session.callerNumber, now: this.host.now() })) {
      const digit = await session.waitForDigit(waitMs);
      if (digit === undefined) {
        if (session.channel.isHungUp) return undefined;
        break;
      }
      collected += digit;
      waitMs = session.digitTimeoutMs;
    }
    return collected;
  }

  /** The body of __ast_pbx_run(). */
  private async runLoop(session: DialplanSession, options: { stopWhen?: () => boolean } = {}): Promise<void> {
    const general = (): Dialplan['general'] => this.dialplan.general;
    for (;;) {
      let digits = '';
      let invalid = false;
      let timeout = false;
      let incomplete = false;
      const outcome = await this.runPriorities(session, options.stopWhen);
      if (options.stopWhen?.()) return;
      if (options.stopWhen && !outcome.found) {
        // A subroutine that runs off its end ends without Return (app_stack.c gosub_run()).
        session.log('warning', `${session.channel.name} Abnormal 'Gosub' exit.  Popping routine return locations.`);
        while (this.popFrame(session)) {
          // unwind every frame pushed by the subroutine
        }
        return;
      }
      if (outcome.found && outcome.hungUp) {
        if (session.absoluteTimeoutExpired && !session.channel.isHungUp && this.handleAbsoluteTimeout(session)) continue;
        return;
      }
      if (outcome.found) {
        const result = outcome.result;
        if (typeof result === 'object') {
          digits = result.digit;
        } else if (result === 'incomplete') {
          incomplete = true;
          if (!this.dialplan.matchMore(session.context, session.exten, { callerId: session.callerNumber, now: this.host.now() })) invalid = true;
          else digits = session.exten;
        } else {
          if (result === 'error' && this.existsHere(session, 'e')) {
            if (session.exten === 'e') return;
            this.raiseException(session, 'ERROR');
            continue;
          }
          if (session.absoluteTimeoutExpired && !session.channel.isHungUp && this.handleAbsoluteTimeout(session)) continue;
          return;
        }
      }
      if (invalid || (digits === '' && !this.existsHere(session, session.exten))) {
        if (this.existsHere(session, 'i')) {
          await session.setVariable('INVALID_EXTEN', session.exten);
          this.setExtension(session, 'i');
        } else if (this.existsHere(session, 'e')) {
          this.raiseException(session, 'INVALID');
        } else {
          session.log('warning', `Channel '${session.channel.name}' sent to invalid extension but no invalid handler: context,exten,priority=${session.context},${session.exten},${session.priority}`);
          return;
        }
        continue;
      }
      if (session.absoluteTimeoutExpired) {
        if (this.handleAbsoluteTimeout(session)) continue;
        return;
      }
      // Ran off the end, or a digit arrived: wait for (more) digits, or fall through.
      const waitMs = digits !== '' ? session.digitTimeoutMs : general().autofallthrough ? 0 : session.responseTimeoutMs;
      if (waitMs === 0) {
        const status = (session.getVariable('DIALSTATUS') ?? 'UNKNOWN').toUpperCase();
        if (status === 'CONGESTION' || status === 'CHANUNAVAIL') await indicateAndWait(session, 'congestion', 10);
        else if (status === 'BUSY') await indicateAndWait(session, 'busy', 10);
        return;
      }
      const start = digits.length;
      const collected = await this.collectDigits(session, waitMs, digits);
      if (collected === undefined) return;
      if (incomplete && collected.length === start) timeout = true;
      if (!timeout && collected !== '' && this.existsHere(session, collected)) {
        this.setExtension(session, collected);
      } else if (!timeout && collected !== '') {
        if (this.existsHere(session, 'i')) {
          await session.setVariable('INVALID_EXTEN', collected);
          this.setExtension(session, 'i');
        } else if (this.existsHere(session, 'e')) {
          this.raiseException(session, 'INVALID');
        } else {
          session.log('warning', `Invalid extension '${collected}', but no rule 'i' or 'e' in context '${session.context}'`);
          return;
        }
      } else if (this.existsHere(session, 't')) {
        this.setExtension(session, 't');
      } else if (this.existsHere(session, 'e')) {
        this.raiseException(session, 'RESPONSETIMEOUT');
      } else {
        session.log('warning', `Timeout, but no rule 't' or 'e' in context '${session.context}'`);
        return;
      }
    }
  }

  /** ast_pbx_hangup_handler_run(): each pushed handler as a Gosub, last pushed first. */
  private async runHangupHandlers(session: DialplanSession): Promise<void> {
    const stack = hangupHandlers(session.channel);
    for (let handler = stack.pop(); handler !== undefined; handler = stack.pop()) {
      const { target, args } = parseSubroutineLocation(session, handler);
      await this.runSubroutine(session.channel, target, args);
    }
  }

  /** ast_pbx_h_exten_run(): `h` from priority 1 while applications return 0. */
  private async runHangupExtension(session: DialplanSession): Promise<void> {
    this.setExtension(session, 'h');
    for (;;) {
      session.jumped = false;
      const outcome = await this.runStep(session);
      if (!outcome.found || outcome.result !== 'continue') return;
      if (!session.jumped) session.priority++;
    }
  }
}
