import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSipConf, parseConf } from '@tandem/config';
import { MediaEngine } from '@tandem/media';
import { parseSdp } from '@tandem/sip';
import { MediaSession } from '../src/chan-sip/media-session.js';

let engine: MediaEngine;

beforeAll(() => {
  engine = MediaEngine.open({ portStart: 41750, portEnd: 41799, threads: 1 });
});

afterAll(async () => {
  await engine.close();
});

function session(general: string): MediaSession {
  const { config } = buildSipConf(parseConf(`[general]\n${general}`, { file: 'sip.conf' }));
  const endpoint = engine.allocate({ localAddress: '127.0.0.1' });
  const allocateExtra = () => engine.allocate({ localAddress: '127.0.0.1', near: endpoint });
  return new MediaSession(endpoint, config.general.deviceDefaults, '127.0.0.1', { owner: 'root', sessionName: 'Tandem' }, false, allocateExtra);
}

const sdp = (media: string): ReturnType<typeof parseSdp> => parseSdp(`v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n${media}`);

const AUDIO = 'm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
const H263 = 'm=video 4002 RTP/AVP 34\r\na=rtpmap:34 H263/90000\r\n';
const T140 = 'm=text 4004 RTP/AVP 106\r\na=rtpmap:106 T140/1000\r\n';

const mLines = (text: string): string[] => text.split('\r\n').filter((line) => line.startsWith('m='));

describe('MediaSession with several streams (chan_sip process_sdp()/add_sdp())', () => {
  it('answers audio, video and text in the offered order, each on its own relay port', () => {
    const media = session('videosupport=yes\ntextsupport=yes\ndisallow=all\nallow=ulaw\nallow=h263\n');
    expect(media.acceptOffer(sdp(AUDIO + T140 + H263))).toBeUndefined();
    const answer = media.answer();
    const ports = mLines(answer).map((line) => Number(line.split(' ')[1]));
    expect(mLines(answer).map((line) => line.split(' ')[0])).toEqual(['m=audio', 'm=text', 'm=video']);
    expect(new Set(ports).size).toBe(3);
    expect(ports).not.toContain(0);
    expect(answer).toContain('b=CT:384');
    expect(media.extraStream('video')?.codecs.map((entry) => entry.codec.name)).toEqual(['h263']);
    media.release();
  });

  it('declines video without videosupport and a second video stream with port 0 in place', () => {
    const plain = session('disallow=all\nallow=ulaw\nallow=h263\n');
    expect(plain.acceptOffer(sdp(AUDIO + H263))).toBeUndefined();
    expect(mLines(plain.answer())).toEqual([expect.stringMatching(/^m=audio [1-9]\d* RTP\/AVP 0$/), 'm=video 0 RTP/AVP 34']);
    expect(plain.extraStream('video')).toBeUndefined();
    plain.release();

    const video = session('videosupport=yes\ndisallow=all\nallow=ulaw\nallow=h263\n');
    expect(video.acceptOffer(sdp(AUDIO + H263 + H263.replace('4002', '4006')))).toBeUndefined();
    expect(mLines(video.answer()).slice(1)).toEqual([expect.stringMatching(/^m=video [1-9]\d* RTP\/AVP 34$/), 'm=video 0 RTP/AVP 34']);
    video.release();
  });

  it('refuses an offer whose only stream has no codec we allow, and declines SAVP video', () => {
    const media = session('videosupport=yes\ndisallow=all\nallow=ulaw\nallow=h261\n');
    expect(media.acceptOffer(sdp(H263))).toBe('no-audio');
    expect(media.acceptOffer(sdp('m=audio 4000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n'))).toBe('no-common-codec');
    expect(media.acceptOffer(sdp('m=video 4002 RTP/SAVP 31\r\na=rtpmap:31 H261/90000\r\n'))).toBe('no-audio');
    media.release();
  });

  it('offers video to the callee with the caller codecs it allows, and takes the answer', () => {
    const media = session('videosupport=yes\ndisallow=all\nallow=ulaw\nallow=h264\n');
    const caller = session('videosupport=yes\ndisallow=all\nallow=ulaw\nallow=h264\n');
    caller.acceptOffer(sdp(`${AUDIO}m=video 4002 RTP/AVP 99\r\na=rtpmap:99 H264/90000\r\na=fmtp:99 profile-level-id=42801e;packetization-mode=1\r\n`));
    const offer = media.offer([], (codecs) => codecs, { video: caller.extraStream('video')?.codecs ?? [] });
    expect(mLines(offer)).toEqual([expect.stringMatching(/^m=audio /), expect.stringMatching(/^m=video [1-9]\d* RTP\/AVP 99$/)]);
    expect(offer).toContain('a=fmtp:99 packetization-mode=1;profile-level-id=42801E');
    media.acceptAnswer(sdp(`${AUDIO}m=video 0 RTP/AVP 99\r\n`));
    expect(media.extraStream('video')).toBeUndefined();
    media.release();
    caller.release();
  });

  it('takes one udptl T.38 stream with t38pt_udptl and declines RTP/AVP and SAVP t38 in place', () => {
    const media = session('t38pt_udptl=yes,redundancy\n');
    const image = (port: number, protocol: string): string => `m=image ${port} ${protocol} t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:9600\r\n`;
    expect(media.acceptOffer(sdp(image(4000, 'RTP/AVP') + image(4002, 'RTP/SAVP') + image(4004, 'udptl')))).toBeUndefined();
    const answer = media.answer();
    expect(mLines(answer)).toEqual(['m=image 0 RTP/AVP t38', 'm=image 0 RTP/SAVP t38', expect.stringMatching(/^m=image [1-9]\d* udptl t38$/)]);
    expect(answer).toContain('a=T38MaxBitRate:9600\r\n');
    expect(answer).toContain('a=T38FaxUdpEC:t38UDPRedundancy\r\n');
    // Back to audio (chan_sip fax_sim): the answer follows the new offer.
    expect(media.acceptOffer(sdp(AUDIO))).toBeUndefined();
    expect(mLines(media.answer())).toEqual([expect.stringMatching(/^m=audio /)]);
    media.release();

    const refusing = session('');
    expect(refusing.acceptOffer(sdp(image(4004, 'udptl')))).toBe('no-audio');
    refusing.release();
  });
});
