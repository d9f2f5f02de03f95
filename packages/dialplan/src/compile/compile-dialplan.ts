/**
 * extensions.conf to a `Dialplan` (Asterisk 20, pbx/pbx_config.c `pbx_load_config()`):
 * globals first, then every context line: `exten`, `same`, `include`, `ignorepat`, `switch`.
 */
import type { ConfCategory, ConfVariable, Diagnostic, ExtensionsConf } from '@tandem/config';
import { runStepsSync } from '../internal/steps.js';
import { splitArgs } from '../internal/split-args.js';
import { substituteSteps } from '../variables/substitute.js';
import { Dialplan } from './dialplan.js';
import type { DialplanContext, DialplanExtension, DialplanInclude, DialplanPriority, DialplanSwitch } from './dialplan-types.js';
import { HINT_PRIORITY } from './dialplan-types.js';
import { compareExtensions } from './extension-pattern.js';
import { parseTimeSpec, type TimeSpecProblem } from './time-spec.js';

/** Options of `compileDialplan`. */
export interface CompileDialplanOptions {
  /** Tells whether an application exists, to warn at load about unknown ones. */
  readonly isKnownApplication?: (name: string) => boolean;
}

/** The result: the dialplan and what was found wrong (file:line). */
export interface CompiledDialplan {
  readonly dialplan: Dialplan;
  readonly diagnostics: Diagnostic[];
}

interface ExtensionBuilder {
  readonly name: string;
  readonly callerIdPattern: string | undefined;
  readonly priorities: Map<number, DialplanPriority>;
  readonly labels: Map<string, number>;
  hint: DialplanPriority | undefined;
}

interface ContextBuilder {
  readonly name: string;
  readonly extensions: Map<string, ExtensionBuilder>;
  readonly includes: DialplanInclude[];
  readonly ignorePatterns: string[];
  readonly switches: DialplanSwitch[];
}

/** ast_shrink_phone_number(): drops `( )` and blanks, `-` outside `[]`, `.` unless last. */
export function shrinkPhoneNumber(number: string): string {
  let bracketed = 0;
  let out = '';
  for (let i = 0; i < number.length; i++) {
    const char = number[i] as string;
    if (char === '[') {
      bracketed++;
      out += char;
    } else if (char === ']') {
      bracketed--;
      out += char;
    } else if (char === '-') {
      if (bracketed) out += char;
    } else if (char === '.') {
      if (i === number.length - 1) out += char;
    } else if (!'( )'.includes(char)) {
      out += char;
    }
  }
  return out;
}

/** pbx_strsep(): splits at the first delimiter outside `[...]`, skipping backslash-escaped characters. */
function splitExtensionName(value: string): [string, string | undefined] {
  let square = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '[') square++;
    else if (char === ']') {
      if (square) square--;
    } else if (char === '\\') i++;
    else if (char === ',' && !square) return [value.slice(0, i), value.slice(i + 1)];
  }
  return [value, undefined];
}

class DialplanCompiler {
  readonly diagnostics: Diagnostic[] = [];
  readonly globals = new Map<string, string>();
  private readonly contexts = new Map<string, ContextBuilder>();

  constructor(private readonly options: CompileDialplanOptions) {}

  /** Load-time substitution: globals only (there is no channel to run functions on). */
  substituteGlobals(text: string, where: ConfVariable): string {
    return runStepsSync(
      substituteSteps(text, {
        variable: (name) => this.globals.get(name) ?? this.globals.get(`_${name}`) ?? this.globals.get(`__${name}`),
        readFunction: () => undefined,
        callFunction: () => undefined,
        warn: (message) => this.warn(where, message),
      }),
      () => '',
    );
  }

  warn(where: ConfVariable | ConfCategory, message: string): void {
    this.diagnostics.push({ severity: 'warning', message, file: where.file, line: where.line });
  }

  error(where: ConfVariable | ConfCategory, message: string): void {
    this.diagnostics.push({ severity: 'error', message, file: where.file, line: where.line });
  }

  addGlobals(globals: readonly ConfVariable[]): void {
    for (const variable of globals) {
      const value = this.substituteGlobals(variable.value, variable);
      // pbx_builtin_setvar_helper(): `_X`, `__X` and `X` are one variable.
      const bare = variable.name.replace(/^_{1,2}/, '');
      for (const name of [bare, `_${bare}`, `__${bare}`]) this.globals.delete(name);
      this.globals.set(variable.name, value);
    }
  }

  addContext(category: ConfCategory): void {
    let context = this.contexts.get(category.name);
    if (!context) {
      context = { name: category.name, extensions: new Map(), includes: [], ignorePatterns: [], switches: [] };
      this.contexts.set(category.name, context);
    }
    // Continuation state resets at each category (a repeated context starts afresh).
    const state = { lastExtension: '', lastPriority: -2 };
    for (const line of category.variables) {
      const directive = line.name.toLowerCase();
      if (directive.startsWith('same')) {
        if (state.lastExtension === '') {
          this.error(line, `No previous pattern in the first entry of context '${category.name}' to match '${line.name}' at line ${line.line} of ${line.file}!`);
          continue;
        }
        this.addPriority(context, line, state.lastExtension, line.value, state);
      } else if (directive === 'exten') {
        const [rawName, rest] = splitExtensionName(line.value);
        const name = this.substituteGlobals(rawName, line);
        state.lastExtension = name;
        this.addPriority(context, line, name, rest ?? '', state);
      } else if (directive === 'include') {
        this.addInclude(context, line);
      } else if (directive === 'ignorepat') {
        context.ignorePatterns.push(this.substituteGlobals(line.value, line));
      } else if (directive === 'switch' || directive === 'lswitch' || directive === 'eswitch') {
        const value = directive === 'switch' ? this.substituteGlobals(line.value, line) : line.value;
        const slash = value.indexOf('/');
        const module = slash < 0 ? value : value.slice(0, slash);
        context.switches.push({ module, data: slash < 0 ? '' : value.slice(slash + 1), evaluateAtRuntime: directive === 'eswitch' });
        this.warn(line, `Switch '${module}' in context '${category.name}' is kept but never searched: Tandem has no switch modules`);
      } else if (directive === 'autohints') {
        this.warn(line, `autohints is not supported by Tandem (no device state subscriptions for it) -- IGNORING`);
      } else {
        this.warn(line, `==!!== Unknown directive: ${line.name} at line ${line.line} of ${line.file} -- IGNORING!!!`);
      }
    }
  }

  private addInclude(context: ContextBuilder, line: ConfVariable): void {
    const value = this.substituteGlobals(line.value, line);
    const separator = value.search(/[,|]/);
    const name = (separator < 0 ? value : value.slice(0, separator)).trim();
    if (context.includes.some((include) => include.context === name)) {
      this.warn(line, `Context '${value}' already included in '${context.name}' context on include at line ${line.line} of ${line.file}`);
      return;
    }
    let timeSpec;
    if (separator >= 0) {
      const problems: TimeSpecProblem[] = [];
      timeSpec = parseTimeSpec(value.slice(separator + 1), problems);
      for (const problem of problems) this.warn(line, `${problem.message} (include '${value}')`);
    }
    context.includes.push({ context: name, text: value, timeSpec, file: line.file, line: line.line });
  }

  private addPriority(context: ContextBuilder, line: ConfVariable, extensionText: string, rest: string, state: { lastPriority: number }): void {
    let name = extensionText;
    let callerIdPattern: string | undefined;
    const slash = name.indexOf('/');
    if (slash >= 0) {
      callerIdPattern = shrinkPhoneNumber(name.slice(slash + 1));
      name = name.slice(0, slash);
    }
    const comma = rest.indexOf(',');
    let priorityText = (comma < 0 ? rest : rest.slice(0, comma)).trim();
    let application = comma < 0 ? '' : rest.slice(comma + 1);
    let label: string | undefined;
    const open = priorityText.indexOf('(');
    if (open >= 0) {
      const close = priorityText.indexOf(')', open);
      if (close < 0) {
        this.warn(line, `Label missing trailing ')' at line ${line.line} of ${line.file}`);
        return;
      }
      label = priorityText.slice(open + 1, close);
      priorityText = priorityText.slice(0, open);
    }
    let offset = 0;
    const plus = priorityText.indexOf('+');
    if (plus >= 0) {
      offset = Number.parseInt(priorityText.slice(plus + 1), 10) || 0;
      priorityText = priorityText.slice(0, plus);
    }
    const key = `${name}\u0000${callerIdPattern ?? '\u0001'}`;
    let extension = context.extensions.get(key);
    let priority: number;
    if (priorityText === 'hint') {
      priority = HINT_PRIORITY;
    } else if (priorityText === 'next' || priorityText === 'n') {
      if (state.lastPriority <= -2) {
        this.warn(line, `Can't use 'next' priority on the first entry at line ${line.line} of ${line.file}!`);
        return;
      }
      priority = state.lastPriority + 1;
    } else if (priorityText === 'same' || priorityText === 's') {
      if (state.lastPriority <= -2) {
        this.warn(line, `Can't use 'same' priority on the first entry at line ${line.line} of ${line.file}!`);
        return;
      }
      priority = state.lastPriority;
    } else {
      const numeric = /^\s*([+-]?\d+)/.exec(priorityText);
      if (numeric) {
        priority = Number(numeric[1]);
        if (priority < 1) {
          this.warn(line, `Invalid priority '${priorityText}' at line ${line.line} of ${line.file}`);
          return;
        }
      } else {
        const labelled = extension?.labels.get(priorityText);
        if (labelled === undefined) {
          this.warn(line, `Invalid priority/label '${priorityText}' at line ${line.line} of ${line.file}`);
          return;
        }
        priority = labelled;
      }
    }
    // App data: the text between the first '(' and the last ')'.
    let data = '';
    const paren = application.indexOf('(');
    if (paren >= 0) {
      const head = application.slice(0, paren);
      if (head.includes('${') || head.includes('$[')) {
        data = '';
      } else {
        const tail = application.slice(paren + 1);
        const close = tail.lastIndexOf(')');
        if (close < 0) this.warn(line, `No closing parenthesis found? '${head}(${tail}' at line ${line.line} of ${line.file}`);
        data = close < 0 ? tail : tail.slice(0, close);
        application = head;
      }
    }
    application = application.replace(/^\s+/, '');
    if (priority !== HINT_PRIORITY) priority += offset;
    state.lastPriority = priority;
    if (name === '_.' || name === '_!') {
      this.warn(line, `The use of '${name}' for an extension is strongly discouraged and can have unexpected behavior.  Please use '_X${name[1]}' instead at line ${line.line} of ${line.file}`);
    }
    if (!extension) {
      extension = { name, callerIdPattern, priorities: new Map(), labels: new Map(), hint: undefined };
      context.extensions.set(key, extension);
    }
    const step: DialplanPriority = { priority, label, application, data, file: line.file, line: line.line };
    if (priority === HINT_PRIORITY) {
      if (extension.hint) {
        this.warn(line, `Unable to register extension '${name}' hint in '${context.name}', already in use at line ${line.line} of ${line.file}`);
        return;
      }
      extension.hint = { ...step, application: paren >= 0 ? rest.slice(comma + 1).trim() : application, data: '' };
      return;
    }
    if (extension.priorities.has(priority)) {
      this.warn(line, `Unable to register extension '${name}' priority ${priority} in '${context.name}', already in use at line ${line.line} of ${line.file}`);
      return;
    }
    if (label !== undefined && label !== '') {
      if (extension.labels.has(label)) {
        this.warn(line, `Duplicate label '${label}' in extension '${name}' of context '${context.name}' at line ${line.line} of ${line.file}`);
      } else {
        extension.labels.set(label, priority);
      }
    }
    extension.priorities.set(priority, step);
    this.checkStep(line, step);
  }

  /** Load-time warnings about steps that will not do what they look like. */
  private checkStep(line: ConfVariable, step: DialplanPriority): void {
    const application = step.application.toLowerCase();
    if (this.options.isKnownApplication && step.application !== '' && !this.options.isKnownApplication(step.application)) {
      this.warn(line, `Application '${step.application}' does not exist: running this priority ends the call`);
    }
    // Reference §10.7: `Set(cNum = value)` creates a variable named "cNum " (with the space).
    const assignments = application === 'set' ? [step.data] : application === 'mset' || application === 'setvar' ? splitArgs(step.data) : [];
    for (const assignment of assignments) {
      const equals = assignment.indexOf('=');
      if (equals < 0) continue;
      const name = assignment.slice(0, equals);
      if (name.includes(' ') && !name.includes('(')) {
        this.warn(line, `Variable name '${name}' in ${step.application}(${step.data}) contains spaces: it is set with the spaces, and \${${name.trim()}} will not find it`);
      }
    }
  }

  build(conf: ExtensionsConf): Dialplan {
    const contexts: DialplanContext[] = [];
    for (const builder of this.contexts.values()) {
      const extensions: DialplanExtension[] = [...builder.extensions.values()].map((extension) => ({
        name: extension.name,
        callerIdPattern: extension.callerIdPattern,
        priorities: [...extension.priorities.values()].sort((a, b) => a.priority - b.priority),
        hint: extension.hint,
        labels: extension.labels,
      }));
      extensions.sort(compareExtensionEntries);
      contexts.push({
        name: builder.name,
        extensions,
        includes: builder.includes,
        ignorePatterns: builder.ignorePatterns,
        switches: builder.switches,
      });
    }
    return new Dialplan(conf.general, this.globals, contexts);
  }
}

/** Extension order inside a context; the same name sorts entries with a CID pattern first. */
function compareExtensionEntries(left: DialplanExtension, right: DialplanExtension): number {
  const byName = compareExtensions(left.name, right.name);
  if (byName !== 0) return byName;
  if (left.callerIdPattern === undefined) return right.callerIdPattern === undefined ? 0 : 1;
  if (right.callerIdPattern === undefined) return -1;
  return compareExtensions(left.callerIdPattern, right.callerIdPattern);
}

/**
 * Compiles an extensions.conf model into a `Dialplan`, with warnings and errors that name the
 * file and line, as Asterisk's loader logs them.
 */
export function compileDialplan(conf: ExtensionsConf, options: CompileDialplanOptions = {}): CompiledDialplan {
  const compiler = new DialplanCompiler(options);
  compiler.addGlobals(conf.globals);
  for (const category of conf.contexts) {
    const lowered = category.name.toLowerCase();
    if (lowered === 'general' || lowered === 'globals') continue;
    compiler.addContext(category);
  }
  const dialplan = compiler.build(conf);
  for (const context of dialplan.contexts()) {
    for (const include of context.includes) {
      if (!dialplan.context(include.context)) {
        compiler.diagnostics.push({
          severity: 'warning',
          message: `Context '${context.name}' includes '${include.context}', which does not exist`,
          file: include.file,
          line: include.line,
        });
      }
    }
  }
  return { dialplan, diagnostics: compiler.diagnostics };
}
