import { describe, expect, it } from 'vitest';
import { buildSdp, codecByName, negotiateCodecs, normalizeH264Fmtp, parseSdp } from '../src/index.js';

describe('normalizeH264Fmtp (res_format_attr_h264 parse + generate)', () => {
  it('writes the known parameters in Asterisk order with profile-level-id in upper case', () => {
    expect(normalizeH264Fmtp('profile-level-id=42801e;packetization-mode=1;max-mbps=48600')).toBe(
      'max-mbps=48600;packetization-mode=1;profile-level-id=42801E',
    );
  });

  it('keeps a zero flag, drops zero numbers and unknown keys, and returns undefined when nothing is left', () => {
    expect(normalizeH264Fmtp('max-fs=0;packetization-mode=0;x-vendor=1')).toBe('packetization-mode=0');
    expect(normalizeH264Fmtp('x-vendor=1')).toBeUndefined();
  });

  it('passes sprop-parameter-sets last', () => {
    expect(normalizeH264Fmtp('sprop-parameter-sets=Z0IAHpWoKA9k,aM48gA==;profile-level-id=42e01f')).toBe(
      'profile-level-id=42E01F;sprop-parameter-sets=Z0IAHpWoKA9k,aM48gA==',
    );
  });

  it('is applied when an offered H.264 stream is answered', () => {
    const sdp = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=video 4002 RTP/AVP 99\r\na=rtpmap:99 H264/90000\r\na=fmtp:99 profile-level-id=42801e;packetization-mode=1\r\n',
    );
    const video = sdp.media[0];
    if (video === undefined) throw new Error('no video line');
    const { codecs } = negotiateCodecs(video, ['h264']);
    expect(codecs.map((entry) => [entry.codec.name, entry.payloadType, entry.fmtp])).toEqual([['h264', 99, 'packetization-mode=1;profile-level-id=42801E']]);
  });
});

describe('buildSdp with declined streams', () => {
  it('answers a declined stream with port 0 and the offered protocol and formats, in place', () => {
    const ulaw = codecByName('ulaw');
    if (ulaw === undefined) throw new Error('no ulaw');
    const sdp = buildSdp({
      sessionId: 1,
      sessionVersion: 1,
      sessionName: 'Tandem',
      originAddress: '127.0.0.1',
      maxCallBitrate: 384,
      media: [
        { declined: true, type: 'image', protocol: 'RTP/AVP', formats: 't38' },
        { type: 'audio', port: 4000, codecs: [{ codec: ulaw, payloadType: 0 }] },
        { declined: true, type: 'video', protocol: 'RTP/SAVP', formats: '32 34' },
      ],
    });
    const lines = sdp.split('\r\n').filter((line) => line.startsWith('m=') || line.startsWith('b='));
    // No b=CT: the only video stream is declined.
    expect(lines).toEqual(['m=image 0 RTP/AVP t38', 'm=audio 4000 RTP/AVP 0', 'm=video 0 RTP/SAVP 32 34']);
  });
});
