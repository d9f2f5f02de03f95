import { createSocket, type Socket } from 'node:dgram';
import type { MediaAddress } from '../chan-sip/media-session.js';

/** One side of the relay: our socket toward a party and where that party wants its UDPTL. */
interface RelaySide {
  readonly socket: Socket;
  remote: MediaAddress | undefined;
}

/**
 * The UDPTL of a T.38 fax passed through a bridge (Asterisk relays T.38 frames between the two
 * channels' UDPTL instances): one UDP socket per party, each datagram received from one party
 * goes unchanged to the other party's address. The relay does not parse T.38; both parties
 * negotiated the same parameters through us.
 */
export class UdptlRelay {
  readonly #sides: [RelaySide, RelaySide];
  #closed = false;

  private constructor(a: Socket, b: Socket) {
    this.#sides = [
      { socket: a, remote: undefined },
      { socket: b, remote: undefined },
    ];
    this.#forward(0, 1);
    this.#forward(1, 0);
  }

  /** Opens the two sockets on `addressA` / `addressB` (our address toward each party), any free port. */
  static async open(addressA: string, addressB: string): Promise<UdptlRelay> {
    const a = await bound(addressA);
    try {
      return new UdptlRelay(a, await bound(addressB));
    } catch (error) {
      a.close();
      throw error;
    }
  }

  /** Our UDPTL port toward side 0 or 1 (what its SDP says). */
  port(side: 0 | 1): number {
    return this.#sides[side].socket.address().port;
  }

  /** Where side 0 or 1 wants its UDPTL (from its SDP). */
  setRemote(side: 0 | 1, remote: MediaAddress): void {
    this.#sides[side].remote = remote;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const side of this.#sides) side.socket.close();
  }

  #forward(from: 0 | 1, to: 0 | 1): void {
    this.#sides[from].socket.on('message', (datagram) => {
      const target = this.#sides[to];
      if (this.#closed || target.remote === undefined) return;
      target.socket.send(datagram, target.remote.port, target.remote.address);
    });
    // A send to an unreachable party must not end the process.
    this.#sides[from].socket.on('error', () => undefined);
  }
}

function bound(address: string): Promise<Socket> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
