import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRemoteCommand } from '../src/control-client.js';
import { serveControlSocket } from '../src/control-server.js';

describe('the control socket', () => {
  it('runs a command and returns its output and status', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tandem-ctl-')), 'ctl');
    const server = await serveControlSocket(path, async (command) =>
      command === 'fail' ? { ok: false, output: 'no\n' } : { ok: true, output: `ran ${command}\n` },
    );
    try {
      expect(await runRemoteCommand(path, 'sip show peers')).toEqual({ ok: true, output: 'ran sip show peers\n' });
      expect(await runRemoteCommand(path, 'fail')).toEqual({ ok: false, output: 'no\n' });
    } finally {
      server.close();
    }
  });

  it('reports a command that throws as a failure, and keeps serving', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tandem-ctl-')), 'ctl');
    const server = await serveControlSocket(path, async (command) => {
      if (command === 'boom') throw new Error('kaboom');
      return { ok: true, output: 'fine\n' };
    });
    try {
      expect(await runRemoteCommand(path, 'boom')).toEqual({ ok: false, output: 'command failed: kaboom\n' });
      expect(await runRemoteCommand(path, 'again')).toEqual({ ok: true, output: 'fine\n' });
    } finally {
      server.close();
    }
  });

  it('reports an accept failure (EMFILE while calls hold every descriptor) and keeps serving', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tandem-ctl-')), 'ctl');
    const errors: Error[] = [];
    const server = await serveControlSocket(path, async () => ({ ok: true, output: 'fine\n' }), (error) => errors.push(error));
    try {
      // What net.Server emits when accept() fails: without a listener, an uncaught 'error' ended the process.
      server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
      expect(errors.map((error) => error.message)).toEqual(['accept EMFILE']);
      expect(await runRemoteCommand(path, 'still there')).toEqual({ ok: true, output: 'fine\n' });
    } finally {
      server.close();
    }
  });

  it('says so when no server listens', async () => {
    await expect(runRemoteCommand(join(tmpdir(), 'no-such-tandem.ctl'), 'x')).rejects.toThrow(/cannot reach the server/);
  });
});
