import { createSocket, type Socket } from 'node:dgram';

/** A party's RTP socket in a test: sends numbered packets and counts what arrives. */
export class RtpPeer implements AsyncDisposable {
  readonly received: Buffer[] = [];
  readonly #socket: Socket;

  private constructor(socket: Socket, readonly address: string, readonly port: number) {
    this.#socket = socket;
    socket.on('message', (data) => this.received.push(data));
  }

  /** Binds a UDP socket at `address:port` (port 0 = any). */
  static async bind(address: string, port = 0): Promise<RtpPeer> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => resolve());
    });
    return new RtpPeer(socket, address, socket.address().port);
  }

  /** Sends `count` PCMU packets (160-byte payload) every `intervalMs` to `host:port`. */
  async sendStream(host: string, port: number, count: number, intervalMs = 20, ssrc = 0x1234abcd): Promise<void> {
    for (let seq = 0; seq < count; seq++) {
      const packet = Buffer.alloc(12 + 160, 0xff);
      packet[0] = 0x80;
      packet[1] = seq === 0 ? 0x80 : 0x00;
      packet.writeUInt16BE(seq & 0xffff, 2);
      packet.writeUInt32BE((seq * 160) >>> 0, 4);
      packet.writeUInt32BE(ssrc >>> 0, 8);
      this.#socket.send(packet, port, host);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }
}
