import { createSocket, type Socket } from 'node:dgram';
import { SipError } from '../sip-error.js';
import { formatHostPort, ipFamily, normalizeAddress } from './address-family.js';
import type { MessageSource } from './transport-types.js';

/** Callbacks a transport reports to. */
export interface TransportSink {
  /** One complete message (a datagram or a framed stream message). */
  message(bytes: Buffer, source: MessageSource): void;
  /** An asynchronous failure (socket error, connection reset): never thrown. */
  error(error: SipError): void;
}

/** Largest UDP payload that fits in one IPv4 datagram. */
const MAX_DATAGRAM = 65_507;

/**
 * Receive buffer asked for (the kernel caps it at net.core.rmem_max). The default (about
 * 208 KiB) holds only ~100 datagrams, since each costs ~2 KiB of buffer whatever its size:
 * at hundreds of calls per second a 20-50 ms pause of the event loop (a garbage collection)
 * overflowed it, and each response dropped there cost a retransmission 500 ms later.
 */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * One UDP socket bound to an address (IPv4 or IPv6; `::` is dual-stack). Each datagram is one
 * message; replies leave from the socket the request arrived on (`connectionId` = listener id).
 */
export class UdpTransport {
  readonly id: string;
  readonly #socket: Socket;
  readonly #sink: TransportSink;
  #address = '';
  #port = 0;
  #closed = false;

  private constructor(socket: Socket, sink: TransportSink, id: string) {
    this.#socket = socket;
    this.#sink = sink;
    this.id = id;
  }

  /**
   * Binds a UDP socket.
   * @throws {@link SipError} `bind-failed` (address in use, not available, bad address).
   */
  static async bind(address: string, port: number, sink: TransportSink, id: string): Promise<UdpTransport> {
    const family = ipFamily(address);
    if (family === 0) throw new SipError('bind-failed', `UDP bind address '${address}' is not an IP address`);
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', reuseAddr: false });
    const transport = new UdpTransport(socket, sink, id);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        socket.close();
        reject(new SipError('bind-failed', `Cannot bind UDP ${formatHostPort(address, port)}: ${error.message}`, { cause: error }));
      };
      socket.once('error', onError);
      socket.bind({ address: normalizeAddress(address), port, exclusive: true }, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    } catch {
      // Not allowed here (a sandbox): the default buffer still works, with less headroom.
    }
    const bound = socket.address();
    transport.#address = normalizeAddress(bound.address);
    transport.#port = bound.port;
    socket.on('message', (bytes, remote) => transport.#receive(bytes, remote.address, remote.port));
    socket.on('error', (error) => sink.error(new SipError('transport-error', `UDP ${transport.#label()}: ${error.message}`, { cause: error })));
    return transport;
  }

  /** Bound address (without brackets). */
  get address(): string {
    return this.#address;
  }

  /** Bound port (the real one when 0 was asked). */
  get port(): number {
    return this.#port;
  }

  /** 4 or 6. */
  get family(): 4 | 6 {
    return ipFamily(this.#address) === 6 ? 6 : 4;
  }

  /**
   * Sends one datagram.
   * @throws {@link SipError} `message-too-large`, `transport-closed` or `transport-error`.
   */
  async send(bytes: Buffer, address: string, port: number): Promise<void> {
    if (this.#closed) throw new SipError('transport-closed', `UDP ${this.#label()} is closed`);
    if (bytes.length > MAX_DATAGRAM) throw new SipError('message-too-large', `${bytes.length} bytes do not fit in a UDP datagram`);
    const bare = normalizeAddress(address);
    // A dual-stack IPv6 socket reaches IPv4 peers through their IPv4-mapped address.
    const target = this.family === 6 && ipFamily(bare) === 4 ? `::ffff:${bare}` : bare;
    await new Promise<void>((resolve, reject) => {
      this.#socket.send(bytes, port, target, (error) => {
        if (error) reject(new SipError('transport-error', `UDP send to ${formatHostPort(address, port)}: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  /** Closes the socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #receive(bytes: Buffer, remoteAddress: string, remotePort: number): void {
    this.#sink.message(bytes, {
      transport: 'udp',
      remoteAddress: normalizeAddress(remoteAddress),
      remotePort,
      localAddress: this.#address,
      localPort: this.#port,
      connectionId: this.id,
    });
  }

  #label(): string {
    return formatHostPort(this.#address, this.#port);
  }
}
