/**
 * Dialplan functions (Asterisk 20, main/pbx_functions.c): `${FUNC(args)}` reads and
 * `Set(FUNC(args)=value)` writes; the host registers technology-specific ones.
 */
import { DialplanError } from '../dialplan-error.js';
import type { MaybePromise } from '../internal/steps.js';
import type { DialplanSession } from './dialplan-session.js';

/** A dialplan function. `args` is the substituted text between its parentheses. */
export interface DialplanFunction {
  readonly name: string;
  /** One line for `core show functions`. */
  readonly synopsis: string;
  /** `LEN(string)`. */
  readonly syntax: string;
  readonly description?: string;
  /** Returns the value; may be async (ENUMLOOKUP). Throw a DialplanError to report misuse. */
  read?(session: DialplanSession, args: string): MaybePromise<string>;
  write?(session: DialplanSession, args: string, value: string): MaybePromise<void>;
}

/** Splits `NAME(args)` (ast_func_read(): args end at the last `)`). */
export function parseFunctionCall(call: string): { name: string; args: string; closed: boolean } {
  const open = call.indexOf('(');
  if (open < 0) return { name: call, args: '', closed: true };
  const close = call.lastIndexOf(')');
  if (close < open) return { name: call.slice(0, open), args: call.slice(open + 1), closed: false };
  return { name: call.slice(0, open), args: call.slice(open + 1, close), closed: true };
}

/** Functions by name (case-sensitive, as ast_custom_function_find()). */
export class FunctionRegistry {
  private readonly functions = new Map<string, DialplanFunction>();

  /** Adds a function; `replace` allows overriding a built-in one. */
  register(fn: DialplanFunction, options: { replace?: boolean } = {}): void {
    if (this.functions.has(fn.name) && !options.replace) {
      throw new DialplanError('invalid-argument', `Function '${fn.name}' is already registered`);
    }
    this.functions.set(fn.name, fn);
  }

  unregister(name: string): boolean {
    return this.functions.delete(name);
  }

  get(name: string): DialplanFunction | undefined {
    return this.functions.get(name);
  }

  /** Every function, sorted by name, as `core show functions` lists them. */
  list(): DialplanFunction[] {
    return [...this.functions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
