/**
 * `core show applications [like <text>|describing <words>]`, `core show functions [like <text>]`
 * (Asterisk 20, main/pbx_app.c `handle_show_applications()`, main/pbx_functions.c
 * `handle_show_functions()`).
 */
import type { ApplicationDocumentation, ApplicationRegistry } from '../engine/application-registry.js';
import type { FunctionRegistry } from '../engine/function-registry.js';
import type { CliText } from './dialplan-show.js';

/** Options for `core show applications`. */
export interface ShowApplicationsFilter {
  readonly like?: string;
  readonly describing?: readonly string[];
}

/** The text of `core show applications [like <text>|describing <words>]`. */
export function coreShowApplications(registry: ApplicationRegistry, filter: ShowApplicationsFilter = {}): string {
  const applications = registry.list();
  if (applications.length === 0) return 'There are no registered applications\n';
  const matching = filter.like !== undefined || filter.describing !== undefined;
  let out = matching ? '    -= Matching Asterisk Applications =-\n' : '    -= Registered Asterisk Applications =-\n';
  let matched = 0;
  for (const application of applications) {
    let print = !matching;
    if (filter.like !== undefined) {
      print = application.name.toLowerCase().includes(filter.like.toLowerCase());
      if (print) matched++;
    } else if (filter.describing !== undefined && application.description !== undefined) {
      const description = application.description.toLowerCase();
      print = true;
      for (const word of filter.describing) {
        // pbx_app.c counts every word that matched, not every application.
        if (description.includes(word.toLowerCase())) matched++;
        else print = false;
      }
    }
    if (print) out += `  ${application.name.padStart(20)}: ${application.synopsis || '<Synopsis not available>'}\n`;
  }
  out += matching ? `    -= ${matched} Applications Matching =-\n` : `    -= ${applications.length} Applications Registered =-\n`;
  return out;
}

function column(text: string, width: number): string {
  return text.slice(0, width).padEnd(width);
}

/** The text of `core show functions [like <text>]`. */
export function coreShowFunctions(registry: FunctionRegistry, like?: string): string {
  let out = `${like === undefined ? 'Installed' : 'Matching'} Custom Functions:\n--------------------------------------------------------------------------------\n`;
  let count = 0;
  for (const fn of registry.list()) {
    if (like !== undefined && !fn.name.includes(like)) continue;
    count++;
    out += `${column(fn.name, 20)}  ${column(fn.syntax, 35)}  ${fn.synopsis}\n`;
  }
  out += `${count} ${like === undefined ? '' : 'matching '}custom functions installed.\n`;
  return out;
}

/** print_app_docs() / handle_show_function(): the documentation block of one entry. */
function documentation(kind: 'Application' | 'Function', name: string, docs: ApplicationDocumentation): string {
  const section = (title: string, text: string): string => `[${title}]\n${text}\n\n`;
  return (
    `\n  -= Info about ${kind} '${name}' =- \n\n` +
    section('Synopsis', docs.synopsis || 'Not available') +
    section('Provided By', 'Not available') +
    section('Since', 'Not available') +
    section('Description', docs.description ?? docs.synopsis) +
    section('Syntax', docs.syntax || 'Not available') +
    section('Arguments', 'Not available') +
    section('See Also', 'Not available')
  );
}

/**
 * `core show application <name> [<name>...]`: the documentation of each (names compared
 * case-insensitively), or a failure when none is registered.
 */
export function coreShowApplication(registry: ApplicationRegistry, names: readonly string[]): CliText {
  let text = '';
  for (const application of registry.list()) {
    if (names.some((name) => name.toLowerCase() === application.name.toLowerCase())) text += documentation('Application', application.name, application);
  }
  return text === '' ? { text: 'Your application(s) is (are) not registered\n', ok: false } : { text, ok: true };
}

/** `core show function <name>` (the name is case-sensitive, as function names are). */
export function coreShowFunction(registry: FunctionRegistry, name: string): CliText {
  const fn = registry.get(name);
  if (!fn) return { text: 'No function by that name registered.\n', ok: false };
  return { text: documentation('Function', fn.name, fn), ok: true };
}
