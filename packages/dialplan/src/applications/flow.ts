/**
 * Flow control (Asterisk 20, main/pbx_builtins.c Goto/GotoIf/GotoIfTime/ExecIfTime,
 * apps/app_stack.c Gosub/GosubIf/Return/StackPop, apps/app_exec.c Exec/TryExec/ExecIf,
 * apps/app_while.c While/EndWhile/ExitWhile/ContinueWhile).
 */
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import { parseTimeSpec } from '../compile/time-spec.js';
import { splitArgs } from '../internal/split-args.js';

/** pbx_checkcondition(): empty is false, a leading integer decides, other text is true. */
export function checkCondition(condition: string): boolean {
  if (condition === '') return false;
  const match = /^\s*([+-]?\d+)/.exec(condition);
  if (match) return Number(match[1]) !== 0;
  return true;
}

function gotoOrFail(session: DialplanSession, target: string): ApplicationResult {
  return session.gotoTarget(target) ? 'continue' : 'hangup';
}

/** Splits `cond?a:b` the way pbx_builtin_gotoif() does (strsep on `?`, then `:`). */
function splitBranches(data: string): [string, string | undefined, string | undefined] {
  const question = data.indexOf('?');
  if (question < 0) return [data, undefined, undefined];
  const rest = data.slice(question + 1);
  const colon = rest.indexOf(':');
  return [data.slice(0, question), colon < 0 ? rest : rest.slice(0, colon), colon < 0 ? undefined : rest.slice(colon + 1)];
}

const gotoApp: DialplanApplication = {
  name: 'Goto',
  synopsis: 'Jump to a particular priority, extension, or context.',
  syntax: 'Goto([[context,]extension,]priority)',
  execute: (session, data) => gotoOrFail(session, data),
};

const gotoIf: DialplanApplication = {
  name: 'GotoIf',
  synopsis: 'Conditional goto.',
  syntax: 'GotoIf(condition?[labeliftrue]:[labeliffalse])',
  execute(session, data) {
    if (data === '') {
      session.log('warning', 'Ignoring, since there is no variable to check');
      return 'continue';
    }
    const [condition, ifTrue, ifFalse] = splitBranches(data);
    const branch = checkCondition(condition) ? ifTrue : ifFalse;
    if (branch === undefined || branch === '') return 'continue';
    return gotoOrFail(session, branch);
  },
};

function timeMatches(session: DialplanSession, spec: string): boolean {
  const problems: { message: string }[] = [];
  const parsed = parseTimeSpec(spec, problems);
  for (const problem of problems) session.log('warning', problem.message);
  return parsed.matches(session.host.now());
}

const gotoIfTime: DialplanApplication = {
  name: 'GotoIfTime',
  synopsis: 'Conditional Goto based on the current time.',
  syntax: 'GotoIfTime(times,weekdays,mdays,months,[timezone]?[labeliftrue]:[labeliffalse])',
  execute(session, data) {
    const [spec, ifTrue, ifFalse] = splitBranches(data);
    if (ifTrue === undefined) {
      session.log('warning', 'GotoIfTime requires an argument:\n  <time range>,<days of week>,<days of month>,<months>[,<timezone>]?[[context,]extension,]priority');
      return 'continue';
    }
    const branch = timeMatches(session, spec) ? ifTrue : ifFalse;
    if (branch === undefined || branch === '') return 'continue';
    return gotoOrFail(session, branch);
  },
};

/** Runs `App(args)` text as Exec() does (arguments substituted once more). */
async function runApplicationText(session: DialplanSession, text: string): Promise<ApplicationResult | undefined> {
  const open = text.indexOf('(');
  const name = (open < 0 ? text : text.slice(0, open)).trim();
  let args = '';
  if (open >= 0) {
    const rest = text.slice(open + 1);
    const close = rest.lastIndexOf(')');
    args = await session.substitute(close < 0 ? rest : rest.slice(0, close));
  }
  const application = session.engine.applications.get(name);
  if (!application) return undefined;
  return application.execute(session, args);
}

const execIfTime: DialplanApplication = {
  name: 'ExecIfTime',
  synopsis: 'Conditional application execution based on the current time.',
  syntax: 'ExecIfTime(times,weekdays,mdays,months,[timezone]?appname[(appargs)])',
  async execute(session, data): Promise<ApplicationResult> {
    const question = data.indexOf('?');
    if (question < 0) {
      session.log('warning', 'Invalid Time Spec: ExecIfTime requires times,weekdays,mdays,months[,timezone]?appname(args)');
      return 'continue';
    }
    if (!timeMatches(session, data.slice(0, question))) return 'continue';
    const result = await runApplicationText(session, data.slice(question + 1));
    if (result === undefined) {
      session.log('warning', `Cannot locate application ${data.slice(question + 1)}`);
      return 'hangup';
    }
    return result;
  },
};

/** Gosub(label(args)): splits the label from its arguments (app_stack.c gosub_exec()). */
function parseGosub(data: string): { label: string; args: string[] } {
  const open = data.indexOf('(');
  if (open < 0) return { label: data, args: [] };
  const inside = data.slice(open + 1);
  const close = inside.lastIndexOf(')');
  return { label: data.slice(0, open), args: splitArgs(close < 0 ? inside : inside.slice(0, close)) };
}

/** Gosub to `text` (`[[context,]exten,]priority(args)`); false when the target is invalid. */
export function gosub(session: DialplanSession, text: string, kind: 'gosub' | 'macro' = 'gosub'): boolean {
  const { label, args } = parseGosub(text);
  const origin = session.location;
  if (!session.gotoTarget(label)) {
    session.log('error', `Gosub address is invalid: '${text}'`);
    return false;
  }
  const target = session.location;
  if (!session.exists(target.context, target.exten, target.priority)) {
    session.log('error', `Attempt to reach a non-existent destination for Gosub: (Context:${target.context}, Extension:${target.exten}, Priority:${target.priority})`);
    session.goto(origin);
    session.jumped = false;
    return false;
  }
  session.goto(origin);
  session.engine.pushFrame(session, target, args, { endsRun: false, kind });
  return true;
}

const gosubApp: DialplanApplication = {
  name: 'Gosub',
  synopsis: 'Jump to label, saving return address.',
  syntax: 'Gosub([[context,]exten,]priority[(arg1[,...][,argN])])',
  execute(session, data) {
    if (data.trim() === '') {
      session.log('error', 'Gosub requires an argument: Gosub([[context,]exten,]priority[(arg1[,...][,argN])])');
      return 'hangup';
    }
    return gosub(session, data) ? 'continue' : 'hangup';
  },
};

const gosubIf: DialplanApplication = {
  name: 'GosubIf',
  synopsis: 'Conditionally jump to label, saving return address.',
  syntax: 'GosubIf(condition?labeliftrue[(arg1[,...])][:labeliffalse[(arg1[,...])]])',
  execute(session, data) {
    const [condition = '', labels = ''] = splitArgs(data, { delimiter: '?', removeChars: false, max: 2 });
    if (data === '' || !data.includes('?')) {
      session.log('warning', 'GosubIf requires an argument: GosubIf(cond?label1(args):label2(args)');
      return 'continue';
    }
    const [ifTrue = '', ifFalse = ''] = splitArgs(labels, { delimiter: ':', removeChars: false, max: 2 });
    const branch = checkCondition(condition) ? ifTrue : ifFalse;
    if (branch === '') return 'continue';
    return gosub(session, branch) ? 'continue' : 'hangup';
  },
};

const returnApp: DialplanApplication = {
  name: 'Return',
  synopsis: 'Return from gosub routine.',
  syntax: 'Return([value])',
  async execute(session, data): Promise<ApplicationResult> {
    const frame = session.engine.popFrame(session);
    if (!frame) {
      session.log('error', 'Return without Gosub: stack is empty');
      return 'hangup';
    }
    await session.setVariable('GOSUB_RETVAL', data);
    session.goto(frame.returnTo);
    return 'continue';
  },
};

const stackPop: DialplanApplication = {
  name: 'StackPop',
  synopsis: 'Remove one address from gosub stack.',
  syntax: 'StackPop()',
  execute(session) {
    if (!session.engine.popFrame(session)) session.log('warning', 'Simulated return with empty stack');
    return 'continue';
  },
};

const exec: DialplanApplication = {
  name: 'Exec',
  synopsis: 'Executes dialplan application.',
  syntax: 'Exec(appname(arguments))',
  async execute(session, data): Promise<ApplicationResult> {
    if (data === '') return 'continue';
    const result = await runApplicationText(session, data);
    if (result === undefined) {
      session.log('warning', `Could not find application (${data.split('(')[0]})`);
      return 'hangup';
    }
    return result;
  },
};

const tryExec: DialplanApplication = {
  name: 'TryExec',
  synopsis: 'Executes dialplan application, always returning.',
  syntax: 'TryExec(appname(arguments))',
  async execute(session, data): Promise<ApplicationResult> {
    const result = data === '' ? undefined : await runApplicationText(session, data);
    const status = result === undefined ? 'NOAPP' : result === 'continue' ? 'SUCCESS' : 'FAILED';
    await session.setVariable('TRYSTATUS', status);
    return 'continue';
  },
};

const execIf: DialplanApplication = {
  name: 'ExecIf',
  synopsis: 'Executes dialplan application, conditionally.',
  syntax: 'ExecIf(expression?appiftrue(args)[:appiffalse(args)])',
  async execute(session, data): Promise<ApplicationResult> {
    const [condition = '', apps] = splitArgs(data, { delimiter: '?', removeChars: false, max: 2 });
    if (apps === undefined) {
      session.log('error', 'Invalid syntax: ExecIf requires a ?');
      return 'hangup';
    }
    const [ifTrue = '', ifFalse = ''] = splitArgs(apps, { delimiter: ':', removeChars: false, max: 2 });
    const chosen = checkCondition(condition) ? ifTrue : ifFalse;
    if (chosen === '') return 'continue';
    const result = await runApplicationText(session, chosen);
    if (result === undefined) {
      session.log('warning', `Could not find application! (${chosen})`);
      return 'hangup';
    }
    return result;
  },
};

/** The priorities of the current extension (While/EndWhile pairs live in one extension). */
function currentSteps(session: DialplanSession): readonly { priority: number; application: string }[] {
  const found = session.dialplan.find(session.context, session.exten, session.priority, { callerId: session.callerNumber, now: session.host.now() });
  return found?.extension.priorities ?? [];
}

function isApp(step: { application: string }, name: string): boolean {
  return step.application.toLowerCase() === name;
}

/** The EndWhile matching the While at `priority` (find_matching_endwhile()). */
function matchingEndWhile(session: DialplanSession, priority: number): number | undefined {
  let depth = 0;
  for (const step of currentSteps(session)) {
    if (step.priority <= priority) continue;
    if (isApp(step, 'while')) depth++;
    else if (isApp(step, 'endwhile')) {
      if (depth === 0) return step.priority;
      depth--;
    }
  }
  return undefined;
}

/** The While enclosing `priority` (searching backwards, skipping closed loops). */
function enclosingWhile(session: DialplanSession, priority: number): number | undefined {
  let depth = 0;
  const steps = currentSteps(session).filter((step) => step.priority < priority).reverse();
  for (const step of steps) {
    if (isApp(step, 'endwhile')) depth++;
    else if (isApp(step, 'while')) {
      if (depth === 0) return step.priority;
      depth--;
    }
  }
  return undefined;
}

function exitLoop(session: DialplanSession, whilePriority: number | undefined): ApplicationResult {
  const end = whilePriority === undefined ? undefined : matchingEndWhile(session, whilePriority);
  if (end === undefined) {
    session.log('warning', "Couldn't find matching EndWhile? (While at priority " + String(whilePriority) + ')');
    return 'hangup';
  }
  session.goto({ priority: end + 1 });
  return 'continue';
}

const whileApp: DialplanApplication = {
  name: 'While',
  synopsis: 'Start a while loop.',
  syntax: 'While(expr)',
  execute(session, data) {
    if (checkCondition(data)) return 'continue';
    return exitLoop(session, session.priority);
  },
};

const endWhile: DialplanApplication = {
  name: 'EndWhile',
  synopsis: 'End a while loop.',
  syntax: 'EndWhile()',
  execute(session) {
    const start = enclosingWhile(session, session.priority);
    if (start === undefined) {
      session.log('warning', 'EndWhile without While');
      return 'continue';
    }
    session.goto({ priority: start });
    return 'continue';
  },
};

const exitWhile: DialplanApplication = {
  name: 'ExitWhile',
  synopsis: 'End a While loop.',
  syntax: 'ExitWhile()',
  execute: (session) => exitLoop(session, enclosingWhile(session, session.priority)),
};

const continueWhile: DialplanApplication = {
  name: 'ContinueWhile',
  synopsis: 'Restart a While loop.',
  syntax: 'ContinueWhile()',
  execute(session) {
    const start = enclosingWhile(session, session.priority);
    if (start === undefined) return 'continue';
    session.goto({ priority: start });
    return 'continue';
  },
};

/** The flow control applications. */
export const flowApplications: readonly DialplanApplication[] = [
  gotoApp,
  gotoIf,
  gotoIfTime,
  execIfTime,
  gosubApp,
  gosubIf,
  returnApp,
  stackPop,
  exec,
  tryExec,
  execIf,
  whileApp,
  endWhile,
  exitWhile,
  continueWhile,
];

export { runApplicationText };
