// The relay core over real loopback RTP: ports, relaying, transcoding, counters, RTCP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MediaEngine, MediaError } from '../src/index.js';
import type { MediaEndpoint } from '../src/index.js';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './support/g711-reference.js';
import { buildRtp, parseRtp, sendStream, sleep, UdpParty } from './support/rtp-party.js';

const PCMU = { payloadType: 0, name: 'PCMU', clockRate: 8000, ptimeMs: 20 } as const;
const PCMA = { payloadType: 8, name: 'PCMA', clockRate: 8000, ptimeMs: 20 } as const;

let engine: MediaEngine;
const parties: UdpParty[] = [];

async function party(address: string): Promise<UdpParty> {
  const opened = await UdpParty.open(address);
  parties.push(opened);
  return opened;
}

/** Two endpoints facing two parties, connected. */
async function call(codecs: { a?: typeof PCMU | typeof PCMA; b?: typeof PCMU | typeof PCMA } = {}) {
  const alice = await party('127.0.2.1');
  const bob = await party('127.0.2.2');
  const a = engine.allocate({ localAddress: '127.0.0.1' });
  const b = engine.allocate({ localAddress: '127.0.0.1' });
  a.setRemote(alice.address, alice.port);
  b.setRemote(bob.address, bob.port);
  a.setCodec(codecs.a ?? PCMU);
  b.setCodec(codecs.b ?? PCMU);
  a.connect(b);
  return { alice, bob, a, b };
}

// endpointsPerThread 1: the two legs of a call land on different I/O threads, so connect()
// hands one over to the other's thread, as under a full load.
const SPREAD = { threads: 2, endpointsPerThread: 1 } as const;

beforeEach(() => {
  engine = MediaEngine.open({ portStart: 40000, portEnd: 40099, ...SPREAD });
});

afterEach(async () => {
  for (const p of parties.splice(0)) p.close();
  await engine.close();
});

describe('port pool', () => {
  it('binds RTP on an even port and RTCP on the next, inside the range', () => {
    const endpoint = engine.allocate({ localAddress: '127.0.0.1' });
    expect(endpoint.rtpPort % 2).toBe(0);
    expect(endpoint.rtcpPort).toBe(endpoint.rtpPort + 1);
    expect(endpoint.rtpPort).toBeGreaterThanOrEqual(40000);
    expect(endpoint.rtpPort).toBeLessThanOrEqual(40099);
    expect(engine.portsInUse).toBe(1);
    endpoint.release();
    expect(engine.portsInUse).toBe(0);
  });

  it("reports 'no-ports' when the range is exhausted and reuses a released pair at once", async () => {
    await engine.close();
    engine = MediaEngine.open({ portStart: 40100, portEnd: 40103, threads: 1 });
    const first = engine.allocate({ localAddress: '127.0.0.1' });
    const second = engine.allocate({ localAddress: '127.0.0.1' });
    expect(new Set([first.rtpPort, second.rtpPort])).toEqual(new Set([40100, 40102]));
    expect(() => engine.allocate({ localAddress: '127.0.0.1' })).toThrow(expect.objectContaining({ code: 'no-ports' }));
    const freed = first.rtpPort;
    first.release();
    expect(engine.allocate({ localAddress: '127.0.0.1' }).rtpPort).toBe(freed);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => engine.allocate({ localAddress: 'not-an-ip' })).toThrow(expect.objectContaining({ code: 'bad-argument' }));
    // 192.0.2.1 (TEST-NET-1) is not an address of this machine.
    expect(() => engine.allocate({ localAddress: '192.0.2.1' })).toThrow(expect.objectContaining({ code: 'bind-failed' }));
    const endpoint = engine.allocate({ localAddress: '127.0.0.1' });
    expect(() => endpoint.setRemote('example.com', 4000)).toThrow(MediaError);
    expect(() => endpoint.setRemote('127.0.0.1', 70000)).toThrow(expect.objectContaining({ code: 'bad-argument' }));
    expect(() => endpoint.setCodec({ ...PCMU, payloadType: 200 })).toThrow(expect.objectContaining({ code: 'bad-argument' }));
    expect(() => endpoint.connect(endpoint)).toThrow(expect.objectContaining({ code: 'bad-argument' }));
    endpoint.release();
    expect(() => endpoint.stats()).toThrow(expect.objectContaining({ code: 'released' }));
    expect(() => MediaEngine.open({ portStart: 5000, portEnd: 4000 })).toThrow(expect.objectContaining({ code: 'bad-argument' }));
    expect(() => MediaEngine.open({ portStart: 5000, portEnd: 5010, endpointsPerThread: 0 })).toThrow(
      expect.objectContaining({ code: 'bad-argument' }),
    );
  });
});

describe('relay', () => {
  it('relays RTP both ways unchanged between two parties of the same codec', async () => {
    const { alice, bob, a, b } = await call();
    await sendStream(alice, a.rtpPort, { count: 20, ssrc: 0xaaaa0001 });
    await sendStream(bob, b.rtpPort, { count: 20, ssrc: 0xbbbb0001 });
    const atBob = await bob.waitFor(20);
    const atAlice = await alice.waitFor(20);
    expect(atBob).toHaveLength(20);
    expect(atAlice).toHaveLength(20);
    // Media reaches each party from the other leg's RTP port (RTP is sent from the receive port).
    expect(atBob[0]!.port).toBe(b.rtpPort);
    expect(atAlice[0]!.port).toBe(a.rtpPort);
    const sent = buildRtp({ sequence: 1000, timestamp: 8000, ssrc: 0xaaaa0001, payload: Buffer.alloc(160, 0) });
    expect(atBob[0]!.data.equals(sent)).toBe(true);
    expect(a.stats()).toMatchObject({ rxPackets: 20, rxBytes: 20 * 172, txPackets: 20, lost: 0 });
    expect(b.stats()).toMatchObject({ rxPackets: 20, txPackets: 20, txBytes: 20 * 172 });
  });

  it('transcodes PCMU to PCMA and back, sample by sample, and maps payload types', async () => {
    const { alice, bob, a, b } = await call({ a: PCMU, b: PCMA });
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await alice.send(buildRtp({ sequence: 1, timestamp: 0, payloadType: 0, payload: every }), a.rtpPort);
    await bob.send(buildRtp({ sequence: 1, timestamp: 0, payloadType: 8, payload: every }), b.rtpPort);
    const [atBob] = await bob.waitFor(1);
    const [atAlice] = await alice.waitFor(1);
    const toBob = parseRtp(atBob!.data);
    const toAlice = parseRtp(atAlice!.data);
    expect(toBob.payloadType).toBe(8);
    expect(toAlice.payloadType).toBe(0);
    for (let code = 0; code < 256; code++) {
      expect(toBob.payload[code]).toBe(linearToAlaw(ulawToLinear(code)));
      expect(toAlice.payload[code]).toBe(linearToUlaw(alawToLinear(code)));
    }
    // Spot values: µ-law 0xFF and 0x7F are +0 and -0, both A-law 0xD5 (+8, the smallest level).
    expect(toBob.payload[0xff]).toBe(0xd5);
    expect(toBob.payload[0x7f]).toBe(0xd5);
    expect(toAlice.payload[0xd5]).toBe(0xfe); // +8 is exactly µ-law level 1
  });

  it('forwards RFC 4733 events under the other leg\'s telephone-event payload type', async () => {
    const { alice, bob, a, b } = await call();
    a.setCodec({ ...PCMU, telephoneEventPt: 101 });
    b.setCodec({ ...PCMU, telephoneEventPt: 96 });
    await sleep(20);
    await alice.send(buildRtp({ sequence: 5, timestamp: 160, payloadType: 101, payload: Buffer.from([5, 0x0a, 0, 160]) }), a.rtpPort);
    const [atBob] = await bob.waitFor(1);
    expect(parseRtp(atBob!.data).payloadType).toBe(96);
  });

  it('stops relaying on disconnect and honours the declared direction', async () => {
    const { alice, bob, a, b } = await call();
    a.setDirection('inactive');
    await sleep(20);
    await sendStream(alice, a.rtpPort, { count: 5 });
    await sendStream(bob, b.rtpPort, { count: 5 });
    await sleep(100);
    expect(bob.received).toHaveLength(0);
    expect(alice.received).toHaveLength(0);
    a.setDirection('recvonly'); // Tandem receives from alice but sends her nothing
    await sleep(20);
    await sendStream(alice, a.rtpPort, { count: 5, firstSequence: 2000 });
    await sendStream(bob, b.rtpPort, { count: 5, firstSequence: 2000 });
    await bob.waitFor(5);
    await sleep(50);
    expect(bob.received).toHaveLength(5);
    expect(alice.received).toHaveLength(0);
    a.setDirection('sendrecv');
    a.disconnect();
    await sleep(20);
    await sendStream(alice, a.rtpPort, { count: 5, firstSequence: 3000 });
    await sleep(100);
    expect(bob.received).toHaveLength(5);
    expect(a.stats().rxPackets).toBe(15);
  });
});

describe('relay under load and over IPv6', () => {
  it('relays a burst far larger than one read batch without losing the socket edge', async () => {
    const { alice, bob, a } = await call();
    // 150 packets: well past one drain (4 reads of 4), within the default socket buffers.
    for (let i = 0; i < 150; i++) alice.socket.send(buildRtp({ sequence: i, timestamp: i * 160 }), a.rtpPort, '127.0.0.1');
    const atBob = await bob.waitFor(150);
    expect(atBob).toHaveLength(150);
    expect(a.stats()).toMatchObject({ rxPackets: 150, lost: 0 });
  });

  it('relays between IPv6 parties on ::1', async () => {
    const alice = await party('::1');
    const bob = await party('::1');
    const a = engine.allocate({ localAddress: '::1' });
    const b = engine.allocate({ localAddress: '::1' });
    a.setRemote('::1', alice.port);
    b.setRemote('::1', bob.port);
    a.setCodec(PCMU);
    b.setCodec(PCMU);
    a.connect(b);
    await sendStream(alice, a.rtpPort, { count: 3, address: '::1' });
    await bob.waitFor(3);
    expect(bob.received).toHaveLength(3);
    expect(a.stats().remote).toEqual({ address: '::1', port: alice.port });
    expect(() => a.setRemote('127.0.0.1', 4000)).toThrow(expect.objectContaining({ code: 'bad-argument' }));
  });
});

describe('counters', () => {
  it('counts loss from sequence gaps (RFC 3550 A.3), across an SSRC change', async () => {
    const { alice, a } = await call();
    // 200 packets, every 10th never sent: 20 lost.
    await sendStream(alice, a.rtpPort, { count: 200, skip: (i) => i % 10 === 5 });
    // A new SSRC restarts sequence tracking; its 3 missing packets add to the total.
    await sendStream(alice, a.rtpPort, { count: 50, ssrc: 0x55667788, firstSequence: 60000, skip: (i) => i === 10 || i === 11 || i === 30 });
    await sleep(150);
    const stats = a.stats();
    expect(stats.rxPackets).toBe(180 + 47);
    expect(stats.lost).toBe(23);
  });

  it('measures RFC 3550 interarrival jitter against a known timing error', async () => {
    const { alice, a } = await call();
    // Sent back to back (arrival spread of microseconds) while timestamps advance 20 ms per
    // packet: every transit difference is 20 ms, so J_n = 20 * (1 - (15/16)^(n-1)) ms.
    const count = 120;
    for (let i = 0; i < count; i++) {
      alice.socket.send(buildRtp({ sequence: i, timestamp: i * 160 }), a.rtpPort, '127.0.0.1');
    }
    await sleep(200);
    const expected = 20 * (1 - (15 / 16) ** (count - 1));
    expect(a.stats().rxPackets).toBe(count);
    expect(a.stats().jitterMs).toBeGreaterThan(expected - 0.5);
    expect(a.stats().jitterMs).toBeLessThan(expected + 0.5);
  });

  it('reads RTCP receiver reports: fraction lost and round-trip time through the relay', async () => {
    const { alice, bob, a, b } = await call();
    const rtcpAlice = await party('127.0.2.1');
    const rtcpBob = await party('127.0.2.2');
    a.setRemote(alice.address, alice.port, { rtcpPort: rtcpAlice.port });
    b.setRemote(bob.address, bob.port, { rtcpPort: rtcpBob.port });
    await sleep(20);
    // Bob sends a sender report; it is relayed to Alice, whose RR then quotes it (LSR) with
    // DLSR = the time she held it, so the RTT is the loop time through the relay.
    const sr = Buffer.alloc(28);
    sr[0] = 0x80;
    sr[1] = 200;
    sr.writeUInt16BE(6, 2);
    sr.writeUInt32BE(0xbbbb0001, 4);
    sr.writeUInt32BE(0x12345678, 8);
    sr.writeUInt32BE(0x9abcdef0, 12);
    await rtcpBob.send(sr, b.rtcpPort);
    const [relayedSr] = await rtcpAlice.waitFor(1);
    const heldFrom = process.hrtime.bigint();
    expect(relayedSr!.data.equals(sr)).toBe(true);
    expect(relayedSr!.port).toBe(a.rtcpPort);
    await sleep(30);
    const rr = Buffer.alloc(32);
    rr[0] = 0x81;
    rr[1] = 201;
    rr.writeUInt16BE(7, 2);
    rr.writeUInt32BE(0xaaaa0001, 4);
    rr.writeUInt32BE(0xbbbb0001, 8);
    rr[12] = 64; // fraction lost 64/256
    rr.writeUInt32BE(0x56789abc, 24); // LSR: middle 32 bits of the SR's NTP timestamp
    const heldUnits = Number(((process.hrtime.bigint() - heldFrom) * 65536n) / 1_000_000_000n);
    rr.writeUInt32BE(heldUnits, 28);
    await rtcpAlice.send(rr, a.rtcpPort);
    const [relayedRr] = await rtcpBob.waitFor(1);
    expect(relayedRr!.data.equals(rr)).toBe(true);
    const rtcp = a.stats().rtcp;
    expect(rtcp?.fractionLost).toBe(0.25);
    expect(rtcp?.rttMs).toBeGreaterThanOrEqual(0);
    expect(rtcp?.rttMs).toBeLessThan(1000);
  });
});

describe('lifecycle', () => {
  it('survives 100 open/allocate/relay/release/close cycles', async () => {
    await engine.close();
    const alice = await party('127.0.2.3');
    const bob = await party('127.0.2.4');
    for (let cycle = 0; cycle < 100; cycle++) {
      const cycleEngine = MediaEngine.open({ portStart: 40200, portEnd: 40219, ...SPREAD });
      const a: MediaEndpoint = cycleEngine.allocate({ localAddress: '127.0.0.1' });
      const b = cycleEngine.allocate({ localAddress: '127.0.0.1' });
      a.setRemote(alice.address, alice.port);
      b.setRemote(bob.address, bob.port);
      a.setCodec(PCMU);
      b.setCodec(PCMA);
      a.connect(b);
      await alice.send(buildRtp({ sequence: cycle, timestamp: cycle * 160 }), a.rtpPort);
      if (cycle % 2 === 0) a.release();
      expect(cycleEngine.droppedEvents).toBe(0);
      await cycleEngine.close();
      expect(() => a.stats()).toThrow(MediaError);
    }
    engine = MediaEngine.open({ portStart: 40000, portEnd: 40099, ...SPREAD });
  });
});
