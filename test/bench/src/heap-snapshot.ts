import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of a V8 heap snapshot this reader needs. */
interface SnapshotJson {
  readonly snapshot: { readonly meta: { readonly node_fields: readonly string[] } };
  readonly nodes: readonly number[];
}

/**
 * Live JavaScript heap of a server started with `--heapsnapshot-signal=SIGUSR2
 * --diagnostic-dir DIR`: signals it, waits for the snapshot (V8 takes it after a full GC, so
 * only reachable objects count), and returns the sum of every node's self size in bytes. The
 * snapshot file is deleted afterwards.
 */
export async function liveHeapBytes(signal: () => void, dir: string): Promise<number> {
  const before = new Set(readdirSync(dir));
  signal();
  let file: string | undefined;
  let lastSize = -1;
  for (let waited = 0; waited < 120_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    file ??= readdirSync(dir).find((name) => name.endsWith('.heapsnapshot') && !before.has(name));
    if (file === undefined) continue;
    // V8 writes the snapshot as a stream: it is done when it parses.
    const text = readFileSync(join(dir, file), 'utf8');
    if (text.length === lastSize) {
      try {
        const json = JSON.parse(text) as SnapshotJson;
        rmSync(join(dir, file));
        return sumSelfSizes(json);
      } catch {
        // Not complete yet.
      }
    }
    lastSize = text.length;
  }
  throw new Error('no heap snapshot written within 120 s');
}

function sumSelfSizes(json: SnapshotJson): number {
  const fields = json.snapshot.meta.node_fields;
  const width = fields.length;
  const offset = fields.indexOf('self_size');
  let total = 0;
  for (let index = offset; index < json.nodes.length; index += width) total += json.nodes[index] ?? 0;
  return total;
}
