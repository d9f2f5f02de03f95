/**
 * `dialplan show`, `dialplan show <context>`, `dialplan show <exten>@<context>` text
 * (Asterisk 20, main/pbx.c `handle_show_dialplan()`, `show_dialplan_helper()`).
 */
import type { Dialplan } from '../compile/dialplan.js';
import type { DialplanContext, DialplanExtension, DialplanPriority } from '../compile/dialplan-types.js';
import { matchExtension } from '../compile/extension-pattern.js';

const REGISTRAR = 'pbx_config';
const MAX_INCLUDE_DEPTH = 128;

interface Counters {
  contexts: number;
  extensions: number;
  priorities: number;
  contextFound: boolean;
  extensionFound: boolean;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function fileName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

/** print_ext(): `1. App(data)` or `hint: devices`. */
function describeStep(step: DialplanPriority, isHint: boolean): string {
  return isHint ? `hint: ${step.application}` : `${step.priority}. ${step.application}(${step.data})`;
}

function stepLine(label: string, step: DialplanPriority, isHint: boolean): string {
  return `  ${pad(label, 17)} ${pad(describeStep(step, isHint), 45)} [${fileName(step.file)}:${step.line}]\n`;
}

function extensionLines(extension: DialplanExtension, counters: Counters): string {
  const steps: Array<[DialplanPriority, boolean]> = [
    ...(extension.hint ? ([[extension.hint, true]] as Array<[DialplanPriority, boolean]>) : []),
    ...extension.priorities.map((step): [DialplanPriority, boolean] => [step, false]),
  ];
  let out = '';
  steps.forEach(([step, isHint], index) => {
    counters.priorities++;
    let label: string;
    if (index === 0) {
      label = extension.callerIdPattern !== undefined ? `'${extension.name}' (CID match '${extension.callerIdPattern}') => ` : `'${extension.name}' =>`;
    } else {
      label = step.label ? `   [${step.label}]` : '';
    }
    out += stepLine(label, step, isHint);
  });
  counters.extensions++;
  return out;
}

function showContext(dialplan: Dialplan, context: DialplanContext, exten: string | undefined, counters: Counters, included: boolean, visited: string[]): string {
  let out = '';
  let headerPrinted = false;
  const header = (): void => {
    if (headerPrinted) return;
    headerPrinted = true;
    counters.contexts++;
    out += included ? `[ Included context '${context.name}' created by '${REGISTRAR}' ]\n` : `[ Context '${context.name}' created by '${REGISTRAR}' ]\n`;
  };
  if (exten === undefined) header();
  for (const extension of context.extensions) {
    if (exten !== undefined && matchExtension(extension.name, exten, 'match') === 0) continue;
    counters.extensionFound = true;
    header();
    out += extensionLines(extension, counters);
  }
  for (const include of context.includes) {
    if (exten === undefined) {
      out += `  Include =>        ${pad(`'${include.text}'`, 45)} [${REGISTRAR}]\n`;
      continue;
    }
    const lowered = include.context.toLowerCase();
    if (visited.length >= MAX_INCLUDE_DEPTH || visited.includes(lowered)) continue;
    const target = dialplan.context(include.context);
    if (target) out += showContext(dialplan, target, exten, counters, true, [...visited, lowered]);
  }
  for (const pattern of context.ignorePatterns) {
    if (exten === undefined || matchExtension(`_${pattern}.`, exten, 'match') !== 0) {
      out += `  Ignore pattern => ${pad(`'${pattern}'`, 45)} [${REGISTRAR}]\n`;
    }
  }
  if (!included) {
    for (const alternative of context.switches) {
      out += `  Alt. Switch =>    ${pad(`'${alternative.module}/${alternative.data}'`, 45)} [${REGISTRAR}]\n`;
    }
  }
  if (headerPrinted) out += '\n';
  return out;
}

/** What a CLI command printed, and whether it succeeded (CLI_SUCCESS) or failed (CLI_FAILURE). */
export interface CliText {
  readonly text: string;
  readonly ok: boolean;
}

/**
 * `dialplan show [[exten@]context]`; `argument` is what follows `dialplan show` (empty for the
 * whole dialplan). A context or extension that does not exist fails with Asterisk's message
 * (and whatever was printed before it), without the totals line.
 */
export function dialplanShow(dialplan: Dialplan, argument = ''): CliText {
  let context: string | undefined;
  let exten: string | undefined;
  const trimmed = argument.trim();
  if (trimmed.includes('@')) {
    const at = trimmed.indexOf('@');
    exten = trimmed.slice(0, at) || undefined;
    context = trimmed.slice(at + 1) || undefined;
  } else if (trimmed !== '') {
    context = trimmed;
  }
  const counters: Counters = { contexts: 0, extensions: 0, priorities: 0, contextFound: false, extensionFound: false };
  let out = '';
  // Asterisk walks its context list, where each new context was put first.
  for (const current of dialplan.contexts().reverse()) {
    if (context !== undefined && current.name !== context) continue;
    counters.contextFound = true;
    out += showContext(dialplan, current, exten, counters, false, [current.name.toLowerCase()]);
  }
  if (context !== undefined && !counters.contextFound) return { text: `${out}There is no existence of '${context}' context\n`, ok: false };
  if (exten !== undefined && !counters.extensionFound) {
    const missing = context !== undefined ? `There is no existence of ${exten}@${context} extension\n` : `There is no existence of '${exten}' extension in all contexts\n`;
    return { text: out + missing, ok: false };
  }
  const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
  out += `-= ${plural(counters.extensions, 'extension', 'extensions')} (${plural(counters.priorities, 'priority', 'priorities')}) in ${plural(counters.contexts, 'context', 'contexts')}. =-\n`;
  return { text: out, ok: true };
}
