import type { ConfCategory, ConfDocument, ConfVariable, Diagnostic, SourceLocation } from '../conf-types.js';
import { errorAt, warningAt } from '../diagnostics/diagnostic.js';
import { leadingBlankCount, stripBlanks, trimTrailingBlanks } from './blanks.js';
import { BlockCommentState } from './block-comments.js';
import type { CommentIssue } from './block-comments.js';
import { compileCategoryFilter } from './category-filter.js';
import { parseCategoryHeader } from './category-header.js';
import type { IncludeSource } from './include-source.js';

/** main/config.c: `char buf[8192]` read by fgets(), so 8190 bytes of text plus the newline. */
export const MAX_LINE_BYTES = 8190;
/** main/config.c MAX_INCLUDE_LEVEL: includes may nest ten deep below the top file. */
export const MAX_INCLUDE_DEPTH = 10;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface DraftCategory extends Omit<Mutable<ConfCategory>, 'inherits' | 'variables'> {
  inherits: string[];
  variables: ConfVariable[];
}

/** Where the lines of the file being read go. */
interface FileCursor {
  readonly file: string;
  readonly absolutePath: string | undefined;
  readonly depth: number;
  /** The section lines go to (`*cat` in process_text_line()). */
  category: DraftCategory | undefined;
  /** After a header that failed, lines are dropped until the next header. */
  discarding: boolean;
}

/** Options of one parse, shared by every included file. */
export interface ConfParserOptions {
  /** Where `#include` / `#exec` read from; without it those directives are errors. */
  readonly includes?: IncludeSource;
  /** asterisk.conf `[options] execincludes`: allow `#exec`. */
  readonly execIncludes?: boolean;
}

/**
 * The Asterisk 20 `.conf` dialect (main/config.c `config_text_file_load()` and
 * `process_text_line()`), producing ordered categories and diagnostics. Unlike Asterisk it
 * reads on after an error so that one load reports every problem; any error still makes
 * the whole document unusable.
 */
export class ConfParser {
  private readonly categories: DraftCategory[] = [];
  private readonly firstByName = new Map<string, DraftCategory>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly includeStack: string[] = [];
  private readonly sourceFiles: string[] = [];
  /** `cfg->current`: the last category appended (or appended to); included files start there. */
  private current: DraftCategory | undefined;

  constructor(private readonly options: ConfParserOptions) {}

  /** Parses the top-level file's text and returns the document. */
  parseTop(text: string, file: string, absolutePath: string | undefined): ConfDocument {
    this.parseFile(text, { file, absolutePath, depth: 0, category: undefined, discarding: false });
    const document = { file, categories: this.categories, diagnostics: this.diagnostics };
    return absolutePath === undefined ? document : { ...document, sourceFiles: this.sourceFiles };
  }

  private parseFile(text: string, cursor: FileCursor): void {
    if (cursor.absolutePath !== undefined) {
      this.includeStack.push(cursor.absolutePath);
      if (!this.sourceFiles.includes(cursor.absolutePath)) this.sourceFiles.push(cursor.absolutePath);
    }
    const comments = new BlockCommentState();
    const issues: CommentIssue[] = [];
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
      const lineNumber = index + 1;
      let raw = lines[index] ?? '';
      if (index === 0 && raw.startsWith('\uFEFF')) raw = raw.slice(1);
      const nul = raw.indexOf('\0');
      if (nul >= 0) raw = raw.slice(0, nul);
      if (raw.length * 3 > MAX_LINE_BYTES && Buffer.byteLength(raw) > MAX_LINE_BYTES) {
        this.diagnostics.push(
          warningAt(
            { file: cursor.file, line: lineNumber, column: 1 },
            `line too long (over ${MAX_LINE_BYTES} bytes), skipped; it begins with: ${raw.slice(0, 32)}...`,
          ),
        );
        continue;
      }
      const stripped = comments.strip(raw, lineNumber, issues);
      this.reportCommentIssues(issues, cursor.file, lineNumber);
      if (stripped === undefined) continue;
      const leading = leadingBlankCount(stripped.text);
      const content = trimTrailingBlanks(stripped.text.slice(leading));
      if (content === '') continue;
      this.processLine(content, { file: cursor.file, line: lineNumber, column: stripped.offset + leading + 1 }, cursor);
    }
    const opening = comments.innermostOpening;
    if (opening !== undefined) {
      this.diagnostics.push(
        warningAt({ file: cursor.file, ...opening }, `unterminated comment detected beginning on line ${opening.line}`),
      );
    }
    if (cursor.absolutePath !== undefined) this.includeStack.pop();
  }

  private reportCommentIssues(issues: CommentIssue[], file: string, line: number): void {
    for (const issue of issues.splice(0)) {
      const where = { file, line, column: issue.column };
      this.diagnostics.push(
        issue.kind === 'nest-limit'
          ? errorAt(where, 'maximum nest limit of 128 block comments reached')
          : errorAt(where, "'--;' closes a block comment that was never opened (Asterisk would ignore the rest of the file)"),
      );
    }
  }

  private processLine(content: string, where: Required<SourceLocation>, cursor: FileCursor): void {
    if (content.startsWith('[')) this.processHeader(content, where, cursor);
    else if (content.startsWith('#')) this.processDirective(content, where, cursor);
    else this.processVariable(content, where, cursor);
  }

  // main/config.c process_text_line(): "A category header".
  private processHeader(content: string, where: Required<SourceLocation>, cursor: FileCursor): void {
    const header = parseCategoryHeader(content);
    if (!header.ok) return this.failHeader(cursor, errorAt(where, header.message));
    if (header.ignoredTail !== '') {
      this.diagnostics.push(warningAt(where, `text after the section header is ignored: '${header.ignoredTail}'`));
    }
    const created: DraftCategory = {
      name: header.name,
      isTemplate: false,
      inherits: [],
      variables: [],
      file: where.file,
      line: where.line,
      column: where.column,
    };
    let pending: DraftCategory | undefined = created;
    let target = created;
    for (const option of header.options) {
      if (option === '!') {
        target.isTemplate = true;
      } else if (option.startsWith('+')) {
        const filter = compileCategoryFilter(option.slice(1));
        if (!filter.ok) return this.failHeader(cursor, errorAt(where, filter.message));
        const lowerName = header.name.toLowerCase();
        const existing = this.categories.find(
          (category) => category.name.toLowerCase() === lowerName && filter.matches(category),
        );
        if (existing === undefined) {
          return this.failHeader(
            cursor,
            errorAt(where, `category addition requested, but category '${header.name}' does not exist`),
          );
        }
        if (pending !== undefined) {
          this.current = existing;
          existing.isTemplate ||= pending.isTemplate;
          existing.variables.push(...pending.variables);
          existing.inherits.push(...pending.inherits);
          pending = undefined;
        }
        target = existing;
      } else {
        const base = this.firstByName.get(option.toLowerCase());
        if (base === undefined) {
          return this.failHeader(cursor, errorAt(where, `inheritance requested, but category '${option}' does not exist`));
        }
        // ast_category_inherit(): the base's variables as they are now, before the section's own lines.
        target.inherits.push(option);
        target.variables.push(...base.variables);
      }
    }
    if (pending !== undefined) this.append(pending);
    cursor.category = target;
    cursor.discarding = false;
  }

  private failHeader(cursor: FileCursor, diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
    cursor.category = undefined;
    cursor.discarding = true;
  }

  private append(category: DraftCategory): void {
    this.categories.push(category);
    const key = category.name.toLowerCase();
    if (!this.firstByName.has(key)) this.firstByName.set(key, category);
    this.current = category;
  }

  // main/config.c process_text_line(): "A directive - #include, #tryinclude, or #exec".
  private processDirective(content: string, where: Required<SourceLocation>, cursor: FileCursor): void {
    let wordEnd = 1;
    while (wordEnd < content.length && content.charCodeAt(wordEnd) > 32) wordEnd++;
    const word = content.slice(1, wordEnd);
    const argument = stripBlanks(content.slice(wordEnd + 1));
    const kind = word.toLowerCase();
    if (kind === 'exec' && this.options.execIncludes !== true) {
      this.diagnostics.push(
        warningAt(where, 'cannot perform #exec unless execincludes option is enabled in asterisk.conf (options section)'),
      );
      return;
    }
    if (kind !== 'include' && kind !== 'tryinclude' && kind !== 'exec') {
      this.diagnostics.push(warningAt(where, `unknown directive '#${word}', ignored`));
      return;
    }
    if (argument === '') {
      const needed = kind === 'exec' ? '/path/to/executable' : 'filename';
      this.diagnostics.push(warningAt(where, `directive '#${word}' needs an argument (${needed})`));
      return;
    }
    const target = dequote(argument);
    const includes = this.options.includes;
    if (includes === undefined) {
      this.diagnostics.push(errorAt(where, `#${word} needs a config directory: read the file with readConfFile()`));
      return;
    }
    if (cursor.depth >= MAX_INCLUDE_DEPTH) {
      const diagnostic = `maximum include level (${MAX_INCLUDE_DEPTH}) exceeded by #${word} ${target}`;
      this.diagnostics.push(kind === 'tryinclude' ? warningAt(where, diagnostic) : errorAt(where, diagnostic));
      return;
    }
    const childStart = { depth: cursor.depth + 1, category: this.current, discarding: cursor.discarding };
    if (kind === 'exec') {
      const outcome = includes.exec(target);
      if (!outcome.ok) {
        this.diagnostics.push(errorAt(where, `#exec <${target}>: failed to execute: ${outcome.reason}`));
        return;
      }
      this.parseFile(outcome.output, { file: `#exec ${target}`, absolutePath: undefined, ...childStart });
      return;
    }
    let loaded = 0;
    for (const path of includes.expand(target)) {
      const outcome = includes.read(path);
      const name = includes.displayName(path);
      if (outcome.kind === 'missing') continue;
      if (outcome.kind === 'not-regular') {
        this.diagnostics.push(warningAt(where, `'${name}' is not a regular file, ignoring`));
        continue;
      }
      if (outcome.kind === 'unreadable') {
        this.diagnostics.push(warningAt(where, `cannot read '${name}': ${outcome.reason}`));
        continue;
      }
      loaded++;
      const cycleStart = this.includeStack.indexOf(path);
      if (cycleStart >= 0) {
        const chain = [...this.includeStack.slice(cycleStart), path].map((step) => includes.displayName(step));
        this.diagnostics.push(errorAt(where, `#include cycle: ${chain.join(' -> ')}`));
        continue;
      }
      this.parseFile(outcome.text, { file: name, absolutePath: path, ...childStart });
    }
    if (loaded === 0 && kind === 'include') {
      this.diagnostics.push(errorAt(where, `the file '${target}' was listed as a #include but it does not exist`));
    }
  }

  // main/config.c process_text_line(): "Just a line (variable = value)".
  private processVariable(content: string, where: Required<SourceLocation>, cursor: FileCursor): void {
    if (cursor.discarding) return;
    const category = cursor.category;
    if (category === undefined) {
      this.diagnostics.push(errorAt(where, 'parse error: no category context for this line (it comes before any [section])'));
      return;
    }
    const escaped = content.startsWith('\\');
    const body = escaped ? content.slice(1) : content;
    if (escaped && !(body.charCodeAt(0) >= 33)) {
      this.diagnostics.push(errorAt(where, 'invalid escape: a leading \\ must be followed by a visible character'));
      return;
    }
    const nameStart = escaped ? 1 : 0;
    const equals = body.indexOf('=', nameStart);
    if (equals < 0) {
      this.diagnostics.push(warningAt(where, "no '=' (equal sign) on this line, ignored"));
      return;
    }
    if (equals > nameStart && body[equals - 1] === '+') {
      this.appendToVariable(category, stripBlanks(body.slice(0, equals - 1)), body.slice(equals + 1), where);
      return;
    }
    const isObject = body[equals + 1] === '>';
    const value = stripBlanks(body.slice(equals + (isObject ? 2 : 1)));
    this.addVariable(category, stripBlanks(body.slice(0, equals)), value, isObject, where);
  }

  private addVariable(
    category: DraftCategory,
    name: string,
    value: string,
    isObject: boolean,
    where: Required<SourceLocation>,
  ): void {
    if (name === '') {
      this.diagnostics.push(warningAt(where, 'no variable name on this line, ignored'));
      return;
    }
    category.variables.push({ name, value, isObject, file: where.file, line: where.line, column: where.column });
  }

  /**
   * `name += text`: Asterisk finds the last variable spelled exactly `name`, appends the raw
   * text, trims, and stores the result with `ast_variable_update()`, which replaces the first
   * variable with that name (any case) and that old value (any case).
   */
  private appendToVariable(category: DraftCategory, name: string, rawText: string, where: Required<SourceLocation>): void {
    const last = category.variables.findLast((variable) => variable.name === name);
    if (last === undefined) {
      this.addVariable(category, name, stripBlanks(rawText), false, where);
      return;
    }
    const value = stripBlanks(trimTrailingBlanks(last.value + rawText));
    const lowerName = last.name.toLowerCase();
    const lowerValue = last.value.toLowerCase();
    const index = category.variables.findIndex(
      (variable) =>
        variable.name.toLowerCase() === lowerName && (lowerValue === '' || variable.value.toLowerCase() === lowerValue),
    );
    const replaced = category.variables[index];
    if (replaced !== undefined) category.variables[index] = { ...replaced, name: last.name, value };
  }
}

/** `"file"` and `<file>` lose their quotes; anything else is kept as written. */
function dequote(argument: string): string {
  const first = argument[0];
  const closing = first === '"' ? '"' : first === '<' ? '>' : undefined;
  return closing !== undefined && argument.length > 1 && argument.endsWith(closing) ? argument.slice(1, -1) : argument;
}
