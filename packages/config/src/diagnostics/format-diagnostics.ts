import type { Diagnostic } from '../conf-types.js';

/**
 * One line per diagnostic, compiler style: `file:line:column: error: message`
 * (`file:line:` without a column, `file:` for a problem with the file as a whole).
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join('\n');
}

/** The line {@link formatDiagnostics} prints for one diagnostic. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where =
    diagnostic.line <= 0
      ? diagnostic.file
      : diagnostic.column === undefined
        ? `${diagnostic.file}:${diagnostic.line}`
        : `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
  return `${where}: ${diagnostic.severity}: ${diagnostic.message}`;
}

/** True when any diagnostic is an error (the configuration must not be applied). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
