import type { ConfDocument } from '../conf-types.js';
import { ConfParser } from './conf-parser.js';
import { diskIncludeSource } from './include-source.js';

/** Options of {@link parseConf}. */
export interface ParseConfOptions {
  /** The file's name in locations and diagnostics (relative to the config dir). */
  readonly file: string;
  /**
   * Directory `#include` / `#tryinclude` patterns are relative to (Asterisk's config dir).
   * Without it, include directives are reported as errors.
   */
  readonly configDir?: string;
  /** asterisk.conf `[options] execincludes=yes`: run `#exec` commands (default: refuse them). */
  readonly execIncludes?: boolean;
}

/**
 * Parses `.conf` text in Asterisk 20's dialect. Never throws: every problem is a diagnostic
 * with file, line and column, and a document with an error diagnostic must not be applied.
 */
export function parseConf(text: string, options: ParseConfOptions): ConfDocument {
  const execIncludes = options.execIncludes ?? false;
  if (options.configDir === undefined) return new ConfParser({ execIncludes }).parseTop(text, options.file, undefined);
  const includes = diskIncludeSource(options.configDir);
  return new ConfParser({ includes, execIncludes }).parseTop(text, options.file, includes.resolve(options.file));
}
