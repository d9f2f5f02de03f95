/**
 * One channel running the dialplan: where it is (context, extension, priority), its Gosub
 * stack, its timeouts, and how it reads and writes variables and functions (Asterisk 20,
 * main/pbx.c `struct ast_pbx`, main/pbx_variables.c).
 */
import type { DialplanChannel } from '../channel.js';
import type { Dialplan, PriorityTarget } from '../compile/dialplan.js';
import type { DialplanLogLevel, PbxHost } from '../host.js';
import { runSteps, type MaybePromise } from '../internal/steps.js';
import { readVariable, writeVariable, type VariableStore } from '../variables/channel-variables.js';
import { substituteSteps, type SubstitutionResolver } from '../variables/substitute.js';
import { DialplanError } from '../dialplan-error.js';
import { parseFunctionCall } from './function-registry.js';
import type { PbxEngine } from './pbx-engine.js';

/** A place in the dialplan. */
export interface DialplanLocation {
  readonly context: string;
  readonly exten: string;
  readonly priority: number;
}

/** A Gosub (or Macro) frame (app_stack.c `struct gosub_stack_frame`). */
export interface StackFrame {
  /** Where Return() continues. */
  readonly returnTo: DialplanLocation;
  /** Variables made LOCAL() in this frame, with the value each had before (undefined = unset). */
  readonly savedLocals: Map<string, string | undefined>;
  readonly argumentCount: number;
  /** Set by `PbxEngine.runSubroutine()`: returning from this frame ends that run. */
  readonly endsRun: boolean;
  /** Macro() frames keep MACRO_* bookkeeping; Gosub frames are plain. */
  readonly kind: 'gosub' | 'macro';
}

/** How a wait ended. */
export type WaitOutcome = 'done' | 'hangup' | 'timeout';

/** ast_party_id_presentation() numbers for CALLINGPRES. */
const PRESENTATION_NUMBERS: Readonly<Record<string, number>> = {
  allowed_not_screened: 0,
  allowed_passed_screen: 1,
  allowed_failed_screen: 2,
  allowed: 3,
  prohib_not_screened: 32,
  prohib_passed_screen: 33,
  prohib_failed_screen: 34,
  prohib: 35,
  unavailable: 67,
};

/** The execution state of one channel; applications and functions receive it. */
export class DialplanSession {
  context: string;
  exten: string;
  priority: number;
  /** Set by a goto: the loop runs `priority` next instead of `priority + 1`. */
  jumped = false;
  readonly stack: StackFrame[] = [];
  /** TIMEOUT(digit), TIMEOUT(response) in ms (struct ast_pbx dtimeoutms / rtimeoutms). */
  digitTimeoutMs = 5000;
  responseTimeoutMs = 10000;
  /** TIMEOUT(absolute): when it fires, `absoluteTimeoutExpired` becomes true and waits end. */
  absoluteTimeoutAt: number | undefined;
  absoluteTimeoutExpired = false;
  /** EXCEPTION(reason|context|exten|priority) of the last exception. */
  exception: { readonly reason: string; readonly location: DialplanLocation } | undefined;
  /** Hangup handlers and nested runs share this: aborting it ends every wait. */
  private interrupt = new AbortController();
  private absoluteTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly resolver: SubstitutionResolver;

  constructor(
    readonly engine: PbxEngine,
    readonly channel: DialplanChannel,
    location: DialplanLocation,
  ) {
    this.context = location.context;
    this.exten = location.exten;
    this.priority = location.priority;
    this.resolver = {
      variable: (name) => this.getVariable(name),
      readFunction: (call) => this.readFunction(call),
      callFunction: (name, args) => this.readFunction(`${name}(${args})`),
      warn: (message) => this.log('warning', message),
    };
  }

  get host(): PbxHost {
    return this.engine.host;
  }

  get dialplan(): Dialplan {
    return this.engine.dialplan;
  }

  /** The current location. */
  get location(): DialplanLocation {
    return { context: this.context, exten: this.exten, priority: this.priority };
  }

  /** The caller number used for CID matching. */
  get callerNumber(): string {
    return this.channel.callerId.number;
  }

  /** Substitutes `${...}` and `$[...]` in `text` for this channel. */
  substitute(text: string): Promise<string> {
    if (!text.includes('$')) return Promise.resolve(text);
    return runSteps(substituteSteps(text, this.resolver));
  }

  /** Variables for reads and writes through the channel (LOCAL() values live there too). */
  get variables(): VariableStore {
    return this.channel.variables;
  }

  /** Reads a variable: built-ins, then the channel's variables, then globals. */
  getVariable(name: string): string | undefined {
    const builtIn = this.builtInVariable(name);
    if (builtIn !== undefined) return builtIn;
    return readVariable(this.channel.variables, name) ?? readVariable(this.engine.globals, name);
  }

  private builtInVariable(name: string): string | undefined {
    switch (name) {
      case 'EXTEN':
        return this.exten;
      case 'CONTEXT':
        return this.context;
      case 'PRIORITY':
        return String(this.priority);
      case 'CHANNEL':
        return this.channel.name;
      case 'UNIQUEID':
        return this.channel.uniqueId;
      case 'HANGUPCAUSE':
        return String(this.channel.hangupCause);
      case 'CALLINGPRES':
        return String(PRESENTATION_NUMBERS[this.channel.callerId.presentation] ?? 0);
      case 'CALLINGANI2':
      case 'CALLINGTON':
      case 'CALLINGTNS':
        return '0';
      case 'HINT':
      case 'HINTNAME': {
        const hint = this.dialplan.hint(this.context, this.exten, { callerId: this.callerNumber, now: this.host.now() });
        if (!hint?.extension.hint) return undefined;
        const [devices = '', hintName = ''] = hint.extension.hint.application.split(',', 2);
        return name === 'HINT' ? devices : hintName;
      }
      case 'EPOCH':
        return String(Math.floor(this.host.now().getTime() / 1000));
      case 'SYSTEMNAME':
        return this.engine.systemName;
      case 'ENTITYID':
        return this.engine.entityId;
      default:
        return undefined;
    }
  }

  /**
   * pbx_builtin_setvar_helper(): a name ending in `)` writes a function; otherwise sets the
   * channel variable (undefined deletes it).
   */
  async setVariable(name: string, value: string | undefined): Promise<void> {
    if (name.endsWith(')')) {
      await this.writeFunction(name, value ?? '');
      return;
    }
    writeVariable(this.channel.variables, name, value);
  }

  /** Reads `NAME(args)`; undefined (with a warning) when it does not exist or fails. */
  readFunction(call: string): MaybePromise<string> | undefined {
    const { name, args, closed } = parseFunctionCall(call);
    if (!closed) this.log('warning', `Function '${name}' missing closing parenthesis; assuming it`);
    const fn = this.engine.functions.get(name);
    if (!fn) {
      this.log('error', `Function ${name} not registered`);
      return undefined;
    }
    if (!fn.read) {
      this.log('error', `Function ${name} cannot be read`);
      return undefined;
    }
    try {
      const result = fn.read(this, args);
      if (typeof result === 'string') return result;
      return result.catch((error: unknown) => {
        this.log('warning', `${name}(): ${(error as Error).message}`);
        return '';
      });
    } catch (error) {
      this.log('warning', `${name}(): ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Writes `NAME(args)` = value (ast_func_write()). */
  async writeFunction(call: string, value: string): Promise<void> {
    const { name, args } = parseFunctionCall(call);
    const fn = this.engine.functions.get(name);
    if (!fn) {
      this.log('error', `Function ${name} not registered`);
      return;
    }
    if (!fn.write) {
      this.log('error', `Function ${name} cannot be written to`);
      return;
    }
    try {
      await fn.write(this, args, value);
    } catch (error) {
      if (!(error instanceof DialplanError)) throw error;
      this.log('warning', `${name}(): ${error.message}`);
    }
  }

  /** Moves to a location; the PBX loop runs it next (ast_explicit_goto()). */
  goto(location: Partial<DialplanLocation>): void {
    if (location.context) this.context = location.context;
    if (location.exten) this.exten = location.exten;
    if (location.priority !== undefined) this.priority = location.priority;
    this.jumped = true;
  }

  /** The priority of `label` in an extension (ast_findlabel_extension()), or undefined. */
  findLabel(context: string, exten: string, label: string): number | undefined {
    const found = this.dialplan.find(context, exten, label, { callerId: this.callerNumber, now: this.host.now() });
    return found?.step?.priority;
  }

  /** Whether an extension exists at a priority or label (ast_exists_extension()). */
  exists(context: string, exten: string, target: PriorityTarget = 1): boolean {
    return this.dialplan.exists(context, exten, target, { callerId: this.callerNumber, now: this.host.now() });
  }

  /**
   * `[[context,]exten,]priority` where priority is a number, `+N`/`-N` or a label
   * (ast_parseable_goto()); returns false (with a warning) when it cannot be parsed.
   */
  gotoTarget(target: string): boolean {
    const parts = target.split(',');
    let context: string | undefined;
    let exten: string | undefined;
    let priorityText: string;
    if (parts.length === 1) priorityText = parts[0] as string;
    else if (parts.length === 2) [exten, priorityText] = parts as [string, string];
    else [context, exten, priorityText] = parts as [string, string, string];
    let mode = 0;
    if (priorityText.startsWith('+')) {
      mode = 1;
      priorityText = priorityText.slice(1);
    } else if (priorityText.startsWith('-')) {
      mode = -1;
      priorityText = priorityText.slice(1);
    }
    const numeric = /^\s*([+-]?\d+)/.exec(priorityText);
    let priority: number;
    if (numeric) {
      priority = Number(numeric[1]);
    } else {
      const labelled = this.findLabel(context || this.context, exten || this.exten, priorityText);
      if (labelled === undefined || labelled < 1) {
        this.log('warning', `Priority '${priorityText}' must be a number > 0, or valid label`);
        return false;
      }
      priority = labelled;
      mode = 0;
    }
    if (mode !== 0) priority = this.priority + priority * mode;
    this.goto({ ...(context ? { context } : {}), ...(exten ? { exten } : {}), priority });
    return true;
  }

  /** Logs through the host, tagged with this channel. */
  log(level: DialplanLogLevel, message: string): void {
    this.host.log(level, message, this.channel);
  }

  /** An AbortSignal that fires when the channel hangs up or the absolute timeout expires. */
  get signal(): AbortSignal {
    return this.interrupt.signal;
  }

  /** Waits `ms` (or until hangup / absolute timeout). */
  async sleep(ms: number): Promise<WaitOutcome> {
    if (this.channel.isHungUp) return 'hangup';
    if (this.absoluteTimeoutExpired) return 'timeout';
    const controller = new AbortController();
    const unsubscribe = this.channel.onHangup(() => controller.abort());
    const onInterrupt = (): void => controller.abort();
    this.interrupt.signal.addEventListener('abort', onInterrupt);
    try {
      await this.engine.sleep(ms, controller.signal);
    } finally {
      unsubscribe();
      this.interrupt.signal.removeEventListener('abort', onInterrupt);
    }
    if (this.channel.isHungUp) return 'hangup';
    if (this.absoluteTimeoutExpired) return 'timeout';
    return 'done';
  }

  /** Waits for one digit for up to `ms` (ast_waitfordigit()); undefined on timeout or hangup. */
  async waitForDigit(ms: number): Promise<string | undefined> {
    if (this.channel.isHungUp || this.absoluteTimeoutExpired) return undefined;
    return this.channel.media.readDigit(ms);
  }

  /** TIMEOUT(absolute)=seconds: 0 clears it (ast_channel_setwhentohangup_tv()). */
  setAbsoluteTimeout(seconds: number): void {
    if (this.absoluteTimer) clearTimeout(this.absoluteTimer);
    this.absoluteTimer = undefined;
    this.absoluteTimeoutExpired = false;
    if (this.interrupt.signal.aborted) this.interrupt = new AbortController();
    if (!(seconds > 0)) {
      this.absoluteTimeoutAt = undefined;
      return;
    }
    this.absoluteTimeoutAt = this.host.now().getTime() + seconds * 1000;
    this.absoluteTimer = setTimeout(() => {
      this.absoluteTimeoutExpired = true;
      this.interrupt.abort();
    }, seconds * 1000);
    this.absoluteTimer.unref?.();
  }

  /** Clears the absolute timeout after `T` took over (so it does not fire again). */
  clearAbsoluteTimeout(): void {
    this.setAbsoluteTimeout(0);
  }

  /** Releases timers; called when the PBX leaves the channel. */
  dispose(): void {
    if (this.absoluteTimer) clearTimeout(this.absoluteTimer);
    this.absoluteTimer = undefined;
  }
}
