/**
 * Multi-stream SDP across the B2BUA: a caller offers audio and H.264 video, the callee is offered
 * both (the H.264 fmtp passed through as Asterisk rewrites it) and answers both, and the relay
 * carries video packets both ways on their own port pair, apart from the audio.
 */
import { describe, expect, it } from 'vitest';
import { RtpPeer, startSipp, type SippOptions } from '@tandem/test-support';
import { PHONE_PORT, SIP_PORT, rtpConf, scenario, sipGeneral, sippAt, useTandem, type PartyOptions } from './test-server.js';

const SERVER = '127.0.47.1';
const ALICE = '127.0.47.2';
const BOB = '127.0.47.3';
const net = { server: SERVER, sipPort: SIP_PORT };

const files = {
  'sip.conf': `
${sipGeneral(net)}
allowguest=no
videosupport=yes

[phone](!)
type=friend
port=${PHONE_PORT}
context=phones
disallow=all
allow=ulaw
allow=h264

[alice](phone)
host=${ALICE}
insecure=invite,port

[bob](phone)
host=${BOB}
`,
  'extensions.conf': `
[phones]
exten => 300,1,Dial(SIP/bob,20)
`,
  'rtp.conf': rtpConf(21200),
};

const phone = (who: 'alice' | 'bob', options: PartyOptions): SippOptions => sippAt(net, who === 'alice' ? ALICE : BOB, PHONE_PORT, options);

describe('video call relayed by the B2BUA', () => {
  useTandem(files, net);

  it('offers the video on, and relays video and audio both ways on separate ports', async () => {
    await using aliceAudio = await RtpPeer.bind(ALICE, 7100);
    await using aliceVideo = await RtpPeer.bind(ALICE, 7102);
    await using bobAudio = await RtpPeer.bind(BOB, 7100);
    await using bobVideo = await RtpPeer.bind(BOB, 7102);
    const bob = startSipp(phone('bob', { scenario: scenario('video-uas-answer.xml'), args: ['-set', 'rtpport', '7100', '-set', 'videoport', '7102'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alice = startSipp(
      phone('alice', { scenario: scenario('video-uac-call.xml'), args: ['-s', '300', '-set', 'rtpport', '7100', '-set', 'videoport', '7102', '-d', '3000'] }),
    );

    const aliceRelay = await alice.waitForLog(/relay=(\d+)/);
    const aliceVideoRelay = await alice.waitForLog(/video=(\d+)/);
    const bobRelay = await bob.waitForLog(/relay=(\d+)/);
    const bobVideoRelay = await bob.waitForLog(/video=(\d+)/);
    expect(aliceVideoRelay, alice.logs()).toBeDefined();
    expect(bobVideoRelay, bob.logs()).toBeDefined();
    expect(aliceVideoRelay?.[1]).not.toBe(aliceRelay?.[1]);

    await Promise.all([
      aliceVideo.sendStream(SERVER, Number(aliceVideoRelay?.[1]), 30),
      bobVideo.sendStream(SERVER, Number(bobVideoRelay?.[1]), 30, 20, 0x5678),
      aliceAudio.sendStream(SERVER, Number(aliceRelay?.[1]), 10),
      bobAudio.sendStream(SERVER, Number(bobRelay?.[1]), 10, 20, 0x9abc),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Video reaches the other party's video socket only, audio its audio socket only.
    expect(bobVideo.received.length).toBe(30);
    expect(aliceVideo.received.length).toBe(30);
    expect(bobAudio.received.length).toBe(10);
    expect(aliceAudio.received.length).toBe(10);

    const [aliceResult, bobResult] = await Promise.all([alice.done, bob.done]);
    expect(aliceResult.exitCode, aliceResult.messages).toBe(0);
    expect(bobResult.exitCode, bobResult.messages).toBe(0);
  });
});
