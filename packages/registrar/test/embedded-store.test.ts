import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../src/store/embedded-store.js';
import type { StoredBinding } from '../src/store/binding-store.js';
import { isRegistrarError } from '../src/registrar-error.js';
import { compileSourcesForChild } from './support/compiled-sources.js';
import { useTempDir } from './support/temp-dir.js';

const binding: StoredBinding = {
  peer: '1000',
  address: '127.0.3.10',
  port: 5062,
  transport: 'udp',
  expirySeconds: 3600,
  expiresAt: 1_900_000_000_000,
  defaultUser: '1000',
  fullContact: 'sip:1000@127.0.3.10:5062;ob',
  userAgent: 'Linphone/5.0',
  path: ['<sip:proxy.example;lr>'],
};

describe('EmbeddedStore', () => {
  it('keeps astdb entries and bindings across reopen', async () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    store.astDb.put('cidname', '5551234', 'Alice');
    store.bindings.save(binding);
    await store.durable();
    store.close();
    const again = EmbeddedStore.open({ dataDir: dir.path });
    expect(again.astDb.get('cidname', '5551234')).toBe('Alice');
    expect(again.bindings.load('1000')).toEqual(binding);
    expect(again.bindings.count()).toBe(1);
    expect(again.bindings.remove('1000')).toBe(true);
    expect(again.bindings.remove('1000')).toBe(false);
    again.close();
  });

  it('reads its own pending writes before they are committed', () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    store.astDb.put('f', 'k', 'v');
    expect(store.astDb.get('f', 'k')).toBe('v');
    store.close();
  });

  it('throws store-closed after close', () => {
    using dir = useTempDir();
    const store = EmbeddedStore.open({ dataDir: dir.path });
    store.close();
    expect(() => store.astDb.put('a', 'b', 'c')).toThrowError(expect.objectContaining({ code: 'store-closed' }));
  });

  it('reports an unusable data dir as store-failed', () => {
    using dir = useTempDir();
    const aFile = join(dir.path, 'file');
    writeFileSync(aFile, 'x');
    try {
      EmbeddedStore.open({ dataDir: join(aFile, 'data') });
      expect.unreachable();
    } catch (error) {
      expect(isRegistrarError(error) && error.code).toBe('store-failed');
    }
  });

  it('loses nothing acknowledged when the process is killed right after durable()', () => {
    using dir = useTempDir();
    // A child writes 500 bindings, awaits durable(), prints "acked", then SIGKILLs itself
    // before close(): everything acknowledged must be found afterwards.
    const compiled = compileSourcesForChild('crash');
    const script = `
      import { EmbeddedStore } from ${JSON.stringify(`${compiled}/store/embedded-store.js`)};
      const store = EmbeddedStore.open({ dataDir: ${JSON.stringify(dir.path)} });
      for (let i = 0; i < 500; i++) {
        store.bindings.save({ peer: 'p' + i, address: '127.0.3.1', port: 5060 + i, transport: 'udp',
          expirySeconds: 60, expiresAt: Date.now() + 60000, defaultUser: '', fullContact: 'sip:p@127.0.3.1', userAgent: '', path: [] });
      }
      await store.durable();
      process.stdout.write('acked');
      store.astDb.put('never', 'acked', 'x');
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout).toBe('acked');
    expect(child.signal).toBe('SIGKILL');
    const store = EmbeddedStore.open({ dataDir: dir.path });
    expect(store.bindings.count()).toBe(500);
    store.close();
  });
});
