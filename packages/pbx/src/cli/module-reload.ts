import { formatDiagnostics } from '@tandem/config';
import type { Pbx } from '../pbx.js';
import type { ReloadScope } from '../reload/reload-scope.js';
import { cliError, cliOk } from './cli-registry.js';
import { formatReloadResult } from './reload-result.js';

/** The Asterisk modules whose reload Tandem performs, by the scope that reloads them. */
const MODULE_SCOPES: ReadonlyMap<string, ReloadScope> = new Map([
  ['chan_sip', 'sip'],
  ['pbx_config', 'dialplan'],
]);

/**
 * `module reload [module ...]` (Asterisk 20 main/cli.c handle_reload()): everything (as `core
 * reload`) without a name, else each named module in turn with Asterisk's per-module line.
 */
export function registerModuleReload(pbx: Pbx): void {
  pbx.cli.register({
    words: ['module', 'reload'],
    usage: 'module reload [module ...]',
    summary: 'Reload configuration for a module',
    handler: async (modules) => {
      if (modules.length === 0) return formatReloadResult(await pbx.reload('all'));
      const lines: string[] = [];
      let ok = true;
      for (const module of modules) {
        const scope = MODULE_SCOPES.get(module.replace(/\.so$/, ''));
        if (scope === undefined) {
          lines.push(`No such module '${module}'`);
          ok = false;
          continue;
        }
        const result = await pbx.reload(scope);
        if (result.ok) {
          lines.push(`Module '${module}' reloaded successfully.`);
        } else {
          lines.push(`The module '${module}' reported a reload failure`, formatDiagnostics(result.errors));
          ok = false;
        }
      }
      return ok ? cliOk(lines.join('\n')) : cliError(lines.join('\n'));
    },
  });
}
