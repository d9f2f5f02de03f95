import { formatDiagnostics } from '@tandem/config';
import type { ReloadResult } from '../reload/reload-result.js';
import { cliError, cliOk, type CliResult } from './cli-registry.js';

/** What a reload prints: its warnings and changes, or why nothing changed. */
export function formatReloadResult(result: ReloadResult): CliResult {
  if (!result.ok) {
    return cliError(`Reload failed; the running configuration is unchanged.\n${formatDiagnostics(result.errors)}`);
  }
  const lines = [
    ...formatDiagnostics(result.warnings).split('\n').filter(Boolean),
    ...result.changes,
    ...result.awaitingRestart.map((setting) => `changed, applied at the next restart: ${setting}`),
    'Reloaded.',
  ];
  return cliOk(lines.join('\n'));
}
