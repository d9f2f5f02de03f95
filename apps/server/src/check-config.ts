import { formatDiagnostics, hasErrors, loadConfigDir } from '@tandem/config';

/**
 * `tandem --check-config -C DIR`: reads every file as the server would, prints each warning
 * and error with file:line:column, and returns 1 when there is an error.
 */
export function checkConfig(configDir: string): number {
  const { diagnostics } = loadConfigDir(configDir);
  const text = formatDiagnostics(diagnostics);
  if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const errors = diagnostics.filter((item) => item.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  process.stdout.write(`${configDir}: ${errors} error(s), ${warnings} warning(s)\n`);
  return hasErrors(diagnostics) ? 1 : 0;
}
