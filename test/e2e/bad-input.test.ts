/**
 * Bad input at a running server: malformed and torture messages (reference §10.13, RFC 4475
 * style) over UDP and TCP get chan_sip's answer (normal, 400, 416, 481, 501) or none, seeded
 * fuzzed datagrams and TCP streams never get a malformed answer, and afterwards the server
 * still registers phones and connects a call (block 127.0.34.31-34).
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp, sipOptionsPing, startSipp, startTandem, type TandemProcess } from '@tandem/test-support';
import { phonesSipConf, registerPhone, sippPhone } from './phones.js';
import { PHONE_PORT, SIP_PORT, scenario } from './test-server.js';

const SERVER = '127.0.34.31';
const PROBE = '127.0.34.32';
const ALICE = '127.0.34.33';
const BOB = '127.0.34.34';

const server = { server: SERVER, sipPort: SIP_PORT };
const files = {
  'sip.conf': phonesSipConf(server, { alice: '', bob: '' }, 'tcpenable=yes'),
  'extensions.conf': `
[default]
exten => 100,1,Answer()

[phones]
exten => 200,1,Dial(SIP/bob,20)
`,
  'rtp.conf': '[general]\nrtpstart=22200\nrtpend=22300\n',
};

/** A well-formed OPTIONS from the probe to extension 100 (answered 200); `edit` rewrites it. */
function options(id: string, port: number, transport: 'UDP' | 'TCP' = 'UDP'): string[] {
  return [
    `OPTIONS sip:100@${SERVER}:${SIP_PORT} SIP/2.0`,
    `Via: SIP/2.0/${transport} ${PROBE}:${port};branch=z9hG4bK-${id};rport`,
    'Max-Forwards: 70',
    `From: "Probe" <sip:probe@${PROBE}>;tag=${id}`,
    `To: <sip:100@${SERVER}>`,
    `Call-ID: ${id}@${PROBE}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
  ];
}

const message = (lines: readonly string[], body = ''): string => `${lines.join('\r\n')}\r\n\r\n${body}`;
const without = (lines: readonly string[], header: string): string[] => lines.filter((line) => !line.toLowerCase().startsWith(`${header.toLowerCase()}:`));
const replacing = (lines: readonly string[], header: string, value: string): string[] =>
  lines.map((line) => (line.toLowerCase().startsWith(`${header.toLowerCase()}:`) ? value : line));

/** The probe's UDP socket: everything that comes back is recorded with the Call-ID it carries. */
class UdpProbe {
  readonly received: string[] = [];
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (data) => this.received.push(data.toString('latin1')));
  }

  static async open(): Promise<UdpProbe> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, PROBE, () => resolve()));
    return new UdpProbe(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  send(data: string | Buffer): void {
    this.#socket.send(data, SIP_PORT, SERVER);
  }

  /** Sends `data` and returns the status codes of the answers carrying `id` within `waitMs`. */
  async exchange(data: string | Buffer, id: string, waitMs = 400): Promise<number[]> {
    const from = this.received.length;
    this.send(data);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    return this.received
      .slice(from)
      .filter((text) => text.includes(id))
      .map((text) => Number(/^SIP\/2\.0 (\d{3}) /.exec(text)?.[1] ?? -1));
  }

  close(): void {
    this.#socket.close();
  }
}

/** Opens a TCP connection to the server; resolves with everything read until it closes or `waitMs` passes. */
async function tcpExchange(chunks: readonly (string | Buffer)[], waitMs = 500): Promise<{ text: string; closedByServer: boolean }> {
  const socket: TcpSocket = connect({ host: SERVER, port: SIP_PORT, localAddress: PROBE });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let text = '';
  let closedByServer = false;
  socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
  socket.on('end', () => (closedByServer = true));
  socket.on('error', () => (closedByServer = true));
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    socket.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  socket.destroy();
  return { text, closedByServer };
}

/** Status codes at the start of each response in a TCP byte stream. */
function statusesIn(stream: string): number[] {
  return [...stream.matchAll(/(?:^|\r\n\r\n)SIP\/2\.0 (\d{3}) /g)].map((match) => Number(match[1]));
}

/** A small seeded generator (mulberry32): the fuzz cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One mutation of a message: flipped bytes, cut or doubled ranges, inserted junk, huge numbers. */
function mutate(text: string, next: () => number): Buffer {
  const bytes = [...Buffer.from(text, 'latin1')];
  const at = () => Math.floor(next() * bytes.length);
  const rounds = 1 + Math.floor(next() * 4);
  for (let round = 0; round < rounds; round++) {
    const kind = Math.floor(next() * 7);
    const start = at();
    const length = 1 + Math.floor(next() * 24);
    switch (kind) {
      case 0:
        bytes[start] = Math.floor(next() * 256);
        break;
      case 1:
        bytes.splice(start, length);
        break;
      case 2:
        bytes.splice(start, 0, ...bytes.slice(start, start + length));
        break;
      case 3:
        bytes.splice(start, 0, ...Array.from({ length }, () => Math.floor(next() * 256)));
        break;
      case 4:
        bytes.splice(start, 0, ...Buffer.from(['\r\n', ':', ';', '<', '"', '\\', '%', '\r\n\r\n'][Math.floor(next() * 8)] ?? ''));
        break;
      case 5:
        bytes.splice(start, 0, ...Buffer.from(['4294967296', '-1', '99999999999999999999', '0', ''][Math.floor(next() * 5)] ?? ''));
        break;
      default:
        bytes.length = Math.max(1, start);
    }
  }
  return Buffer.from(bytes);
}

/** Message shapes the fuzzer starts from: OPTIONS, an INVITE with SDP, a REGISTER, a response. */
function fuzzSeeds(port: number): string[] {
  const invite = [
    `INVITE sip:200@${SERVER}:${SIP_PORT} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROBE}:${port};branch=z9hG4bK-fuzz-inv;rport`,
    'Max-Forwards: 70',
    `From: "Fuzz" <sip:alice@${SERVER}>;tag=fz1`,
    `To: <sip:200@${SERVER}>`,
    `Call-ID: fuzz-inv@${PROBE}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:alice@${PROBE}:${port}>`,
    'Content-Type: application/sdp',
  ];
  const sdp = `v=0\r\no=- 1 1 IN IP4 ${PROBE}\r\ns=-\r\nc=IN IP4 ${PROBE}\r\nt=0 0\r\nm=audio 7300 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n`;
  const register = [
    `REGISTER sip:${SERVER}:${SIP_PORT} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROBE}:${port};branch=z9hG4bK-fuzz-reg;rport`,
    `From: <sip:alice@${SERVER}>;tag=fz2`,
    `To: <sip:alice@${SERVER}>`,
    `Call-ID: fuzz-reg@${PROBE}`,
    'CSeq: 7 REGISTER',
    `Contact: <sip:alice@${PROBE}:${port}>;expires=60`,
    'Authorization: Digest username="alice", realm="asterisk", nonce="00000000", uri="sip:x", response="0123456789abcdef0123456789abcdef"',
    'Content-Length: 0',
  ];
  const response = ['SIP/2.0 200 OK', `Via: SIP/2.0/UDP ${SERVER}:${SIP_PORT};branch=z9hG4bK-nothing`, `From: <sip:a@${SERVER}>;tag=1`, `To: <sip:b@${PROBE}>;tag=2`, 'Call-ID: stray@x', 'CSeq: 1 OPTIONS', 'Content-Length: 0'];
  const ack = [
    `ACK sip:200@${SERVER}:${SIP_PORT} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROBE}:${port};branch=z9hG4bK-fuzz-ack;rport`,
    `From: <sip:alice@${SERVER}>;tag=fz1`,
    `To: <sip:200@${SERVER}>;tag=as0001`,
    `Call-ID: fuzz-inv@${PROBE}`,
    'CSeq: 1 ACK',
    'Content-Length: 0',
  ];
  const bye = replacing(replacing(ack, 'CSeq', 'CSeq: 2 BYE'), 'Via', `Via: SIP/2.0/UDP ${PROBE}:${port};branch=z9hG4bK-fuzz-bye;rport`).map((line) => line.replace(/^ACK /, 'BYE '));
  const inviteOk = replacing(response, 'CSeq', 'CSeq: 1 INVITE');
  return [
    message(options('fuzz-opt', port)),
    message([...invite, `Content-Length: ${sdp.length}`], sdp),
    message(register),
    message(response),
    message(ack),
    message(bye),
    message([...inviteOk.slice(0, -1), 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`], sdp),
  ];
}

const PHONES = { alice: sippPhone(server, 'alice', ALICE, PHONE_PORT), bob: sippPhone(server, 'bob', BOB, PHONE_PORT) };

describe('bad input', () => {
  let tandem: TandemProcess;
  let probe: UdpProbe;
  let serial = 0;
  const nextId = (): string => `bad${++serial}x${Date.now().toString(36)}`;

  beforeAll(async () => {
    tandem = await startTandem({ files, sipAddress: SERVER, sipPort: SIP_PORT });
    probe = await UdpProbe.open();
  });

  afterAll(async () => {
    probe?.close();
    await tandem?.[Symbol.asyncDispose]();
  });

  it('answers a well-formed OPTIONS 200 (the baseline the cases below are judged against)', async () => {
    const id = nextId();
    expect(await probe.exchange(message(options(id, probe.port)), id)).toEqual([200]);
  });

  // Reference §10.13: what chan_sip answers normally, with 400, with 416, or not at all.
  const udpCases: [string, (id: string, port: number) => string, number[]][] = [
    ['a negative Content-Length', (id, port) => message(replacing(options(id, port), 'Content-Length', 'Content-Length: -5')), [200]],
    ['a non-numeric Content-Length', (id, port) => message(replacing(options(id, port), 'Content-Length', 'Content-Length: lots')), [200]],
    ['a Content-Length beyond the datagram', (id, port) => message(replacing(options(id, port), 'Content-Length', 'Content-Length: 900')), [200]],
    ['a CSeq method that is not the request method', (id, port) => message(replacing(options(id, port), 'CSeq', 'CSeq: 1 INVITE')), [200]],
    ['a CSeq number above 2^32', (id, port) => message(replacing(options(id, port), 'CSeq', 'CSeq: 4294967296 OPTIONS')), [200]],
    ['an unclosed < in From', (id, port) => message(replacing(options(id, port), 'From', `From: <sip:probe@${PROBE};tag=${id}`)), [200]],
    ['a non-numeric Max-Forwards', (id, port) => message(replacing(options(id, port), 'Max-Forwards', 'Max-Forwards: many')), [200]],
    ['a header line without a colon', (id, port) => message([...options(id, port).slice(0, 3), 'This line has no colon', ...options(id, port).slice(3)]), [200]],
    // chan_sip's get_tag() finds no tag in it and goes on: the Request-URI decides.
    ['a To URI of an unknown scheme', (id, port) => message(replacing(options(id, port), 'To', `To: <xsip:100@${SERVER}>`)), [200]],
    ['no Call-ID', (id, port) => message([...without(options(id, port), 'Call-ID'), `X-Probe: ${id}`]), [400]],
    ['no CSeq', (id, port) => message(without(options(id, port), 'CSeq')), [400]],
    ['no From', (id, port) => message(without(options(id, port), 'From')), [400]],
    ['no To', (id, port) => message(without(options(id, port), 'To')), [400]],
    ['an unterminated quote in From', (id, port) => message(replacing(options(id, port), 'From', `From: "Probe <sip:probe@${PROBE}>;tag=${id}`)), [416]],
    ['no Via', (id, port) => message(without(options(id, port), 'Via')), []],
    ['version SIP/7.0', (id, port) => message([`OPTIONS sip:100@${SERVER}:${SIP_PORT} SIP/7.0`, ...options(id, port).slice(1)]), []],
    ['CRLFs before the request line', (id, port) => `\r\n\r\n${message(options(id, port))}`, []],
    ['an unknown method', (id, port) => message([`FROBNICATE sip:100@${SERVER} SIP/2.0`, ...replacing(options(id, port), 'CSeq', 'CSeq: 1 FROBNICATE').slice(1)]), [501]],
    ['a BYE outside any dialog', (id, port) => message([`BYE sip:100@${SERVER} SIP/2.0`, ...replacing(options(id, port), 'CSeq', 'CSeq: 1 BYE').slice(1)]), [481]],
    ['a CANCEL matching no INVITE', (id, port) => message([`CANCEL sip:100@${SERVER} SIP/2.0`, ...replacing(options(id, port), 'CSeq', 'CSeq: 1 CANCEL').slice(1)]), [481]],
    // RFC 4475 §3.1.1-style valid but unusual messages.
    [
      'compact header names in odd case (RFC 4475 §3.1.1.1)',
      (id, port) =>
        message([
          `OPTIONS sip:100@${SERVER}:${SIP_PORT} SIP/2.0`,
          `v: SIP/2.0/UDP ${PROBE}:${port};branch=z9hG4bK-${id};rport`,
          `f: <sip:probe@${PROBE}>;tag=${id}`,
          `t: <sip:100@${SERVER}>`,
          `i: ${id}@${PROBE}`,
          'cSeQ: 1 OPTIONS',
          'l: 0',
        ]),
      [200],
    ],
    [
      'folded header lines and spaces around colons (RFC 4475 §3.1.1.1)',
      (id, port) =>
        message([
          `OPTIONS sip:100@${SERVER}:${SIP_PORT} SIP/2.0`,
          `Via  :  SIP/2.0/UDP ${PROBE}:${port}`,
          `   ;branch=z9hG4bK-${id};rport`,
          `From:  "Probe"`,
          `\t<sip:probe@${PROBE}>;tag=${id}`,
          `To:<sip:100@${SERVER}>`,
          `Call-ID   :   ${id}@${PROBE}`,
          'CSeq: 1    OPTIONS',
          'Content-Length: 0',
        ]),
      [200],
    ],
    ['an unknown header with odd characters and a long value (RFC 4475 §3.1.1.2)', (id, port) => message([...options(id, port), `X-Odd-!%*_+\`'~: ${'a;b=<>"'.repeat(600)}`]), [200]],
    ['an unknown Request-URI parameter (RFC 4475 §3.1.1.7)', (id, port) => message([`OPTIONS sip:100@${SERVER}:${SIP_PORT};unknownparam=x;lr SIP/2.0`, ...options(id, port).slice(1)]), [200]],
  ];

  it.each(udpCases)('UDP: %s', async (_name, build, expected) => {
    const id = nextId();
    const answers = await probe.exchange(build(id, probe.port), id);
    // 400/416 are answered once per datagram; a normal answer may come again for a retransmission.
    expect([...new Set(answers)]).toEqual(expected);
  });

  it('UDP: ignores a response that belongs to no transaction, and bytes that are no SIP at all', async () => {
    const id = nextId();
    const stray = message(['SIP/2.0 200 OK', `Via: SIP/2.0/UDP ${SERVER}:${SIP_PORT};branch=z9hG4bK-${id}`, `From: <sip:a@${SERVER}>;tag=1`, `To: <sip:b@${PROBE}>;tag=2`, `Call-ID: ${id}`, 'CSeq: 1 OPTIONS', 'Content-Length: 0']);
    expect(await probe.exchange(stray, id)).toEqual([]);
    expect(await probe.exchange(Buffer.from([0x00, 0xff, 0x13, 0x37, ...Buffer.from(id)]), id)).toEqual([]);
    expect(await probe.exchange(`SIP/2.0 4294967301 better not break the receiver\r\nCall-ID: ${id}\r\n\r\n`, id)).toEqual([]);
  });

  it('TCP: answers a request written a few bytes at a time, and two requests in one write', async () => {
    const first = nextId();
    const text = message(options(first, 5999, 'TCP'));
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    expect(statusesIn((await tcpExchange(chunks)).text)).toEqual([200]);
    const a = nextId();
    const b = nextId();
    const both = await tcpExchange([message(options(a, 5999, 'TCP')) + message(options(b, 5999, 'TCP'))]);
    expect(statusesIn(both.text)).toEqual([200, 200]);
    expect(both.text).toContain(a);
    expect(both.text).toContain(b);
  });

  it('TCP: answers 400 to a request without Call-ID and keeps the connection', async () => {
    const broken = nextId();
    const fine = nextId();
    const result = await tcpExchange([message(without(options(broken, 5999, 'TCP'), 'Call-ID')), message(options(fine, 5999, 'TCP'))]);
    expect(statusesIn(result.text)).toEqual([400, 200]);
    expect(result.closedByServer).toBe(false);
  });

  it('TCP: closes the connection on a 64 KB request (reference §10.13)', async () => {
    const id = nextId();
    const huge = message([...options(id, 5999, 'TCP'), `X-Filler: ${'x'.repeat(64 * 1024)}`]);
    const result = await tcpExchange([huge], 800);
    expect(result.closedByServer).toBe(true);
    expect(statusesIn(result.text)).toEqual([]);
  });

  it('UDP: survives 3,000 fuzzed datagrams, every answer a well-formed SIP response', async () => {
    const next = random(0x7a4d3e);
    const seeds = fuzzSeeds(probe.port);
    const from = probe.received.length;
    for (let i = 0; i < 3000; i++) {
      probe.send(mutate(seeds[i % seeds.length] ?? '', next));
      // Bounded load: the machine is shared.
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const answers = probe.received.slice(from);
    // Many mutations stay parseable enough to be answered (400s, 401s, 404s, 481s...).
    expect(answers.length).toBeGreaterThan(300);
    for (const answer of answers) expect(answer).toMatch(/^SIP\/2\.0 [1-6]\d\d [^\r\n]*\r\n/);
    expect(await sipOptionsPing(SERVER, SIP_PORT)).toMatch(/^SIP\/2\.0 \d{3}/);
  });

  it('TCP: survives fuzzed streams cut at random places and connections dropped mid-message', async () => {
    const next = random(0x51c0de);
    const seeds = fuzzSeeds(5999).map((seed) => seed.replace(/SIP\/2\.0\/UDP/g, 'SIP/2.0/TCP'));
    const streams = await Promise.all(
      Array.from({ length: 40 }, async (_, stream) => {
        const pieces: Buffer[] = [];
        for (let i = 0; i < 6; i++) pieces.push(next() < 0.5 ? mutate(seeds[(stream + i) % seeds.length] ?? '', next) : Buffer.from(seeds[(stream + i) % seeds.length] ?? ''));
        const all = Buffer.concat(pieces);
        const cut = Math.floor(next() * all.length);
        const chunks = [all.subarray(0, cut), all.subarray(cut)];
        return (await tcpExchange(chunks, 300)).text;
      }),
    );
    for (const stream of streams) {
      for (const start of stream.split(/\r\n\r\n/)) {
        if (start.startsWith('SIP/2.0')) expect(start).toMatch(/^SIP\/2\.0 [1-6]\d\d /);
      }
    }
    expect(statusesIn((await tcpExchange([message(options(nextId(), 5999, 'TCP'))])).text)).toEqual([200]);
  });

  it('still registers phones and connects a call afterwards', async () => {
    for (const who of ['alice', 'bob'] as const) await registerPhone(PHONES[who], who);
    const bob = startSipp(PHONES.bob({ scenario: scenario('uas-answer.xml'), args: ['-set', 'rtpport', '7302'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = await runSipp(PHONES.alice({ scenario: scenario('uac-call.xml'), args: ['-s', '200', '-set', 'rtpport', '7300', '-d', '500'] }));
    const bobResult = await bob.done;
    expect(alice.exitCode, alice.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
    const uptime = await tandem.rx('core show uptime');
    expect(uptime.code).toBe(0);
    expect(tandem.output()).not.toMatch(/uncaught|unhandled|FATAL/i);
    // No request made a handler fail (a 500): errors and fatals are pino levels 50 and 60.
    expect(tandem.output().split('\n').filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });
});
