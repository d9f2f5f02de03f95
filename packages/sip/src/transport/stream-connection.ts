import type { Socket } from 'node:net';
import { ConnectionBase, type ConnectionInit } from './connection-base.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './sip-connection.js';
import { StreamFramer } from './stream-framer.js';

/** A TCP or TLS connection carrying SIP messages framed by Content-Length. */
export class StreamConnection extends ConnectionBase<'tcp' | 'tls'> {
  readonly #socket: Socket;
  readonly #framer: StreamFramer;

  constructor(init: Omit<ConnectionInit<'tcp' | 'tls'>, 'remote' | 'local'> & { socket: Socket }) {
    const { socket } = init;
    super({
      ...init,
      remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
    });
    this.#socket = socket;
    this.#framer = new StreamFramer(init.limits.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.reportError(error));
    socket.on('close', () => this.closed());
    if (init.limits.idleTimeoutMs !== undefined) socket.setTimeout(init.limits.idleTimeoutMs, () => this.close());
  }

  protected write(bytes: Buffer, done: (error?: Error | null) => void): void {
    this.#socket.write(bytes, done);
  }

  protected destroyTransport(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    for (const frame of this.#framer.push(chunk)) {
      switch (frame.kind) {
        case 'message':
          this.deliver(frame.bytes);
          break;
        case 'ping':
          // RFC 5626 §4.4.1: answer a CRLFCRLF ping with a CRLF pong.
          this.#socket.write('\r\n');
          break;
        case 'too-large':
          this.rejectTooLarge(frame.size);
          return;
      }
    }
  }
}
