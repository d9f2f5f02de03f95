import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory holding config files (and the server's data). */
export interface ConfDir extends AsyncDisposable {
  readonly path: string;
  /** Writes (or replaces) a file relative to the directory. */
  write(name: string, content: string): void;
  remove(): void;
}

/** Creates a temporary config directory with the given files (`{ 'sip.conf': '...' }`). */
export function useConfDir(files: Record<string, string>): ConfDir {
  const path = mkdtempSync(join(tmpdir(), 'tandem-e2e-'));
  const write = (name: string, content: string): void => {
    const file = join(path, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  for (const [name, content] of Object.entries(files)) write(name, content);
  const remove = (): void => rmSync(path, { recursive: true, force: true });
  return { path, write, remove, [Symbol.asyncDispose]: async () => remove() };
}
