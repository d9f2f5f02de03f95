import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
}

/** A sipp process running in the background (a UAS waiting for calls, say). */
export interface SippRun {
  readonly done: Promise<SippResult>;
  kill(): void;
}

/** Starts sipp without waiting for it. */
export function startSipp(options: SippOptions): SippRun {
  const work = mkdtempSync(join(tmpdir(), 'tandem-sipp-'));
  const messageFile = join(work, 'messages.log');
  const errorFile = join(work, 'errors.log');
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
      resolve({ exitCode: code, stdout, messages: read(messageFile), errors: read(errorFile) });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: -1, stdout: stdout + String(error), messages: '', errors: '' });
    });
  });
  return { done, kill: () => child.kill('SIGTERM') };
}

/** Runs sipp to completion. */
export function runSipp(options: SippOptions): Promise<SippResult> {
  return startSipp(options).done;
}
