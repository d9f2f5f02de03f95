import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { serverMain } from './paths.js';
import { useConfDir, type ConfDir } from './conf-dir.js';
import { waitForSip } from './sip-probe.js';

/** The result of one `-rx` command. */
export interface RxResult {
  readonly code: number;
  readonly output: string;
}

/** A Tandem server started for a test. */
export interface TandemProcess extends AsyncDisposable {
  readonly confDir: ConfDir;
  readonly pid: number;
  /** Runs a CLI command through `tandem -rx`. */
  rx(command: string): Promise<RxResult>;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends a signal (SIGHUP reloads). */
  signal(name: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, for persistence tests. */
  kill(): Promise<void>;
}

/** How to start a server. */
export interface StartTandemOptions {
  /** Config files, or an existing directory to reuse (restart tests). */
  readonly files?: Record<string, string>;
  readonly confDir?: ConfDir;
  /** Where the server answers SIP once ready (from its sip.conf). */
  readonly sipAddress: string;
  readonly sipPort?: number;
  readonly extraArgs?: readonly string[];
  /** Options for node itself, before the script (e.g. --cpu-prof for benchmarks). */
  readonly nodeArgs?: readonly string[];
  /** How long to wait for the first answer to OPTIONS (default 20 s; 100,000 peers take longer). */
  readonly readyTimeoutMs?: number;
}

/** Starts `node apps/server/dist/main.js -C DIR --data-dir DIR/data --control DIR/ctl` and waits until it answers OPTIONS. */
export async function startTandem(options: StartTandemOptions): Promise<TandemProcess> {
  const confDir = options.confDir ?? useConfDir(options.files ?? {});
  const controlPath = join(confDir.path, 'ctl');
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), serverMain, '-C', confDir.path, '--data-dir', join(confDir.path, 'data'), '--control', controlPath, ...(options.extraArgs ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const ready = await Promise.race([
    waitForSip(options.sipAddress, options.sipPort ?? 5060, options.readyTimeoutMs),
    exited.then(() => false),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`tandem did not become ready:\n${printed}`);
  }

  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return {
    confDir,
    pid: child.pid ?? 0,
    output: () => printed,
    signal: (name) => child.kill(name),
    rx: (command) =>
      new Promise((resolve) => {
        execFile(process.execPath, [serverMain, '--control', controlPath, '-rx', command], (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, output: stdout + stderr });
        });
      }),
    stop,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    [Symbol.asyncDispose]: async () => {
      await stop();
      if (!options.confDir) confDir.remove();
    },
  };
}
