import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSipConf, parseConf } from '@tandem/config';
import { MediaEngine } from '@tandem/media';
import { parseSdp } from '@tandem/sip';
import { MediaSession } from '../src/chan-sip/media-session.js';
import { readT38Stream } from '../src/chan-sip/t38-sdp.js';

let engine: MediaEngine;

beforeAll(() => {
  engine = MediaEngine.open({ portStart: 41700, portEnd: 41749, threads: 1 });
});

afterAll(async () => {
  await engine.close();
});

function session(): MediaSession {
  const { config } = buildSipConf(parseConf('[general]\n', { file: 'sip.conf' }));
  const endpoint = engine.allocate({ localAddress: '127.0.0.1' });
  return new MediaSession(endpoint, config.general.deviceDefaults, '127.0.0.1', { owner: 'root', sessionName: 'Tandem' }, false);
}

const offer = (connection: string, direction: string): ReturnType<typeof parseSdp> =>
  parseSdp(`v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 ${connection}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n${direction}`);

describe('MediaSession hold and direct media (chan_sip process_sdp()/add_sdp())', () => {
  it('answers a sendonly hold recvonly, stops offering the party as a direct target, and resumes', () => {
    const media = session();
    expect(media.acceptOffer(offer('10.0.0.5', 'a=sendrecv\r\n'))).toBeUndefined();
    expect(media.hold).toBeUndefined();
    expect(media.directTarget).toEqual({ address: '10.0.0.5', port: 4000 });

    media.acceptOffer(offer('10.0.0.5', 'a=sendonly\r\n'));
    expect(media.hold).toBe('onedir');
    expect(media.directTarget).toBeUndefined();
    expect(media.answer()).toContain('a=recvonly');

    media.acceptOffer(offer('10.0.0.5', 'a=inactive\r\n'));
    expect(media.hold).toBe('inactive');
    expect(media.answer()).toContain('a=inactive');

    media.acceptOffer(offer('10.0.0.5', 'a=sendrecv\r\n'));
    expect(media.hold).toBeUndefined();
    expect(media.answer()).toContain('a=sendrecv');
  });

  it('takes a 0.0.0.0 address as a hold that still names a (null) target, as chan_sip does', () => {
    const media = session();
    media.acceptOffer(offer('10.0.0.5', ''));
    media.acceptOffer(offer('0.0.0.0', ''));
    expect(media.hold).toBe('active');
    expect(media.directTarget).toEqual({ address: '0.0.0.0', port: 4000 });
    expect(media.answer()).toContain('a=sendrecv');
  });

  it('writes the redirect target in c= and m= but keeps its own address in o=, and says whether it changed', () => {
    const media = session();
    media.acceptOffer(offer('10.0.0.5', ''));
    expect(media.setRedirect({ address: '10.0.0.9', port: 5000 })).toBe(true);
    expect(media.setRedirect({ address: '10.0.0.9', port: 5000 })).toBe(false);
    const redirected = parseSdp(media.describe());
    expect(redirected.origin.address).toBe('127.0.0.1');
    expect(redirected.media[0]).toMatchObject({ address: '10.0.0.9', port: 5000 });
    expect(media.setRedirect(undefined)).toBe(true);
    const relayed = parseSdp(media.describe());
    expect(relayed.media[0]).toMatchObject({ address: '127.0.0.1', port: media.endpoint.rtpPort });
  });

  it('describes a T.38 stream instead of audio while a fax passes, with a new o= version', () => {
    const media = session();
    media.acceptOffer(offer('10.0.0.5', ''));
    const audio = parseSdp(media.describe());
    media.t38 = { port: 6000, attributes: ['T38FaxVersion:0', 'T38FaxUdpEC:t38UDPRedundancy'] };
    const fax = media.describe();
    expect(fax).toContain('m=image 6000 udptl t38\r\na=T38FaxVersion:0\r\na=T38FaxUdpEC:t38UDPRedundancy\r\n');
    expect(fax).not.toContain('m=audio');
    expect(BigInt(parseSdp(fax).origin.sessionVersion)).toBe(BigInt(audio.origin.sessionVersion) + 1n);
  });
});

describe('readT38Stream', () => {
  it('reads the address, port and T.38 parameters of m=image udptl t38', () => {
    const body = 'v=0\r\no=- 1 2 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=image 30002 udptl t38\r\na=sendrecv\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:9600\r\n';
    expect(readT38Stream(body)).toEqual({ address: '10.0.0.5', port: 30002, attributes: ['T38FaxVersion:0', 'T38MaxBitRate:9600'] });
  });

  it('prefers a media-level c= and ignores declined or absent T.38', () => {
    expect(readT38Stream('v=0\r\nc=IN IP4 10.0.0.5\r\nm=audio 0 RTP/AVP 0\r\nm=image 7000 udptl t38\r\nc=IN IP4 10.0.0.7\r\n')).toEqual({
      address: '10.0.0.7',
      port: 7000,
      attributes: [],
    });
    expect(readT38Stream('v=0\r\nc=IN IP4 10.0.0.5\r\nm=image 0 udptl t38\r\n')).toBeUndefined();
    expect(readT38Stream('v=0\r\nc=IN IP4 10.0.0.5\r\nm=audio 4000 RTP/AVP 0\r\n')).toBeUndefined();
  });
});
