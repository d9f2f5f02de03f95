/**
 * The compiled form of extensions.conf: contexts of extensions of priorities, as
 * `dialplan show` lists them.
 */
import type { TimeSpec } from './time-spec.js';

/** The priority number Asterisk gives a `hint` line (PRIORITY_HINT). */
export const HINT_PRIORITY = -1;

/** One `exten => ext,prio(label),App(data)` step. */
export interface DialplanPriority {
  readonly priority: number;
  readonly label: string | undefined;
  /** The application name as written (`Answer`, `GotoIf`). */
  readonly application: string;
  /** The text between the first `(` and the last `)`, unsubstituted. */
  readonly data: string;
  readonly file: string;
  readonly line: number;
}

/** An extension: its name (literal or `_pattern`), optional CID pattern and its priorities. */
export interface DialplanExtension {
  readonly name: string;
  /** `exten => 100/_555X.,...`: the caller number pattern (shrunk); undefined = any caller. */
  readonly callerIdPattern: string | undefined;
  /** Priorities in ascending order (without the hint). */
  readonly priorities: readonly DialplanPriority[];
  /** `exten => 100,hint,SIP/100&SIP/101`: the device list. */
  readonly hint: DialplanPriority | undefined;
  /** The priority of each label. */
  readonly labels: ReadonlyMap<string, number>;
}

/** `include => ctx[,times,weekdays,mdays,months[,tz]]`. */
export interface DialplanInclude {
  readonly context: string;
  /** The whole value as written (after globals substitution), as `dialplan show` prints it. */
  readonly text: string;
  readonly timeSpec: TimeSpec | undefined;
  readonly file: string;
  readonly line: number;
}

/** `switch =>` / `lswitch =>` / `eswitch =>`: kept for `dialplan show`; Tandem has no switch modules. */
export interface DialplanSwitch {
  readonly module: string;
  readonly data: string;
  readonly evaluateAtRuntime: boolean;
}

/** A context after merging every category of that name. */
export interface DialplanContext {
  readonly name: string;
  /** In Asterisk's match order (literals, then patterns from most specific; CID first). */
  readonly extensions: readonly DialplanExtension[];
  readonly includes: readonly DialplanInclude[];
  readonly ignorePatterns: readonly string[];
  readonly switches: readonly DialplanSwitch[];
}
