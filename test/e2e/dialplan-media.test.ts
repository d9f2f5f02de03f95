/**
 * Dialplan media through the whole server (the media issue's "DTMF 2833 digits from the caller
 * reaching Read()/WaitExten; a played file received bit-exact at the far end in its codec"):
 * a sipp caller whose RTP is a UDP socket of the test. Playback of a bundled prompt arrives
 * byte for byte in PCMU and in PCMA; RFC 4733 digits sent by the socket drive Read(),
 * WaitExten() and BackGround(); SendDTMF() reaches the socket as RFC 4733 events. The Answer()
 * settle time (reference §10.9) is printed, never asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@tandem/test-support';
import { CallerMedia, type RtpPacket } from './dialplan-rtp.js';
import { callExpectingFailure, clearDatabaseValue, databaseValue, headerValues, received, settle, sipConf, startAnsweredCall, startCallee, type CallOptions, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, useTandem } from './test-server.js';

const net: DialplanNet = { server: '127.0.36.21', sipPort: SIP_PORT, caller: '127.0.36.22', callee: '127.0.36.23', phonePort: PHONE_PORT };
const RTP_PORT = 7100;

const files = {
  'sip.conf': sipConf(
    net,
    `[phone](!)
type=friend
host=dynamic
context=media
disallow=all
dtmfmode=rfc2833

[alice](phone)
allow=ulaw

[alaw](phone)
allow=alaw

[bob](phone)
host=${net.callee}
port=${net.phonePort}
allow=ulaw
`,
  ),
  'extensions.conf': `
[media]
exten => play,1,Answer()
 same => n,Playback(hello-world)
 same => n,Hangup()

exten => moh,1,Answer()
 same => n,MusicOnHold(,1)
 same => n,Hangup()

exten => read,1,Answer()
 same => n,Read(DIGITS,,4)
 same => n,Set(DB(e2e/read)=\${DIGITS}:\${READSTATUS})
 same => n,Read(HASH,,,,,3)
 same => n,Set(DB(e2e/read-hash)=\${HASH}:\${READSTATUS})
 same => n,Hangup()

exten => wait,1,Answer()
 same => n,WaitExten(10)
exten => 42,1,Set(DB(e2e/dtmf-route)=42 after WaitExten)
 same => n,Hangup()

exten => bg,1,Answer()
 same => n,BackGround(hello-world)
 same => n,Set(DB(e2e/dtmf-route)=BackGround not interrupted)
 same => n,Hangup()
exten => 7,1,Set(DB(e2e/dtmf-route)=7 during BackGround)
 same => n,Hangup()

exten => localplay,1,Dial(Local/play@media)
exten => localearly,1,Dial(Local/early@media)
exten => localbob,1,Dial(Local/bobearly@media)
exten => bobearly,1,Dial(SIP/bob)
exten => early,1,Progress()
 same => n,Playback(hello-world,noanswer)
 same => n,Busy()

exten => dtmfinfo,1,Answer()
 same => n,SIPDtmfMode(info)
 same => n,SendDTMF(5)
 same => n,Hangup()

exten => senddtmf,1,Answer()
 same => n,SendDTMF(19#,,120)
 same => n,Wait(0.5)
 same => n,Hangup()
`,
  'rtp.conf': rtpConf(22400),
};

/** The bundled prompt as the build wrote it (packages/media/sounds). */
const prompt = (name: string): Buffer => readFileSync(join(repoRoot, 'packages/media/sounds', name));

describe('dialplan media through the server', () => {
  const server = useTandem(files, net);

  /** Places an answered call; resolves with Tandem's relay port once the 200 OK arrived. */
  async function answeredCall(call: Omit<CallOptions, 'rtpPort'>): Promise<{ relayPort: number; answeredAt: number; done: ReturnType<typeof startAnsweredCall>['done'] }> {
    const sipp = startAnsweredCall(net, { ...call, rtpPort: RTP_PORT });
    const relay = await sipp.waitForLog(/relay=(\d+)/);
    const answeredAt = performance.now();
    expect(relay, sipp.logs()).toBeDefined();
    return { relayPort: Number(relay?.[1]), answeredAt, done: sipp.done };
  }

  /** Checks one played stream: one SSRC, consecutive sequence numbers, 160 samples per packet. */
  function expectSteadyStream(packets: readonly RtpPacket[]): void {
    expect(new Set(packets.map((packet) => packet.ssrc)).size).toBe(1);
    for (let i = 1; i < packets.length; i++) {
      const previous = packets[i - 1] as RtpPacket;
      const packet = packets[i] as RtpPacket;
      expect((packet.sequence - previous.sequence) & 0xffff).toBe(1);
      expect((packet.timestamp - previous.timestamp) >>> 0).toBe(previous.payload.length);
    }
  }

  it.each([
    ['alice', 'PCMU', 0, 'hello-world.ulaw'],
    ['alaw', 'PCMA', 8, 'hello-world.alaw'],
  ] as const)('Playback(hello-world) reaches a %s caller bit-exact in %s', async (from, codec, payloadType, file) => {
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const call = await answeredCall({ exten: 'play', from, codec });
    const result = await call.done;
    expect(result.exitCode, result.messages).toBe(0);
    const expected = prompt(file);
    const packets = media.packetsOf(payloadType);
    expectSteadyStream(packets);
    const received = Buffer.concat(packets.map((packet) => packet.payload));
    // The file arrives byte for byte; the engine completes the last 20 ms packet with silence
    // (Asterisk's RTP smoother would hold the incomplete frame back instead).
    expect(received.subarray(0, expected.length).equals(expected)).toBe(true);
    const padding = received.subarray(expected.length);
    expect(padding.length).toBeLessThan(160);
    expect(padding.every((byte) => byte === (payloadType === 8 ? 0xd5 : 0xff))).toBe(true);
    const first = packets[0];
    if (first !== undefined) {
      console.log(`[dialplan-media] ${codec}: ${packets.length} packets, first ${Math.round(first.at - call.answeredAt)} ms after the 200 OK (Answer() waits up to 500 ms for the caller's media; this caller sends none)`);
    }
  });

  it('MusicOnHold() without a musiconhold.conf plays the bundled default class, bit-exact, for its duration', async () => {
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const call = await answeredCall({ exten: 'moh', from: 'alice', codec: 'PCMU' });
    const result = await call.done;
    expect(result.exitCode, result.messages).toBe(0);
    const packets = media.packetsOf(0);
    expectSteadyStream(packets);
    // About one second of the music: ~50 packets, the file's bytes from its start.
    expect(packets.length).toBeGreaterThan(35);
    expect(packets.length).toBeLessThan(65);
    const received = Buffer.concat(packets.map((packet) => packet.payload));
    expect(received.equals(prompt('moh/tandem-lullaby.ulaw').subarray(0, received.length))).toBe(true);
  });

  it('Playback() in the dialplan of a Local channel reaches the caller who dialled it, bit-exact', async () => {
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const call = await answeredCall({ exten: 'localplay', from: 'alice' });
    expect((await call.done).exitCode).toBe(0);
    const received = Buffer.concat(media.packetsOf(0).map((packet) => packet.payload));
    const expected = prompt('hello-world.ulaw');
    expect(received.subarray(0, expected.length).equals(expected)).toBe(true);
  });

  it('early media from the dialplan of a Local channel: 183, the prompt, then 486', async () => {
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const result = await callExpectingFailure(net, { exten: 'localearly', from: 'alice', rtpPort: RTP_PORT }, 486);
    expect(result.exitCode, result.messages).toBe(0);
    expect(received(result.messages, '183')).toBeDefined();
    const audio = Buffer.concat(media.packetsOf(0).map((packet) => packet.payload));
    const expected = prompt('hello-world.ulaw');
    expect(audio.subarray(0, expected.length).equals(expected)).toBe(true);
  });

  it('a callee\'s early media reaches the caller through a Local channel', async () => {
    await using callerMedia = await CallerMedia.bind(net.caller, RTP_PORT);
    await using calleeMedia = await CallerMedia.bind(net.callee, 7102);
    const bob = startCallee(net, 'dialplan-callee-early-busy.xml', 7102, net.callee, ['-d', '1500']);
    await settle();
    const alice = callExpectingFailure(net, { exten: 'localbob', from: 'alice', rtpPort: RTP_PORT }, 486);
    const relay = await bob.waitForLog(/relay=(\d+)/);
    expect(relay, bob.logs()).toBeDefined();
    await settle(200);
    await calleeMedia.sendAudio(net.server, Number(relay?.[1]), 25);
    const [aliceResult, bobResult] = await Promise.all([alice, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
    expect(received(aliceResult.messages, '183')).toBeDefined();
    expect(callerMedia.packetsOf(0).length).toBeGreaterThan(15);
  });

  it('Answer() stops waiting at the caller\'s first RTP packet (reference §10.9): figure printed', async () => {
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const call = await answeredCall({ exten: 'play', from: 'alice' });
    await media.sendAudio(net.server, call.relayPort, 3);
    const packets = await media.waitForPackets(0, 1);
    const first = packets[0];
    expect(first).toBeDefined();
    if (first !== undefined) console.log(`[dialplan-media] with caller audio at once: first prompt packet ${Math.round(first.at - call.answeredAt)} ms after the 200 OK`);
    expect((await call.done).exitCode).toBe(0);
  });

  /**
   * Calls `exten` as alice, sends a little audio (Answer() continues at once), then each of
   * `steps`: wait for `waitFor` prompt packets if asked, send the digits, and read the astdb key
   * the dialplan wrote. Resolves with the values read and the packets the caller received.
   */
  async function dtmfCall(exten: string, steps: readonly { digits: string; key: string; waitForPrompt?: number }[]): Promise<{ values: (string | undefined)[]; media: RtpPacket[] }> {
    for (const step of steps) await clearDatabaseValue(server(), 'e2e', step.key);
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const call = await answeredCall({ exten, from: 'alice' });
    await media.sendAudio(net.server, call.relayPort, 2);
    const values: (string | undefined)[] = [];
    for (const step of steps) {
      if (step.waitForPrompt !== undefined) await media.waitForPackets(0, step.waitForPrompt);
      await media.sendDigits(net.server, call.relayPort, step.digits);
      values.push(await databaseValue(server(), 'e2e', step.key));
    }
    expect((await call.done).exitCode).toBe(0);
    return { values, media: media.packetsOf(0) };
  }

  it('RFC 4733 digits from the caller fill Read(); # ends a Read without a digit limit', async () => {
    const { values } = await dtmfCall('read', [
      { digits: '1234', key: 'read' },
      { digits: '98#', key: 'read-hash' },
    ]);
    expect(values).toEqual(['1234:OK', '98:OK']);
  });

  it('RFC 4733 digits choose the extension WaitExten() waits for', async () => {
    const { values } = await dtmfCall('wait', [{ digits: '42', key: 'dtmf-route' }]);
    expect(values).toEqual(['42 after WaitExten']);
  });

  it('a digit during BackGround() stops the prompt and jumps to its extension', async () => {
    const { values, media } = await dtmfCall('bg', [{ digits: '7', key: 'dtmf-route', waitForPrompt: 5 }]);
    expect(values).toEqual(['7 during BackGround']);
    // The prompt was cut short: less than the whole file reached the caller.
    const played = media.reduce((sum, packet) => sum + packet.payload.length, 0);
    expect(played).toBeLessThan(prompt('hello-world.ulaw').length);
  });

  it('SIPDtmfMode(info) switches the call to SIP INFO: SendDTMF() arrives as an INFO, no RFC 4733 event', async () => {
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const result = await startAnsweredCall(net, { exten: 'dtmfinfo', from: 'alice', rtpPort: RTP_PORT }, true).done;
    expect(result.exitCode, result.messages).toBe(0);
    const info = received(result.messages, 'INFO');
    expect(headerValues(info, 'Content-Type')).toEqual(['application/dtmf-relay']);
    expect(info?.text).toMatch(/Signal=5\r?\nDuration=\d+/);
    expect(media.packetsOf(101)).toHaveLength(0);
  });

  it('SendDTMF() reaches the caller as RFC 4733 events on the negotiated payload type', async () => {
    await using media = await CallerMedia.bind(net.caller, RTP_PORT);
    const call = await answeredCall({ exten: 'senddtmf', from: 'alice' });
    expect((await call.done).exitCode).toBe(0);
    const events = media.packetsOf(101);
    const digits = [...new Set(events.filter((packet) => ((packet.payload[1] ?? 0) & 0x80) !== 0).map((packet) => packet.timestamp))].map((timestamp) => {
      const end = events.find((packet) => packet.timestamp === timestamp && ((packet.payload[1] ?? 0) & 0x80) !== 0);
      return '0123456789*#ABCD'[end?.payload[0] ?? 99];
    });
    expect(digits.join('')).toBe('19#');
    expect(events.filter((packet) => packet.marker)).toHaveLength(3);
  });
});
