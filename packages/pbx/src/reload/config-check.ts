import { hasErrors, loadConfigDir, type Diagnostic, type TandemConfig } from '@tandem/config';
import { compileDialplan, type Dialplan } from '@tandem/dialplan';

/** A configuration directory read and checked the way the server applies it. */
export interface CheckedConfig {
  readonly config: TandemConfig;
  /** extensions.conf compiled (pattern index, includes, hints). */
  readonly dialplan: Dialplan;
  /** Every diagnostic: each file's, then the dialplan compiler's. */
  readonly diagnostics: readonly Diagnostic[];
  /** The same diagnostics by the top-level file they concern (`''` = the directory itself). */
  readonly diagnosticsByFile: ReadonlyMap<string, readonly Diagnostic[]>;
  /** True when no diagnostic is an error. */
  readonly valid: boolean;
}

/**
 * Reads every file of a configuration directory and compiles the dialplan, as `Pbx.start()`,
 * `Pbx.reload()` and `tandem --check-config` do; never throws. A result with `valid: false`
 * must not be applied.
 */
export function checkConfigDir(configDir: string): CheckedConfig {
  const load = loadConfigDir(configDir);
  const compiled = compileDialplan(load.config.extensions);
  const diagnosticsByFile = new Map(load.diagnosticsByFile);
  diagnosticsByFile.set('extensions.conf', [...(diagnosticsByFile.get('extensions.conf') ?? []), ...compiled.diagnostics]);
  const diagnostics = [...load.diagnostics, ...compiled.diagnostics];
  return { config: load.config, dialplan: compiled.dialplan, diagnostics, diagnosticsByFile, valid: !hasErrors(diagnostics) };
}
