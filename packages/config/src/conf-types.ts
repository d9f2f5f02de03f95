/**
 * The shapes every parsed `.conf` file shares (Asterisk 20, main/config.c): ordered
 * categories of ordered variables, each item remembering where it was written.
 */

/** Where an item was written: the file (relative to the config dir) and 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  /** 1-based column, where it helps the message. */
  readonly column?: number;
}

/** One `name = value` (or `name => value`) line. */
export interface ConfVariable extends SourceLocation {
  readonly name: string;
  readonly value: string;
  /** True when written with `=>` (Asterisk's "object" flag); otherwise identical to `=`. */
  readonly isObject: boolean;
}

/**
 * One `[name]` section. `variables` holds the inherited variables first (from each name in
 * `inherits`, in order) and then the section's own lines, so the last same-named scalar wins.
 */
export interface ConfCategory extends SourceLocation {
  readonly name: string;
  /** `[name](!)`: a template, kept but skipped when instantiating devices or contexts. */
  readonly isTemplate: boolean;
  /** Names given in `[name](a,b)`, in order. */
  readonly inherits: readonly string[];
  readonly variables: readonly ConfVariable[];
}

/** A problem found while reading configuration; errors stop a load or a reload. */
export interface Diagnostic extends SourceLocation {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** A parsed file (with its includes expanded) and what was found wrong in it. */
export interface ConfDocument {
  readonly file: string;
  readonly categories: readonly ConfCategory[];
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Absolute paths of every file read for this document (the file, then its includes in
   * reading order), so a reload can tell whether anything changed. Absent for parsed text.
   */
  readonly sourceFiles?: readonly string[];
}
