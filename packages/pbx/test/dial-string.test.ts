import { describe, expect, it } from 'vitest';
import { parseSipDialString } from '../src/chan-sip/dial-string.js';

describe('SIP dial strings (chan_sip sip_request_call())', () => {
  it('reads the seed page forms', () => {
    expect(parseSipDialString('ipphone')).toEqual({ peerOrHost: 'ipphone' });
    expect(parseSipDialString('joshua@ipphone')).toEqual({ peerOrHost: 'ipphone', exten: 'joshua' });
    expect(parseSipDialString('john@foo.com')).toEqual({ peerOrHost: 'foo.com', exten: 'john' });
    expect(parseSipDialString('192.168.1.8:9999')).toEqual({ peerOrHost: '192.168.1.8:9999' });
    expect(parseSipDialString('8500@sip.com:9876')).toEqual({ peerOrHost: 'sip.com:9876', exten: '8500' });
  });

  it('reads peer/exten/next-hop and credentials', () => {
    expect(parseSipDialString('trunk/5551234/10.0.0.1')).toEqual({ peerOrHost: 'trunk', exten: '5551234', nextHop: '10.0.0.1' });
    expect(parseSipDialString('user:pw:md5:auth:tcp@host')).toEqual({
      peerOrHost: 'host',
      exten: 'user',
      secret: 'pw',
      md5secret: 'md5',
      authName: 'auth',
      transport: 'tcp',
    });
    expect(parseSipDialString('user:pw:::bogus@host')?.transport).toBe('udp');
  });

  it('reads !touser@todomain!fromuser@fromdomain', () => {
    expect(parseSipDialString('trunk!1234@example.com!5678@me.example')).toEqual({
      peerOrHost: 'trunk',
      toUser: '1234',
      toDomain: 'example.com',
      fromUser: '5678',
      fromDomain: 'me.example',
    });
  });

  it('keeps a full SIP URI as given', () => {
    expect(parseSipDialString('sip:alice@example.com;transport=tcp')).toEqual({ peerOrHost: '', uri: 'sip:alice@example.com;transport=tcp' });
  });

  it('refuses an empty destination', () => {
    expect(parseSipDialString('')).toBeUndefined();
    expect(parseSipDialString('!1234')).toBeUndefined();
  });
});
