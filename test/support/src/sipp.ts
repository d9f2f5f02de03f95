import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** How to run one sipp scenario. */
export interface SippOptions {
  /** Path of the scenario XML file. */
  readonly scenario: string;
  /** Where to send: `host:port` of the server (IPv6 as `[::1]:5060`). */
  readonly remote: string;
  /** Local address and port sipp binds for SIP. */
  readonly localAddress: string;
  readonly localPort: number;
  /** Media address/port sipp advertises ([media_ip]/[media_port]). */
  readonly mediaPort?: number;
  /** Extra sipp arguments (`-s 100`, `-au alice`, `-ap secret`, `-inf users.csv`, ...). */
  readonly args?: readonly string[];
  /** Calls to run (-m); default 1. */
  readonly calls?: number;
  /** Kill sipp after this long; default 30 s. */
  readonly timeoutMs?: number;
}

/** What a sipp run produced. */
export interface SippResult {
  /** 0 = every call succeeded; 1 = some failed; other = sipp error; null = killed. */
  readonly exitCode: number | null;
  readonly stdout: string;
  /** The message trace (-trace_msg). */
  readonly messages: string;
  /** The error log (-trace_err). */
  readonly errors: string;
  /** What the scenario's <log> actions wrote (-trace_logs). */
  readonly logs: string;
}

/** A sipp process running in the background (a UAS waiting for calls, say). */
export interface SippRun {
  readonly done: Promise<SippResult>;
  /** What the scenario's <log> actions wrote so far. */
  logs(): string;
  /** Waits until a <log> line matches `pattern`; resolves with the match (undefined on timeout). */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray | undefined>;
  kill(): void;
}

/** Starts sipp without waiting for it. */
export function startSipp(options: SippOptions): SippRun {
  const work = mkdtempSync(join(tmpdir(), 'tandem-sipp-'));
  const messageFile = join(work, 'messages.log');
  const errorFile = join(work, 'errors.log');
  const logFile = join(work, 'actions.log');
  const args = [
    options.remote,
    '-sf', options.scenario,
    '-i', options.localAddress,
    '-p', String(options.localPort),
    '-m', String(options.calls ?? 1),
    '-nostdin',
    '-skip_rlimit',
    '-trace_msg', '-message_file', messageFile,
    '-trace_err', '-error_file', errorFile,
    '-trace_logs', '-log_file', logFile,
    ...(options.mediaPort !== undefined ? ['-mp', String(options.mediaPort), '-mi', options.localAddress] : []),
    ...(options.args ?? []),
  ];
  const child = spawn('sipp', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const done = new Promise<SippResult>((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, messages: read(messageFile), errors: read(errorFile), logs: read(logFile) });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: -1, stdout: stdout + String(error), messages: '', errors: '', logs: '' });
    });
  });
  const logs = (): string => read(logFile);
  const waitForLog = async (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = logs().match(pattern);
      if (match) return match;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  };
  return { done, logs, waitForLog, kill: () => child.kill('SIGTERM') };
}

/**
 * A copy of a scenario file with placeholders replaced (`{ EXPECTED_STATUS: '486' }`), in a
 * temporary directory; returns its path.
 */
export function scenarioWith(file: string, replacements: Record<string, string>): string {
  let text = readFileSync(file, 'utf8');
  for (const [placeholder, value] of Object.entries(replacements)) text = text.split(placeholder).join(value);
  const path = join(mkdtempSync(join(tmpdir(), 'tandem-scenario-')), basename(file));
  writeFileSync(path, text);
  return path;
}

/** Runs sipp to completion. */
export function runSipp(options: SippOptions): Promise<SippResult> {
  return startSipp(options).done;
}
