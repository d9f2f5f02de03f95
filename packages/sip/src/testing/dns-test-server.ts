import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { decode, encode, type Answer, type NaptrData, type SrvData } from 'dns-packet';
import { SipError } from '../sip-error.js';

/** Records one name holds in a {@link DnsTestServer}. */
export interface DnsTestRecords {
  A?: string[];
  AAAA?: string[];
  SRV?: SrvData[];
  NAPTR?: NaptrData[];
}

/** One question the server saw. */
export interface DnsTestQuery {
  readonly name: string;
  readonly type: string;
}

/**
 * An authoritative DNS server for tests, built on `dns-packet`: serves A, AAAA, SRV and NAPTR over
 * UDP on loopback (NXDOMAIN for unknown names, an empty answer for a known name without that
 * type). Names listed in `silent` get no answer at all (a timeout).
 */
export class DnsTestServer {
  readonly #socket: Socket;
  readonly #zone = new Map<string, DnsTestRecords>();
  /** Every question received, in order. */
  readonly queries: DnsTestQuery[] = [];
  /** Names (lower case) whose questions are ignored, to make a resolver time out. */
  readonly silent = new Set<string>();

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (bytes, remote) => this.#answer(bytes, remote));
  }

  /**
   * Starts a server on `address` (default 127.0.0.1) and port (default 0 = any free port).
   * @throws {@link SipError} `bind-failed`.
   */
  static async start(options: { address?: string; port?: number; zone?: Record<string, DnsTestRecords> } = {}): Promise<DnsTestServer> {
    const address = options.address ?? '127.0.0.1';
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) => reject(new SipError('bind-failed', `DNS test server: ${error.message}`, { cause: error })));
      socket.bind(options.port ?? 0, address, () => resolve());
    });
    const server = new DnsTestServer(socket);
    for (const [name, records] of Object.entries(options.zone ?? {})) server.set(name, records);
    return server;
  }

  /** `address:port` for `setServers()` / `SipResolver({ servers })`. */
  get server(): string {
    const { address, port } = this.#socket.address();
    return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  }

  /** Replaces the records of `name`. */
  set(name: string, records: DnsTestRecords): void {
    this.#zone.set(name.toLowerCase().replace(/\.$/, ''), records);
  }

  /** Removes `name`. */
  delete(name: string): void {
    this.#zone.delete(name.toLowerCase().replace(/\.$/, ''));
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #answer(bytes: Buffer, remote: RemoteInfo): void {
    let query;
    try {
      query = decode(bytes);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (question === undefined) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    this.queries.push({ name, type: question.type });
    if (this.silent.has(name)) return;
    const records = this.#zone.get(name);
    const answers: Answer[] = [];
    const add = <T>(type: 'A' | 'AAAA' | 'SRV' | 'NAPTR', values: T[] | undefined) => {
      if (question.type !== type) return;
      for (const data of values ?? []) answers.push({ type, name: question.name, ttl: 60, class: 'IN', data } as Answer);
    };
    add('A', records?.A);
    add('AAAA', records?.AAAA);
    add('SRV', records?.SRV);
    add('NAPTR', records?.NAPTR);
    let response: Buffer;
    try {
      response = encode({
        type: 'response',
        id: query.id ?? 0,
        // AUTHORITATIVE_ANSWER | RECURSION_AVAILABLE, rcode NXDOMAIN (3) for unknown names.
        flags: (1 << 10) | (1 << 7) | (records === undefined ? 3 : 0),
        questions: [question],
        answers,
      });
    } catch {
      // Records the test wrote in the wrong shape: answer SERVFAIL rather than crash.
      response = encode({ type: 'response', id: query.id ?? 0, flags: (1 << 7) | 2, questions: [question] });
    }
    this.#socket.send(response, remote.port, remote.address);
  }
}
