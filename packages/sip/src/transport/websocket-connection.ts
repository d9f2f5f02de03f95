import type { WebSocket } from 'ws';
import { ConnectionBase, type ConnectionInit } from './connection-base.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './sip-connection.js';

/** A WebSocket (RFC 7118, subprotocol `sip`) carrying one SIP message per WebSocket message. */
export class WebSocketConnection extends ConnectionBase<'ws' | 'wss'> {
  readonly #socket: WebSocket;

  constructor(init: ConnectionInit<'ws' | 'wss'> & { socket: WebSocket }) {
    super(init);
    this.#socket = init.socket;
    const maxBytes = init.limits.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    init.socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (bytes.length > maxBytes) {
        this.rejectTooLarge(bytes.length);
        return;
      }
      // RFC 7118 §5: a WebSocket message holds exactly one SIP message; CRLF alone is a keep-alive.
      if (bytes.toString('latin1').trim().length > 0) this.deliver(bytes);
    });
    init.socket.on('error', (error) => this.reportError(error));
    init.socket.on('close', () => this.closed());
  }

  protected write(bytes: Buffer, done: (error?: Error | null) => void): void {
    // SIP is text: text frames, as chan_sip's websocket transport writes.
    this.#socket.send(bytes, { binary: false }, done);
  }

  protected destroyTransport(): void {
    this.#socket.close(1000);
    this.#socket.terminate();
  }
}
