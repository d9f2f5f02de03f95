import { formatDiagnostics } from '@tandem/config';
import { checkConfigDir } from '@tandem/pbx';

/**
 * `tandem --check-config -C DIR`: reads every file and compiles the dialplan as the server
 * would, prints each warning and error as `file:line:column: severity: message` and a count,
 * and returns 1 when there is an error (the server would refuse to start with it).
 */
export function checkConfig(configDir: string, out: (text: string) => void = (text) => process.stdout.write(text)): number {
  const { diagnostics, valid } = checkConfigDir(configDir);
  const text = formatDiagnostics(diagnostics);
  if (text !== '') out(`${text}\n`);
  const errors = diagnostics.filter((item) => item.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  out(`${configDir}: ${errors} error(s), ${warnings} warning(s)\n`);
  return valid ? 0 : 1;
}
