/**
 * A SIP phone over TCP or TLS for end-to-end tests (sipp here has no TLS): it writes its
 * requests and answers as text, frames what arrives by Content-Length, answers digest
 * challenges, and — as chan_sip expects of a phone behind a connection — takes calls on the
 * connection it registered over.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect as netConnect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions, type TlsOptions } from 'node:tls';

/** One SIP message as received. */
export interface SipText {
  readonly startLine: string;
  readonly text: string;
  header(name: string): string | undefined;
  readonly body: string;
}

function parse(text: string): SipText {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const [startLine = '', ...lines] = head.split('\r\n');
  return {
    startLine,
    text,
    body,
    header(name: string): string | undefined {
      const wanted = name.toLowerCase();
      const line = lines.find((candidate) => candidate.slice(0, candidate.indexOf(':')).trim().toLowerCase() === wanted);
      return line?.slice(line.indexOf(':') + 1).trim();
    },
  };
}

/** An SDP offering PCMU at `rtp` (`address:port`). */
function sdpFor(user: string, rtp: string): string {
  const [host = '', port = ''] = rtp.split(':');
  return ['v=0', `o=${user} 1 1 IN IP4 ${host}`, 's=-', `c=IN IP4 ${host}`, 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
}

/** A client-to-server text frame, masked as RFC 6455 §5.3 requires. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}

/** One complete unmasked frame at the start of `buffer` (payloads under 64 KiB), or undefined. */
function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = (buffer[0] ?? 0) & 0x0f;
  let length = (buffer[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  }
  if (buffer.length < offset + length) return undefined;
  return { opcode, payload: buffer.subarray(offset, offset + length), length: offset + length };
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** The `Authorization` value answering a `WWW-Authenticate` challenge (RFC 2617, no qop). */
function digestAnswer(challenge: string, method: string, uri: string, user: string, password: string): string {
  const param = (name: string): string => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const response = md5(`${md5(`${user}:${realm}:${password}`)}:${nonce}:${md5(`${method}:${uri}`)}`);
  return `Digest username="${user}", realm="${realm}", algorithm=MD5, uri="${uri}", nonce="${nonce}", response="${response}"`;
}

/** A connected phone. */
export class StreamPhone implements AsyncDisposable {
  /** Every message received, in order. */
  readonly received: SipText[] = [];
  readonly #socket: Socket;
  readonly #transport: 'tcp' | 'tls' | 'ws';
  #buffer = Buffer.alloc(0);
  #waiters: { match: (message: SipText) => boolean; resolve: (message: SipText) => void; reject: (error: Error) => void }[] = [];
  #closed = false;
  readonly #taken = new Set<SipText>();
  #cseq = 1;
  readonly #tag = randomBytes(4).toString('hex');
  readonly #invalidHost = `${randomBytes(5).toString('hex')}.invalid`;

  private constructor(socket: Socket, transport: 'tcp' | 'tls' | 'ws', head: Buffer = Buffer.alloc(0)) {
    this.#socket = socket;
    this.#transport = transport;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    if (head.length > 0) queueMicrotask(() => this.#receive(head));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#closed = true;
      for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('the connection closed'));
    });
  }

  /**
   * Connects to `host:port` from `localAddress` (TLS: `tls` carries the CA and a client
   * certificate; WS: an RFC 6455 upgrade to the `sip` subprotocol on `path`, RFC 7118).
   */
  static async connect(options: { transport: 'tcp' | 'tls' | 'ws'; host: string; port: number; localAddress: string; tls?: ConnectionOptions; path?: string }): Promise<StreamPhone> {
    const socket =
      options.transport === 'tls'
        ? // TLS over a TCP socket bound to the phone's own address (ConnectionOptions has no localAddress).
          tlsConnect({ ...options.tls, host: options.host, socket: netConnect({ host: options.host, port: options.port, localAddress: options.localAddress }) })
        : netConnect({ host: options.host, port: options.port, localAddress: options.localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.transport === 'tls' ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    if (options.transport !== 'ws') return new StreamPhone(socket, options.transport);
    const key = randomBytes(16).toString('base64');
    socket.write(
      [`GET ${options.path ?? '/ws'} HTTP/1.1`, `Host: ${options.host}:${options.port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: sip', '', ''].join('\r\n'),
    );
    const head = await new Promise<Buffer<ArrayBufferLike>>((resolve, reject) => {
      let received = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = received.subarray(0, end).toString('latin1');
        if (!/^HTTP\/1\.1 101/.test(status) || !/^sec-websocket-protocol:\s*sip\s*$/im.test(status)) reject(new Error(`WebSocket upgrade refused:\n${status}`));
        else resolve(received.subarray(end + 4));
      };
      socket.on('data', onData);
    });
    return new StreamPhone(socket, 'ws', head);
  }

  /** Listens on `address:port`; `accepted` resolves with the phone of the first connection. */
  static listen(options: { transport: 'tcp' | 'tls'; address: string; port: number; tls?: TlsOptions }): { server: Server; accepted: Promise<StreamPhone> } {
    let accept: (phone: StreamPhone) => void = () => undefined;
    const accepted = new Promise<StreamPhone>((resolve) => {
      accept = resolve;
    });
    const onSocket = (socket: Socket): void => accept(new StreamPhone(socket, options.transport));
    const server = options.transport === 'tls' ? createTlsServer(options.tls ?? {}, onSocket) : createNetServer(onSocket);
    server.listen(options.port, options.address);
    return { server, accepted };
  }

  /** Our end of the connection, as written in Via and Contact (RFC 7118 §5.2: a made-up `.invalid` host on WebSocket). */
  get local(): string {
    if (this.#transport === 'ws') return this.#invalidHost;
    return `${this.#socket.localAddress ?? ''}:${this.#socket.localPort ?? 0}`;
  }

  get #via(): string {
    return `SIP/2.0/${this.#transport.toUpperCase()} ${this.local};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`;
  }

  /** Writes a message (the Content-Length is added). */
  send(lines: readonly string[], body = ''): void {
    const message = `${[...lines, `Content-Length: ${Buffer.byteLength(body)}`].join('\r\n')}\r\n\r\n${body}`;
    this.#socket.write(this.#transport === 'ws' ? maskedTextFrame(message) : message);
  }

  /** The next received message matching `match` (one already received and not yet taken counts). */
  next(match: (message: SipText) => boolean, timeoutMs = 10_000): Promise<SipText> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching SIP message within ${timeoutMs} ms; got:\n${this.received.map((m) => m.startLine).join('\n')}`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#deliver();
      if (this.#closed) for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('the connection is closed'));
    });
  }

  /** A request's lines: request line, Via, Max-Forwards, From (our tag), To, Call-ID, CSeq, then `extra`. */
  #request(method: string, uri: string, dialog: { from: string; to: string; callId: string }, cseq: number, extra: readonly string[] = []): string[] {
    return [`${method} ${uri} SIP/2.0`, `Via: ${this.#via}`, 'Max-Forwards: 70', `From: ${dialog.from};tag=${this.#tag}`, `To: ${dialog.to}`, `Call-ID: ${dialog.callId}`, `CSeq: ${cseq} ${method}`, ...extra];
  }

  /** The end of our Contact URIs: the transport parameter and the closing bracket. */
  get #contactEnd(): string {
    return `;transport=${this.#transport}>`;
  }

  /** REGISTERs `user` at `registrar` (host:port), answering the 401; resolves with the 200. */
  async register(user: string, password: string, registrar: string, expires = 300): Promise<SipText> {
    const dialog = { from: `<sip:${user}@${registrar}>`, to: `<sip:${user}@${registrar}>`, callId: `${randomBytes(8).toString('hex')}@stream` };
    const uri = `sip:${registrar}`;
    const extra = [`Contact: <sip:${user}@${this.local}${this.#contactEnd}`, `Expires: ${expires}`];
    const answer = (message: SipText): boolean => message.header('Call-ID') === dialog.callId && /^SIP\/2\.0 [2-6]\d\d/.test(message.startLine);
    this.send(this.#request('REGISTER', uri, dialog, this.#cseq++, extra));
    const challenge = await this.next(answer);
    if (!challenge.startLine.startsWith('SIP/2.0 401')) return challenge;
    const authorization = digestAnswer(challenge.header('WWW-Authenticate') ?? '', 'REGISTER', uri, user, password);
    this.send(this.#request('REGISTER', uri, dialog, this.#cseq++, [...extra, `Authorization: ${authorization}`]));
    return this.next(answer);
  }

  /**
   * Calls `exten` at `server` (host:port) with digest authentication; resolves with the 200
   * after sending the ACK, and returns a function that hangs up with BYE.
   */
  async call(exten: string, user: string, password: string, server: string, rtp: string): Promise<{ ok: SipText; hangup: () => Promise<SipText> }> {
    const dialog = { from: `<sip:${user}@${server}>`, to: `<sip:${exten}@${server}>`, callId: `${randomBytes(8).toString('hex')}@stream` };
    const uri = `sip:${exten}@${server}`;
    const sdp = sdpFor(user, rtp);
    const contact = `Contact: <sip:${user}@${this.local}${this.#contactEnd}`;
    const final = (message: SipText): boolean => message.header('Call-ID') === dialog.callId && /^SIP\/2\.0 [2-6]\d\d/.test(message.startLine);
    let cseq = this.#cseq++;
    this.send(this.#request('INVITE', uri, dialog, cseq, [contact, 'Content-Type: application/sdp']), sdp);
    let answer = await this.next(final);
    if (/^SIP\/2\.0 401/.test(answer.startLine)) {
      this.send(this.#request('ACK', uri, { ...dialog, to: answer.header('To') ?? '' }, cseq));
      cseq = this.#cseq++;
      const authorization = digestAnswer(answer.header('WWW-Authenticate') ?? '', 'INVITE', uri, user, password);
      this.send(this.#request('INVITE', uri, dialog, cseq, [contact, `Authorization: ${authorization}`, 'Content-Type: application/sdp']), sdp);
      answer = await this.next(final);
    }
    const confirmed = { ...dialog, to: answer.header('To') ?? '' };
    this.send(this.#request('ACK', uri, confirmed, cseq));
    const target = /<([^>]+)>/.exec(answer.header('Contact') ?? '')?.[1] ?? uri;
    const hangup = async (): Promise<SipText> => {
      const bye = this.#cseq++;
      this.send(this.#request('BYE', target, confirmed, bye));
      return this.next((message) => message.header('Call-ID') === dialog.callId && message.header('CSeq') === `${bye} BYE`);
    };
    return { ok: answer, hangup };
  }

  /** Waits for an INVITE, rings and answers it (SDP at `rtp`), waits for the ACK; resolves with the INVITE. */
  async answer(rtp: string): Promise<SipText> {
    const invite = await this.next((message) => message.startLine.startsWith('INVITE '));
    const tag = randomBytes(4).toString('hex');
    const copied = ['Via', 'From', 'Call-ID', 'CSeq'].map((name) => `${name}: ${invite.header(name) ?? ''}`);
    const to = `To: ${invite.header('To') ?? ''};tag=${tag}`;
    const [viaLine, fromLine, callIdLine, cseqLine] = copied as [string, string, string, string];
    this.send(['SIP/2.0 180 Ringing', viaLine, fromLine, to, callIdLine, cseqLine, `Contact: <sip:callee@${this.local}${this.#contactEnd}`]);
    this.send(['SIP/2.0 200 OK', viaLine, fromLine, to, callIdLine, cseqLine, `Contact: <sip:callee@${this.local}${this.#contactEnd}`, 'Content-Type: application/sdp'], sdpFor('callee', rtp));
    await this.next((message) => message.startLine.startsWith('ACK ') && message.header('Call-ID') === invite.header('Call-ID'));
    return invite;
  }

  /** Waits for a BYE and answers it 200. */
  async answerBye(timeoutMs?: number): Promise<SipText> {
    const bye = await this.next((message) => message.startLine.startsWith('BYE '), timeoutMs);
    this.send(['SIP/2.0 200 OK', ...['Via', 'From', 'To', 'Call-ID', 'CSeq'].map((name) => `${name}: ${bye.header(name) ?? ''}`)]);
    return bye;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.end(() => resolve()));
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (this.#transport === 'ws') {
      // RFC 7118 §5: one SIP message per WebSocket message (server frames are not masked).
      for (let frame = readFrame(this.#buffer); frame !== undefined; frame = readFrame(this.#buffer)) {
        this.#buffer = this.#buffer.subarray(frame.length);
        if (frame.opcode === 0x1 || frame.opcode === 0x2) {
          this.received.push(parse(frame.payload.toString('utf8')));
          this.#deliver();
        }
      }
      return;
    }
    for (;;) {
      // Keep-alive CRLFs between messages (RFC 5626) are skipped.
      while (this.#buffer.length >= 2 && this.#buffer[0] === 0x0d && this.#buffer[1] === 0x0a) this.#buffer = this.#buffer.subarray(2);
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.#buffer.subarray(0, end).toString('latin1');
      const length = Number(/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head)?.[1] ?? '0');
      if (this.#buffer.length < end + 4 + length) return;
      const text = this.#buffer.subarray(0, end + 4 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(end + 4 + length);
      this.received.push(parse(text));
      this.#deliver();
    }
  }

  #deliver(): void {
    for (const waiter of [...this.#waiters]) {
      const message = this.received.find((candidate) => !this.#taken.has(candidate) && waiter.match(candidate));
      if (message === undefined) continue;
      this.#taken.add(message);
      this.#waiters = this.#waiters.filter((entry) => entry !== waiter);
      waiter.resolve(message);
    }
  }
}
