/**
 * The operator CLI: commands are word sequences ("sip show peers"); the longest registered
 * sequence that prefixes the typed words wins and gets the remaining words as arguments.
 */

/** What a command prints, and whether it succeeded (`-rx` exits non-zero when not). */
export interface CliResult {
  readonly ok: boolean;
  readonly output: string;
}

/** A CLI command handler. */
export type CliHandler = (args: readonly string[]) => CliResult | Promise<CliResult>;

/** One registered command. */
export interface CliCommand {
  /** The words that select the command, e.g. `['sip', 'show', 'peers']`. */
  readonly words: readonly string[];
  /** Usage line for `core show help`. */
  readonly usage: string;
  /** One-line summary for `core show help`. */
  readonly summary: string;
  readonly handler: CliHandler;
}

/** A successful result. */
export function cliOk(output: string): CliResult {
  return { ok: true, output: output.endsWith('\n') || output === '' ? output : output + '\n' };
}

/** A failed result (usage errors, unknown names). */
export function cliError(output: string): CliResult {
  return { ok: false, output: output.endsWith('\n') ? output : output + '\n' };
}

/**
 * Splits a command line into words; double quotes group words (`database put a b "c d"`).
 */
export function tokenizeCommandLine(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (c === '\\' && quoted && i + 1 < line.length) {
      current += line[++i] ?? '';
    } else if (/\s/.test(c) && !quoted) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** The set of commands the server answers on its control socket. */
export class CliRegistry {
  readonly #commands: CliCommand[] = [];

  register(command: CliCommand): void {
    this.#commands.push(command);
  }

  /** Every command, sorted by its words (for `core show help`). */
  list(): readonly CliCommand[] {
    return [...this.#commands].sort((a, b) => a.words.join(' ').localeCompare(b.words.join(' ')));
  }

  /** Runs a command line. Unknown commands fail with Asterisk's message. */
  async execute(line: string): Promise<CliResult> {
    const words = tokenizeCommandLine(line.trim());
    let best: CliCommand | undefined;
    for (const command of this.#commands) {
      if (command.words.length > words.length) continue;
      if (!command.words.every((word, i) => word.toLowerCase() === words[i]?.toLowerCase())) continue;
      if (!best || command.words.length > best.words.length) best = command;
    }
    if (!best) {
      return cliError(`No such command '${words.join(' ')}' (type 'core show help ${words.join(' ')}' for other possible commands)`);
    }
    return best.handler(words.slice(best.words.length));
  }
}
