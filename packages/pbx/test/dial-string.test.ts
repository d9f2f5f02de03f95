import { describe, expect, it } from 'vitest';
import { parseNextHop, parseSipDialString, splitHostPort } from '../src/chan-sip/dial-string.js';

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

  it('takes ext@peer over a conflicting /exten and keeps the next hop (sip_outbound_address)', () => {
    expect(parseSipDialString('1000@bob/1000/127.0.0.1:5062')).toEqual({ peerOrHost: 'bob', exten: '1000', nextHop: '127.0.0.1:5062' });
    expect(parseSipDialString('bob//127.0.0.1:5062')).toEqual({ peerOrHost: 'bob', nextHop: '127.0.0.1:5062' });
    // One slash too few: the "exten" is ignored and there is no next hop.
    expect(parseSipDialString('1000@bob/127.0.0.1:5062')).toEqual({ peerOrHost: 'bob', exten: '1000' });
  });

  it('reads a next hop as an outbound proxy (proxy_from_config())', () => {
    expect(parseNextHop('127.0.0.1:5062')).toEqual({ transport: 'udp', host: '127.0.0.1', port: 5062, force: false });
    expect(parseNextHop('tcp://proxy.example.com,force')).toEqual({ transport: 'tcp', host: 'proxy.example.com', force: true });
    expect(parseNextHop('[2001:db8::1]:5070')).toEqual({ transport: 'udp', host: '2001:db8::1', port: 5070, force: false });
    expect(parseNextHop('host:99999')).toBeUndefined();
    expect(parseNextHop('')).toBeUndefined();
    expect(splitHostPort('example.com')).toEqual({ host: 'example.com' });
  });

  it('refuses an empty destination', () => {
    expect(parseSipDialString('')).toBeUndefined();
    expect(parseSipDialString('!1234')).toBeUndefined();
  });
});
