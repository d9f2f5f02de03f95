import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** One sipp load run: every call of the scenario as fast as `concurrency` allows. */
export interface SippLoad {
  readonly scenario: string;
  /** `host:port` of the server. */
  readonly remote: string;
  readonly localAddress: string;
  readonly localPort: number;
  readonly injectionFile: string;
  readonly calls: number;
  /** Calls in progress at most (sipp -l). */
  readonly concurrency: number;
  /** Kill sipp after this long. */
  readonly timeoutMs: number;
}

/** What a load run did. */
export interface SippLoadResult {
  readonly succeeded: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly exitCode: number | null;
  /** sipp's last screen (for failures). */
  readonly screen: string;
}

/** The last value of a row of sipp's statistics screen (`Successful call | 10 | 10000`). */
function screenCount(screen: string, label: string): number {
  const rows = [...screen.matchAll(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`, 'g'))];
  return Number(rows.at(-1)?.[1] ?? 0);
}

/**
 * Runs sipp without message traces (they would cost more than the server's work), unlimited
 * rate and `concurrency` calls at once, and counts what succeeded.
 */
export function runSippLoad(load: SippLoad): Promise<SippLoadResult> {
  const args = [
    load.remote,
    '-sf', load.scenario,
    '-inf', load.injectionFile,
    '-i', load.localAddress,
    '-p', String(load.localPort),
    '-m', String(load.calls),
    '-r', '1000000', '-rp', '1000',
    '-l', String(load.concurrency),
    '-nostdin',
    '-skip_rlimit',
  ];
  const started = performance.now();
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let screen = '';
  const keep = (chunk: Buffer): void => {
    // Only the latest screens matter; keep the tail.
    screen = (screen + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGKILL'), load.timeoutMs);
  return new Promise((resolve) => {
    const finish = (exitCode: number | null): void => {
      clearTimeout(timer);
      resolve({
        succeeded: screenCount(screen, 'Successful call'),
        failed: screenCount(screen, 'Failed call'),
        elapsedMs: performance.now() - started,
        exitCode,
        screen,
      });
    };
    child.once('exit', finish);
    child.once('error', (error) => {
      screen += String(error);
      finish(-1);
    });
  });
}
