import { formatDiagnostics } from '@tandem/config';
import { coreShowApplication, coreShowApplications, coreShowFunction, coreShowFunctions, dialplanShow, type CliText } from '@tandem/dialplan';
import type { Pbx } from '../pbx.js';
import { cliError, cliOk, type CliResult } from './cli-registry.js';
import { formatReloadResult } from './reload-result.js';

/** A dialplan CLI text as a CLI result (`-rx` exits non-zero on CLI_FAILURE). */
function cliText(result: CliText): CliResult {
  return result.ok ? cliOk(result.text) : cliError(result.text);
}

/** `dialplan ...` and `core show applications/functions` (pbx_config, main/pbx_app.c). */
export function registerDialplanCommands(pbx: Pbx): void {
  const { cli, engine } = pbx;
  cli.register({
    words: ['dialplan', 'show'],
    usage: 'dialplan show [[exten@]context]',
    summary: 'Show dialplan',
    handler: (args) => (args.length > 1 ? cliError('Usage: dialplan show [[exten@]context]') : cliText(dialplanShow(engine.dialplan, args[0] ?? ''))),
  });
  cli.register({
    words: ['dialplan', 'reload'],
    usage: 'dialplan reload',
    summary: 'Reload extensions and *only* extensions',
    handler: async (args) => {
      if (args.length > 0) return cliError('Usage: dialplan reload');
      // pbx_config.c handle_cli_dialplan_reload() ends with "Dialplan reloaded."; Tandem keeps
      // the running dialplan when the new one has errors, and says what it loaded.
      const result = await pbx.reload('dialplan');
      if (!result.ok) return formatReloadResult(result);
      return cliOk([...formatDiagnostics(result.warnings).split('\n').filter(Boolean), ...result.changes, 'Dialplan reloaded.'].join('\n'));
    },
  });
  cli.register({
    words: ['core', 'show', 'applications'],
    usage: 'core show applications [{like|describing} <text>]',
    summary: 'Shows registered dialplan applications',
    handler: (args) => {
      const [mode, text] = args;
      // pbx_app.c: `like` takes exactly one word, `describing` one or more.
      if (mode === 'like' && text !== undefined && args.length === 2) return cliOk(coreShowApplications(engine.applications, { like: text }));
      if (mode === 'describing' && text !== undefined) return cliOk(coreShowApplications(engine.applications, { describing: args.slice(1) }));
      return cliOk(coreShowApplications(engine.applications));
    },
  });
  cli.register({
    words: ['core', 'show', 'application'],
    usage: 'core show application <application> [<application> [<application> [...]]]',
    summary: 'Describe a specific dialplan application',
    handler: (args) => (args.length === 0 ? cliError('Usage: core show application <application> [<application> [<application> [...]]]') : cliText(coreShowApplication(engine.applications, args))),
  });
  cli.register({
    words: ['core', 'show', 'functions'],
    usage: 'core show functions [like <text>]',
    summary: 'Shows registered dialplan functions',
    handler: (args) => {
      if (args.length === 0) return cliOk(coreShowFunctions(engine.functions));
      if (args.length === 2 && args[0] === 'like') return cliOk(coreShowFunctions(engine.functions, args[1]));
      return cliError('Usage: core show functions [like <text>]');
    },
  });
  cli.register({
    words: ['core', 'show', 'function'],
    usage: 'core show function <function>',
    summary: 'Describe a specific dialplan function',
    handler: (args) => (args.length !== 1 ? cliError('Usage: core show function <function>') : cliText(coreShowFunction(engine.functions, args[0] ?? ''))),
  });
}
