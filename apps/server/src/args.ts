import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';

/** What the command line asks the executable to do. */
export type Invocation =
  | { readonly mode: 'serve'; readonly options: ServerOptions }
  | { readonly mode: 'remote'; readonly controlPath: string; readonly command: string }
  | { readonly mode: 'check-config'; readonly configDir: string }
  | { readonly mode: 'help' };

/** Options for running the server. */
export interface ServerOptions {
  readonly configDir: string;
  readonly dataDir: string;
  readonly controlPath: string;
  /** 0 = info, 1 = debug, 2+ = trace. */
  readonly verbosity: number;
}

/** A command line that cannot be understood. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usage = `Usage: tandem [options]
  -C, --config-dir DIR   Asterisk-style configuration directory (sip.conf, extensions.conf, ...)
      --data-dir DIR     persistent state (embedded SQLite); default ./tandem-data
      --control PATH     control socket; default DATA_DIR/tandem.ctl
  -rx "COMMAND"          run one CLI command on the running server and print its output
      --check-config     validate the configuration directory and exit
  -v                     more verbose logs (repeat for more)
  -h, --help             this text`;

/**
 * Reads argv the way Asterisk users type it: `-rx "sip show peers"` is `-r` plus `-x CMD`.
 */
export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        'config-dir': { type: 'string', short: 'C' },
        'data-dir': { type: 'string' },
        control: { type: 'string' },
        remote: { type: 'boolean', short: 'r' },
        execute: { type: 'string', short: 'x' },
        'check-config': { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values;
  if (values.help) return { mode: 'help' };

  const configDir = resolve(values['config-dir'] ?? '/etc/asterisk');
  const dataDir = resolve(values['data-dir'] ?? 'tandem-data');
  const controlPath = resolve(values.control ?? join(dataDir, 'tandem.ctl'));

  if (values.execute !== undefined) return { mode: 'remote', controlPath, command: values.execute };
  if (values.remote) throw new UsageError('-r needs -x "COMMAND" (interactive consoles are not supported)');
  if (values['check-config']) return { mode: 'check-config', configDir };
  return {
    mode: 'serve',
    options: { configDir, dataDir, controlPath, verbosity: values.verbose?.length ?? 0 },
  };
}
