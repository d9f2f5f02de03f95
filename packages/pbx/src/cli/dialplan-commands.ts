import { coreShowApplication, coreShowApplications, coreShowFunction, coreShowFunctions, dialplanShow } from '@tandem/dialplan';
import type { Pbx } from '../pbx.js';
import { cliError, cliOk } from './cli-registry.js';
import { formatReloadResult } from './reload-result.js';

/** `dialplan ...` and `core show applications/functions` (pbx_config, main/pbx_app.c). */
export function registerDialplanCommands(pbx: Pbx): void {
  const { cli, engine } = pbx;
  cli.register({
    words: ['dialplan', 'show'],
    usage: 'dialplan show [[exten@]context]',
    summary: 'Show dialplan',
    handler: (args) => cliOk(dialplanShow(engine.dialplan, args.join(' '))),
  });
  cli.register({
    words: ['dialplan', 'reload'],
    usage: 'dialplan reload',
    summary: 'Reload extensions and *only* extensions',
    handler: async () => formatReloadResult(await pbx.reload('dialplan')),
  });
  cli.register({
    words: ['core', 'show', 'applications'],
    usage: 'core show applications [like|describing <text>]',
    summary: 'Shows registered dialplan applications',
    handler: (args) => {
      const [mode, text] = args;
      if (mode === 'like' && text !== undefined) return cliOk(coreShowApplications(engine.applications, { like: text }));
      if (mode === 'describing' && text !== undefined) return cliOk(coreShowApplications(engine.applications, { describing: args.slice(1) }));
      return cliOk(coreShowApplications(engine.applications));
    },
  });
  cli.register({
    words: ['core', 'show', 'application'],
    usage: 'core show application <application>',
    summary: 'Describe a specific dialplan application',
    handler: (args) => (args[0] === undefined ? cliError('Usage: core show application <application>') : cliOk(coreShowApplication(engine.applications, args[0]))),
  });
  cli.register({
    words: ['core', 'show', 'functions'],
    usage: 'core show functions [like <text>]',
    summary: 'Shows registered dialplan functions',
    handler: (args) => cliOk(coreShowFunctions(engine.functions, args[0] === 'like' ? args[1] : undefined)),
  });
  cli.register({
    words: ['core', 'show', 'function'],
    usage: 'core show function <function>',
    summary: 'Describe a specific dialplan function',
    handler: (args) => (args[0] === undefined ? cliError('Usage: core show function <function>') : cliOk(coreShowFunction(engine.functions, args[0]))),
  });
}
