import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { expandGlob } from './glob-pattern.js';

/** What reading one file found. */
export type FileReadOutcome =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-regular' }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** What running an `#exec` command produced. */
export type ExecOutcome = { readonly ok: true; readonly output: string } | { readonly ok: false; readonly reason: string };

/** Where `#include` and `#exec` find their text: the config directory on disk. */
export interface IncludeSource {
  /** Absolute paths a `#include` argument names, in Asterisk's order. */
  expand(pattern: string): string[];
  read(absolutePath: string): FileReadOutcome;
  /** How a file is named in locations: relative to the config dir when inside it. */
  displayName(absolutePath: string): string;
  /** Absolute path of a file named relative to the config dir. */
  resolve(name: string): string;
  /** Runs an `#exec` command and returns its standard output. */
  exec(command: string): ExecOutcome;
}

/** Longest an `#exec` command may run before the include is abandoned. */
const EXEC_TIMEOUT_MS = 10_000;
const EXEC_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** An include source reading the real file system under `configDir`. */
export function diskIncludeSource(configDir: string): IncludeSource {
  const root = resolve(configDir);
  return {
    expand: (pattern) => expandGlob(root, pattern),
    read: readTextFile,
    displayName: (absolutePath) => {
      const inside = relative(root, absolutePath);
      return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : absolutePath;
    },
    resolve: (name) => resolve(root, name),
    exec: (command) => {
      // main/config.c handle_include_exec(): `popen("cmd 2>&1 > tmpfile")`, stdout is included.
      const result = spawnSync('/bin/sh', ['-c', command], {
        cwd: root,
        encoding: 'utf8',
        timeout: EXEC_TIMEOUT_MS,
        maxBuffer: EXEC_MAX_OUTPUT_BYTES,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      if (result.error) return { ok: false, reason: result.error.message };
      return { ok: true, output: result.stdout };
    },
  };
}

/** Reads a file as UTF-8, telling a missing file from one that is not a regular file. */
export function readTextFile(absolutePath: string): FileReadOutcome {
  try {
    if (!statSync(absolutePath).isFile()) return { kind: 'not-regular' };
    return { kind: 'text', text: readFileSync(absolutePath, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
}
