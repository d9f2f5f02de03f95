/**
 * Macro() / MacroExit() (Asterisk 20, apps/app_macro.c, deprecated there): runs the context
 * `macro-<name>` from `s` with ARG1..n and MACRO_EXTEN/MACRO_CONTEXT/MACRO_PRIORITY set, then
 * continues after the Macro() call unless the macro jumped out of its context.
 */
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import { splitArgs } from '../internal/split-args.js';

const MAX_DEPTH_DEFAULT = 7;
const exiting = new WeakSet<DialplanSession>();

const macro: DialplanApplication = {
  name: 'Macro',
  synopsis: 'Macro Implementation.',
  syntax: 'Macro(name[,arg1[,arg2[,...]]])',
  description: 'Deprecated in Asterisk (use Gosub); runs macro-<name> from s with ARG1..n. MACRO_RECURSION limits nesting (default 7).',
  async execute(session, data): Promise<ApplicationResult> {
    const [name = '', ...args] = splitArgs(data);
    if (name === '') {
      session.log('warning', 'Macro() requires arguments. See "core show application macro" for help.');
      return 'continue';
    }
    const depth = Number.parseInt(session.getVariable('MACRO_DEPTH') ?? '0', 10) || 0;
    const maxDepth = Number.parseInt(session.getVariable('MACRO_RECURSION') ?? '', 10) || MAX_DEPTH_DEFAULT;
    if (depth >= maxDepth) {
      session.log('error', `Macro(): possible infinite loop detected.  Returning early.`);
      return 'continue';
    }
    const context = `macro-${name}`;
    if (!session.dialplan.context(context)) {
      session.log('warning', `No such context '${context}' for macro '${name}'. Was called by ${session.exten}@${session.context}`);
      return 'hangup';
    }
    const origin = session.location;
    const names = ['MACRO_EXTEN', 'MACRO_CONTEXT', 'MACRO_PRIORITY', 'MACRO_OFFSET', 'MACRO_DEPTH'];
    const maxArgs = Math.max(args.length, Number.parseInt(session.getVariable('ARGC') ?? '0', 10) || 0) + 1;
    for (let i = 1; i <= maxArgs; i++) names.push(`ARG${i}`);
    const saved = new Map(names.map((variable) => [variable, session.channel.variables.get(variable)]));
    await session.setVariable('MACRO_EXTEN', origin.exten);
    await session.setVariable('MACRO_CONTEXT', origin.context);
    await session.setVariable('MACRO_PRIORITY', String(origin.priority));
    await session.setVariable('MACRO_DEPTH', String(depth + 1));
    for (let i = 1; i <= maxArgs; i++) await session.setVariable(`ARG${i}`, args[i - 1]);
    session.context = context;
    session.exten = 's';
    session.priority = 1;
    let result: ApplicationResult = 'continue';
    for (;;) {
      session.jumped = false;
      const outcome = await session.engine.runStep(session);
      if (!outcome.found) break;
      if (exiting.has(session)) {
        exiting.delete(session);
        break;
      }
      if (outcome.result !== 'continue') {
        result = outcome.result;
        break;
      }
      if (session.channel.isHungUp) {
        result = 'hangup';
        break;
      }
      if (session.context !== context) break; // a Goto left the macro
      if (!session.jumped) session.priority++;
    }
    const leftMacro = session.context !== context;
    for (const [variable, value] of saved) {
      if (value === undefined) session.channel.variables.delete(variable);
      else session.channel.variables.set(variable, value);
    }
    if (leftMacro) {
      session.jumped = true;
    } else {
      session.goto(origin);
      session.jumped = false;
    }
    return result;
  },
};

const macroExit: DialplanApplication = {
  name: 'MacroExit',
  synopsis: 'Exit from Macro.',
  syntax: 'MacroExit()',
  execute(session) {
    exiting.add(session);
    return 'continue';
  },
};

/** Macro and MacroExit. */
export const macroApplications: readonly DialplanApplication[] = [macro, macroExit];
