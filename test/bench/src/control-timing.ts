import { createConnection } from 'node:net';
import { performance } from 'node:perf_hooks';

/** How long one CLI command took over the control socket, and how much it printed. */
export interface CommandTiming {
  readonly ms: number;
  readonly bytes: number;
  readonly output: string;
}

/**
 * Sends `command` on the server's control socket (newline-delimited JSON) and times it until
 * the whole reply line has arrived.
 */
export function timeCommand(controlPath: string, command: string, timeoutMs = 120_000): Promise<CommandTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = createConnection(controlPath);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to '${command}' within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify({ command })}\n`));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!chunk.includes(10)) return;
      const ms = performance.now() - started;
      clearTimeout(timer);
      socket.end();
      const line = Buffer.concat(chunks).toString('utf8');
      const reply: unknown = JSON.parse(line.slice(0, line.indexOf('\n')));
      const output = typeof reply === 'object' && reply !== null && 'output' in reply && typeof reply.output === 'string' ? reply.output : '';
      resolve({ ms, bytes: Buffer.byteLength(output), output });
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
