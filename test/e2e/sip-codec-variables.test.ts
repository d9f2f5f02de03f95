/**
 * SIP_CODEC, SIP_CODEC_INBOUND and SIP_CODEC_OUTBOUND (chan_sip try_suggested_sip_codec()):
 * set on the channel Tandem answers they narrow its SDP answer to the listed codecs both ends
 * share (SIP_CODEC_INBOUND before SIP_CODEC; a codec not shared is ignored); inherited by the
 * channel Dial places, SIP_CODEC_OUTBOUND narrows its offer. Phones are sipp processes on
 * 127.0.46.2x.
 */
import { describe, expect, it } from 'vitest';
import { runSipp, startSipp, type SippResult } from '@tandem/test-support';
import { settle, sipConf, staticPhone, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.46.21';
const ALICE = '127.0.46.22';
const BOB = '127.0.46.23';
const net: DialplanNet = { server: SERVER, sipPort: SIP_PORT, caller: ALICE, callee: BOB, phonePort: PHONE_PORT };

const files = {
  'sip.conf': sipConf(net, staticPhone('alice', ALICE, PHONE_PORT) + staticPhone('bob', BOB, PHONE_PORT)),
  'extensions.conf': `[office]
exten => inbound,1,Set(SIP_CODEC=gsm)
same => n,Answer()
same => n,Hangup()
exten => both,1,Set(SIP_CODEC=gsm)
same => n,Set(SIP_CODEC_INBOUND=alaw)
same => n,Answer()
same => n,Hangup()
exten => unshared,1,Set(SIP_CODEC_INBOUND=g729,nosuchcodec)
same => n,Answer()
same => n,Hangup()
exten => list,1,Set(SIP_CODEC_INBOUND=g729,gsm,ulaw)
same => n,Answer()
same => n,Hangup()
exten => outbound,1,Set(__SIP_CODEC_OUTBOUND=gsm,alaw)
same => n,Dial(SIP/bob,10,S(1))
`,
  'rtp.conf': rtpConf(46_200),
};

/** alice calls `exten` offering the payload types `offer`; resolves with what sipp saw. */
function call(exten: string, offer: string): Promise<SippResult> {
  return runSipp(sippAt(net, ALICE, PHONE_PORT, {
    scenario: scenario('codecs-uac-call.xml'),
    args: ['-s', exten, '-set', 'caller', 'alice', '-set', 'rtpport', '7000', '-set', 'offer', offer, '-mi', ALICE],
    timeoutMs: 30_000,
  }));
}

/** The payload types of the logged `answer=` m= line. */
function answered(result: SippResult): string | undefined {
  return /answer=m=audio \d+ RTP\/AVP ([\d ]*)/.exec(result.logs)?.[1]?.trim();
}

describe('SIP_CODEC* channel variables', () => {
  useTandem(files, net);

  it('SIP_CODEC on the answered channel narrows the answer to that codec', async () => {
    const result = await call('inbound', '0 8 3 101');
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(answered(result)).toBe('3 101');
  });

  it('SIP_CODEC_INBOUND wins over SIP_CODEC', async () => {
    const result = await call('both', '0 8 3 101');
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(answered(result)).toBe('8 101');
  });

  it('keeps the shared codecs of a list in its order, and ignores a list with none shared', async () => {
    const listed = await call('list', '0 8 3 101');
    expect(listed.exitCode, listed.errors + listed.messages).toBe(0);
    expect(answered(listed)).toBe('3 0 101');
    const unshared = await call('unshared', '0 8 3 101');
    expect(unshared.exitCode, unshared.errors + unshared.messages).toBe(0);
    expect(answered(unshared)).toBe('0 8 3 101');
  });

  it('SIP_CODEC_OUTBOUND inherited by the dialled channel narrows its offer', async () => {
    const bob = startSipp(sippAt(net, BOB, PHONE_PORT, {
      scenario: scenario('codecs-uas-answer-pcma.xml'),
      args: ['-set', 'rtpport', '7002', '-mi', BOB],
      timeoutMs: 30_000,
    }));
    await settle();
    const alice = await call('outbound', '8 101');
    expect(alice.exitCode, alice.errors + alice.messages).toBe(0);
    const bobResult = await bob.done;
    expect(bobResult.exitCode, bobResult.errors + bobResult.messages).toBe(0);
    expect(/offer=m=audio \d+ RTP\/AVP ([\d ]*)/.exec(bobResult.logs)?.[1]?.trim()).toBe('3 8 101');
  });
});
