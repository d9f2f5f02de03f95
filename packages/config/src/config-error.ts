import type { Diagnostic } from './conf-types.js';
import { formatDiagnostics } from './diagnostics/format-diagnostics.js';

/** Why a configuration was refused. */
export type ConfigErrorCode = 'invalid-config';

/** Thrown by {@link requireValidConfig} when a load produced errors; carries every diagnostic. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/**
 * Returns `loaded` unchanged when its diagnostics hold no error, else throws a
 * {@link ConfigError} listing them (for start-up and reload paths that must not apply it).
 */
export function requireValidConfig<T extends { readonly diagnostics: readonly Diagnostic[] }>(loaded: T): T {
  const errors = loaded.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) {
    throw new ConfigError('invalid-config', `configuration has ${errors.length} error(s):\n${formatDiagnostics(errors)}`, loaded.diagnostics);
  }
  return loaded;
}
