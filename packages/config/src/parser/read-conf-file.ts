import type { ConfDocument } from '../conf-types.js';
import { errorAt } from '../diagnostics/diagnostic.js';
import { ConfParser } from './conf-parser.js';
import { diskIncludeSource } from './include-source.js';

/** Options of {@link readConfFile}. */
export interface ReadConfFileOptions {
  /** asterisk.conf `[options] execincludes=yes`: run `#exec` commands (default: refuse them). */
  readonly execIncludes?: boolean;
}

/** The result of reading one top-level file. */
export interface ConfFileRead {
  /** The parsed document; empty (no categories, no diagnostics) when the file is missing. */
  readonly document: ConfDocument;
  /** True when the top-level file does not exist, so callers can treat it as optional. */
  readonly missing: boolean;
}

/**
 * Reads `fileName` from `configDir` and parses it with its includes (resolved against
 * `configDir`, as Asterisk resolves them against its config dir). A missing top-level file
 * is reported through `missing`; an unreadable one (a directory, no permission) is an error
 * diagnostic. Never throws.
 */
export function readConfFile(configDir: string, fileName: string, options: ReadConfFileOptions = {}): ConfFileRead {
  const includes = diskIncludeSource(configDir);
  const absolutePath = includes.resolve(fileName);
  const outcome = includes.read(absolutePath);
  const where = { file: fileName, line: 0 };
  switch (outcome.kind) {
    case 'missing':
      return { document: { file: fileName, categories: [], diagnostics: [] }, missing: true };
    case 'not-regular':
      return unreadable(fileName, errorAt(where, `'${fileName}' is not a regular file`));
    case 'unreadable':
      return unreadable(fileName, errorAt(where, `cannot read '${fileName}': ${outcome.reason}`));
    case 'text': {
      const parser = new ConfParser({ includes, execIncludes: options.execIncludes ?? false });
      return { document: parser.parseTop(outcome.text, fileName, absolutePath), missing: false };
    }
  }
}

function unreadable(file: string, diagnostic: ConfDocument['diagnostics'][number]): ConfFileRead {
  return { document: { file, categories: [], diagnostics: [diagnostic] }, missing: false };
}
