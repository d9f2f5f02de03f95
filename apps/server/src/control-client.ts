import { createConnection } from 'node:net';
import { parseControlReply, type ControlReply } from './control-protocol.js';

/**
 * Sends one CLI command to the server listening on `controlPath` (the `-rx` mode) and
 * resolves with its reply. Rejects when no server answers.
 */
export function runRemoteCommand(controlPath: string, command: string, timeoutMs = 30_000): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(controlPath);
    // Chunks are kept apart: a 15 MB reply (`sip show peers` with 100,000 peers) searched
    // again after every chunk took seconds.
    const chunks: string[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from ${controlPath} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(JSON.stringify({ command }) + '\n'));
    socket.on('data', (chunk: string) => {
      const end = chunk.indexOf('\n');
      if (end < 0) {
        chunks.push(chunk);
        return;
      }
      chunks.push(chunk.slice(0, end));
      clearTimeout(timer);
      socket.end();
      const reply = parseControlReply(chunks.join(''));
      if (reply) resolve(reply);
      else reject(new Error('the server sent a malformed reply'));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach the server at ${controlPath}: ${error.message}`));
    });
  });
}
