import { describe, expect, it } from 'vitest';
import { buildSdp, codecByName, isOnHold, negotiateCodecs, offerCodecs, parseSdp, serializeSdp, SipError } from '../src/index.js';

const phoneOffer = [
  'v=0',
  'o=- 9223372036854775807 9223372036854775808 IN IP4 192.0.2.50',
  's=phone',
  'c=IN IP4 192.0.2.50',
  't=0 0',
  'm=audio 40000 RTP/AVP 9 8 0 18 96',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-15',
  'a=ptime:20',
  'a=sendrecv',
  'm=video 40002 RTP/AVP 97',
  'a=rtpmap:97 H264/90000',
  'a=fmtp:97 profile-level-id=42e01f',
  '',
].join('\r\n');

describe('parseSdp', () => {
  const sdp = parseSdp(phoneOffer);

  it('keeps o= numbers exact as text and reads media lines', () => {
    expect(sdp.origin).toEqual({ username: '-', sessionId: '9223372036854775807', sessionVersion: '9223372036854775808', ipVersion: 4, address: '192.0.2.50' });
    const [audio, video] = sdp.media;
    expect(audio).toMatchObject({ type: 'audio', port: 40000, protocol: 'RTP/AVP', address: '192.0.2.50', direction: 'sendrecv', ptime: 20, rtcpMux: false });
    expect(audio?.codecs.map((format) => `${format.payloadType}:${format.codec?.name}`)).toEqual(['9:g722', '8:alaw', '0:ulaw', '18:g729']);
    expect(audio?.formats.find((format) => format.payloadType === 18)?.fmtp).toBe('annexb=no');
    expect(audio?.telephoneEvent).toEqual({ payloadType: 96, clockRate: 8000, events: '0-15' });
    expect(video?.codecs[0]).toMatchObject({ payloadType: 97, fmtp: 'profile-level-id=42e01f', codec: { name: 'h264' } });
  });

  it('recognises static payload types without rtpmap and hold signals', () => {
    const bare = parseSdp('v=0\r\no=x 1 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 3\r\n');
    expect(bare.media[0]?.codecs.map((format) => format.codec?.name)).toEqual(['ulaw', 'gsm']);
    expect(isOnHold(bare.media[0] ?? expect.fail())).toBe(true);
    const sendonly = parseSdp(phoneOffer.replace('a=sendrecv', 'a=sendonly'));
    expect(isOnHold(sendonly.media[0] ?? expect.fail())).toBe(true);
    expect(isOnHold(sdp.media[0] ?? expect.fail())).toBe(false);
  });

  it('round-trips through sdp-transform and refuses non-SDP', () => {
    expect(parseSdp(serializeSdp(sdp.session)).media[0]?.codecs).toHaveLength(4);
    expect(() => parseSdp('hello')).toThrow(SipError);
  });
});

describe('buildSdp', () => {
  it("writes chan_sip's shape", () => {
    const text = buildSdp({
      sessionId: 1804289383,
      sessionVersion: 1804289383,
      sessionName: 'Asterisk PBX 20.0.0',
      originAddress: '127.0.0.1',
      media: [{ type: 'audio', port: 10000, codecs: offerCodecs(['ulaw', 'alaw', 'gsm']), telephoneEvent: { payloadType: 101 } }],
    });
    expect(text).toBe(
      [
        'v=0',
        'o=root 1804289383 1804289383 IN IP4 127.0.0.1',
        's=Asterisk PBX 20.0.0',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 10000 RTP/AVP 0 8 3 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:3 GSM/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=maxptime:140',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
    expect(parseSdp(text).media[0]?.maxptime).toBe(140);
  });

  it('writes IPv6, framing, hold direction, video bandwidth and codec fmtp', () => {
    const text = buildSdp({
      owner: 'tandem',
      sessionId: '5',
      sessionVersion: '6',
      sessionName: '',
      originAddress: '::1',
      maxCallBitrate: 384,
      media: [
        { type: 'audio', port: 10002, codecs: offerCodecs(['g723', 'ulaw:30']), direction: 'recvonly' },
        { type: 'video', port: 10004, codecs: offerCodecs(['h264'], 'video') },
      ],
    });
    expect(text).toContain('o=tandem 5 6 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nb=CT:384\r\nt=0 0\r\n');
    expect(text).toContain('a=rtpmap:4 G723/8000\r\na=fmtp:4 annexa=no\r\n');
    expect(text).toContain('a=ptime:30\r\na=maxptime:140\r\na=recvonly\r\nm=video 10004 RTP/AVP 99\r\na=rtpmap:99 H264/90000\r\na=sendrecv\r\n');
    expect(() => buildSdp({ sessionId: 1, sessionVersion: 1, sessionName: 's', originAddress: '1.2.3.4', media: [{ type: 'audio', port: 1, codecs: [] }] })).toThrow(SipError);
  });
});

describe('negotiateCodecs', () => {
  const audio = parseSdp(phoneOffer).media[0] ?? expect.fail();

  it("orders the joint set by the device's allow list, with the offer's payload types", () => {
    const result = negotiateCodecs(audio, ['ulaw', 'alaw', 'gsm', 'g722']);
    expect(result.codecs.map((entry) => `${entry.codec.name}/${entry.payloadType}`)).toEqual(['ulaw/0', 'alaw/8', 'g722/9']);
    expect(result.telephoneEvent).toEqual({ payloadType: 96, events: '0-16' });
  });

  it('puts the preferred (bridged) codec first and can refuse telephone-event', () => {
    const result = negotiateCodecs(audio, ['ulaw', 'alaw', 'g729'], { preferred: ['g729'], telephoneEvent: false });
    expect(result.codecs.map((entry) => entry.codec.name)).toEqual(['g729', 'ulaw', 'alaw']);
    expect(result.codecs[0]?.fmtp).toBe('annexb=no');
    expect(result.telephoneEvent).toBeUndefined();
  });

  it('finds nothing joint (488) when no allowed codec is offered', () => {
    expect(negotiateCodecs(audio, ['gsm', 'opus']).codecs).toEqual([]);
    expect(codecByName('OPUS')?.channels).toBe(2);
  });

  it('answers with an SDP that mirrors the offer payload types', () => {
    const result = negotiateCodecs(audio, ['alaw', 'ulaw']);
    const answer = buildSdp({
      sessionId: 7,
      sessionVersion: 7,
      sessionName: 'Asterisk PBX 20.0.0',
      originAddress: '127.0.0.1',
      media: [{ type: 'audio', port: 10010, codecs: result.codecs, ...(result.telephoneEvent ? { telephoneEvent: result.telephoneEvent } : {}) }],
    });
    expect(answer).toContain('m=audio 10010 RTP/AVP 8 0 96\r\n');
    expect(answer).toContain('a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-16\r\n');
  });
});
