import type { Diagnostic, SourceLocation } from '../conf-types.js';

/** An error diagnostic at `where` (only the location fields of `where` are kept). */
export function errorAt(where: SourceLocation, message: string): Diagnostic {
  return diagnosticAt('error', where, message);
}

/** A warning diagnostic at `where` (only the location fields of `where` are kept). */
export function warningAt(where: SourceLocation, message: string): Diagnostic {
  return diagnosticAt('warning', where, message);
}

function diagnosticAt(severity: Diagnostic['severity'], where: SourceLocation, message: string): Diagnostic {
  return where.column === undefined
    ? { severity, message, file: where.file, line: where.line }
    : { severity, message, file: where.file, line: where.line, column: where.column };
}
