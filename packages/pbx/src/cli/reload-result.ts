import { formatDiagnostics, type Diagnostic } from '@tandem/config';
import { cliError, cliOk, type CliResult } from './cli-registry.js';

/** What a reload prints: its warnings, or why nothing changed. */
export function formatReloadResult(result: { ok: true; warnings: readonly Diagnostic[] } | { ok: false; errors: readonly Diagnostic[] }): CliResult {
  if (!result.ok) {
    return cliError(`Reload failed; the running configuration is unchanged.\n${formatDiagnostics(result.errors)}`);
  }
  const warnings = formatDiagnostics(result.warnings);
  return cliOk(warnings === '' ? 'Reloaded.' : `${warnings}\nReloaded.`);
}
