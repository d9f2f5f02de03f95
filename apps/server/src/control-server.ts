import { createConnection, createServer, type Server } from 'node:net';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseControlRequest, type ControlReply } from './control-protocol.js';

/** Runs one CLI command line and returns its reply. */
export type CommandRunner = (command: string) => Promise<ControlReply>;

/**
 * Serves the control socket: each connection sends request lines and gets one reply line each.
 * A stale socket file from a crashed server is replaced. Errors once listening (accept()
 * failing with EMFILE while calls hold every descriptor) go to `onError`: the CLI client sees
 * its connection fail, the server carries on.
 */
export async function serveControlSocket(path: string, run: CommandRunner, onError: (error: Error) => void = () => undefined): Promise<Server> {
  mkdirSync(dirname(path), { recursive: true });
  // A socket file that still answers belongs to a running server: never take it over.
  if (await answers(path)) throw new Error(`another Tandem is running with the control socket ${path}`);
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const request = parseControlRequest(line);
        const reply: Promise<ControlReply> = request
          ? run(request.command).catch((error: unknown) => ({
              ok: false,
              output: `command failed: ${error instanceof Error ? error.message : String(error)}\n`,
            }))
          : Promise.resolve({ ok: false, output: 'malformed control request\n' });
        void reply.then((answer) => {
          if (!socket.destroyed) socket.write(JSON.stringify(answer) + '\n');
        });
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      server.on('error', onError);
      resolve();
    });
  });
  return server;
}

/** Whether something accepts connections on the Unix socket at `path` (a stale file does not). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    const done = (result: boolean): void => {
      probe.destroy();
      resolve(result);
    };
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
    probe.setTimeout(1000, () => done(false));
  });
}
