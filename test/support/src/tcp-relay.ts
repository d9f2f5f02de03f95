import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Where a relay forwards to. */
export interface TcpRelayTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * A TCP relay in front of a database server, to take it "down" for its clients (the listener
 * closes and every relayed connection is cut) and bring it back on the same address and port.
 */
export class TcpRelay {
  readonly #target: TcpRelayTarget;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  /** The port it listens on (chosen by the system on the first start). */
  port = 0;

  /** A relay listening on `address` (default 127.0.0.1) toward `target`. */
  constructor(target: TcpRelayTarget, readonly address = '127.0.0.1') {
    this.#target = target;
  }

  /** Listens (a free port the first time, the same one afterwards). */
  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.#target);
      this.#sockets.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.address, () => resolve());
    });
    const bound = server.address();
    if (bound !== null && typeof bound === 'object') this.port = bound.port;
    this.#server = server;
  }

  /** Closes the listener and cuts every relayed connection. */
  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    const server = this.#server;
    this.#server = undefined;
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }
}
