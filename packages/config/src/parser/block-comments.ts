/**
 * Comment removal for one line, reproducing Asterisk 20 main/config.c
 * `config_text_file_load()`: `;` starts a comment, `\;` is a literal `;`, and `;--` … `--;`
 * is a block comment that may span lines and nest (to depth 128; `;---` opens nothing).
 */

/** Asterisk's MAX_NESTED_COMMENTS. */
export const MAX_NESTED_COMMENTS = 128;

/** What stripping one line found besides its text. */
export type CommentIssue =
  | { readonly kind: 'nest-limit'; readonly column: number }
  | { readonly kind: 'unbalanced-end'; readonly column: number };

/** The text of a line left to process, and where it starts in the raw line (0-based). */
export interface StrippedLine {
  readonly text: string;
  readonly offset: number;
}

/** Block-comment state carried from line to line within one file. */
export class BlockCommentState {
  /** Where each currently open block comment began (1-based line and column), innermost last. */
  private readonly openings: { line: number; column: number }[] = [];

  /** True while inside at least one block comment. */
  get isOpen(): boolean {
    return this.openings.length > 0;
  }

  /** Where the innermost still-open block comment began (Asterisk reports that one). */
  get innermostOpening(): { readonly line: number; readonly column: number } | undefined {
    return this.openings.at(-1);
  }

  /**
   * Removes comments from one line. Returns the text to process (not yet trimmed), or
   * `undefined` when the whole line lies inside a block comment.
   */
  strip(raw: string, lineNumber: number, issues: CommentIssue[]): StrippedLine | undefined {
    // The C code works on one buffer, writing NULs and moving text; '\0' marks those NULs.
    let buffer = raw;
    let searchFrom = 0;
    let processStart: number | undefined = this.isOpen ? undefined : 0;
    for (;;) {
      const stop = buffer.indexOf('\0', searchFrom);
      const found = buffer.indexOf(';', searchFrom);
      if (found < 0 || (stop >= 0 && stop < found)) break;
      const at = found;
      if (at > searchFrom && buffer[at - 1] === '\\') {
        // Escaped semicolons aren't comments: drop the backslash, keep the ';'.
        buffer = buffer.slice(0, at - 1) + buffer.slice(at);
        searchFrom = at;
      } else if (buffer[at + 1] === '-' && buffer[at + 2] === '-' && buffer[at + 3] !== '-') {
        if (this.openings.length < MAX_NESTED_COMMENTS) {
          buffer = buffer.slice(0, at) + '\0' + buffer.slice(at + 1);
          this.openings.push({ line: lineNumber, column: at + 1 });
        } else {
          issues.push({ kind: 'nest-limit', column: at + 1 });
        }
        searchFrom = at + 3;
      } else if (at >= searchFrom + 2 && buffer[at - 1] === '-' && buffer[at - 2] === '-' && this.isOpen) {
        this.openings.pop();
        searchFrom = at + 1;
        if (!this.isOpen) {
          if (processStart !== undefined) {
            // Back to non-comment: move what follows over the end of the text kept so far.
            const end = buffer.indexOf('\0', processStart);
            buffer = buffer.slice(0, end) + buffer.slice(searchFrom);
            searchFrom = end;
          } else {
            processStart = searchFrom;
          }
        }
      } else if (!this.isOpen) {
        if (at >= searchFrom + 2 && buffer[at - 1] === '-' && buffer[at - 2] === '-') {
          // Asterisk would drop its nesting count below zero here and ignore the rest of the file.
          issues.push({ kind: 'unbalanced-end', column: at + 1 });
        }
        buffer = buffer.slice(0, at) + '\0' + buffer.slice(at + 1);
        searchFrom = at;
        break;
      } else {
        searchFrom = at + 1;
      }
    }
    if (processStart === undefined) return undefined;
    const end = buffer.indexOf('\0', processStart);
    return { text: end < 0 ? buffer.slice(processStart) : buffer.slice(processStart, end), offset: processStart };
  }
}
