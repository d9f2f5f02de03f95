import type { Diagnostic, SourceLocation } from '../conf-types.js';
import { warningAt } from './diagnostic.js';

/**
 * Options Tandem reads (their values are checked) but does not act on yet, as met in one file:
 * named together in one warning at load, so none is silently accepted.
 */
export class ParsedOnlyOptions {
  readonly #uses = new Map<string, { readonly first: SourceLocation; readonly lines: Set<string> }>();

  /** Notes a line using option `name`; a line read again (through a template) counts once. */
  note(name: string, where: SourceLocation): void {
    const line = `${where.file}:${where.line}`;
    const use = this.#uses.get(name);
    if (use === undefined) this.#uses.set(name, { first: where, lines: new Set([line]) });
    else use.lines.add(line);
  }

  /** The options noted, in the order first met. */
  get names(): string[] {
    return [...this.#uses.keys()];
  }

  /**
   * `options parsed but not acted on by Tandem yet: videosupport (sip.conf:31), mwi (sip.conf:27, 2 lines)`
   * at the first use, or nothing when none was met.
   */
  warning(): Diagnostic | undefined {
    const [first] = this.#uses.values();
    if (first === undefined) return undefined;
    const listing = [...this.#uses.entries()]
      .map(([name, use]) => `${name} (${use.first.file}:${use.first.line}${use.lines.size > 1 ? `, ${use.lines.size} lines` : ''})`)
      .join(', ');
    return warningAt(first.first, `options parsed but not acted on by Tandem yet: ${listing}`);
  }
}
