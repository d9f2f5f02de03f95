/**
 * `core show applications [like <text>|describing <words>]`, `core show functions [like <text>]`
 * (Asterisk 20, main/pbx_app.c `handle_show_applications()`, main/pbx_functions.c
 * `handle_show_functions()`).
 */
import type { ApplicationRegistry } from '../engine/application-registry.js';
import type { FunctionRegistry } from '../engine/function-registry.js';

/** Options for `core show applications`. */
export interface ShowApplicationsFilter {
  readonly like?: string;
  readonly describing?: readonly string[];
}

/** The text of `core show applications`. */
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
      print = filter.describing.every((word) => description.includes(word.toLowerCase()));
      if (print) matched++;
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

/** `core show application <name>`: its synopsis, syntax and description, or an error line. */
export function coreShowApplication(registry: ApplicationRegistry, name: string): string {
  const application = registry.get(name);
  if (!application) return 'Your application(s) is (are) not registered\n';
  return `\n  -= Info about application '${application.name}' =- \n\n[Synopsis]\n${application.synopsis}\n\n[Description]\n${application.description ?? application.synopsis}\n\n[Syntax]\n${application.syntax}\n\n`;
}

/** `core show function <name>`. */
export function coreShowFunction(registry: FunctionRegistry, name: string): string {
  const fn = registry.get(name);
  if (!fn) return 'No function by that name registered.\n';
  return `\n  -= Info about function '${fn.name}' =- \n\n[Synopsis]\n${fn.synopsis}\n\n[Description]\n${fn.description ?? fn.synopsis}\n\n[Syntax]\n${fn.syntax}\n\n`;
}
