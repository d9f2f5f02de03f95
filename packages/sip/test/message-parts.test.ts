import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  createResponse,
  formatNameAddr,
  formatUri,
  formatVia,
  getTag,
  parseAuthHeader,
  parseMessage,
  parseNameAddr,
  parseUri,
  parseVia,
  serializeMessage,
  SipError,
  SipHeaders,
  tryParseUri,
  uriHostAddress,
  viaRport,
  type SipRequest,
} from '../src/index.js';

describe('SipHeaders', () => {
  it('looks up full and compact names case-insensitively, keeps written names and order', () => {
    const headers = new SipHeaders([
      ['v', 'SIP/2.0/UDP a;branch=z9hG4bK1'],
      ['Via', 'SIP/2.0/UDP b;branch=z9hG4bK2'],
      ['i', 'call'],
      ['X-Asterisk-HangupCause', 'Normal Clearing'],
    ]);
    expect(headers.get('VIA')).toBe('SIP/2.0/UDP a;branch=z9hG4bK1');
    expect(headers.getAll('via')).toHaveLength(2);
    expect(headers.get('Call-ID')).toBe('call');
    expect(headers.get('x-asterisk-hangupcause')).toBe('Normal Clearing');
    expect(headers.names()).toEqual(['v', 'i', 'X-Asterisk-HangupCause']);
    for (const [letter, name] of [['m', 'Contact'], ['f', 'From'], ['t', 'To'], ['l', 'Content-Length'], ['c', 'Content-Type'], ['k', 'Supported'], ['r', 'Refer-To'], ['x', 'Session-Expires'], ['o', 'Event'], ['u', 'Allow-Events'], ['b', 'Referred-By'], ['e', 'Content-Encoding'], ['s', 'Subject'], ['y', 'Identity']] as const) {
      expect(new SipHeaders([[letter, 'v']]).get(name)).toBe('v');
    }
  });

  it('sets in place, removes, prepends and iterates in wire order', () => {
    const headers = new SipHeaders([['A', '1'], ['B', '2'], ['a', '3'], ['C', '4']]);
    headers.set('a', 'x');
    expect([...headers].map((f) => `${f.name}=${f.value}`)).toEqual(['a=x', 'B=2', 'C=4']);
    headers.prepend('B', '0');
    expect(headers.getAll('b')).toEqual(['0', '2']);
    expect(headers.removeFirst('b')).toBe('0');
    expect(headers.remove('b')).toBe(1);
    headers.add('D', '5');
    expect([...headers].map((f) => f.name)).toEqual(['a', 'C', 'D']);
    const copy = headers.clone();
    copy.add('E', '6');
    expect(headers.size).toBe(3);
  });
});

describe('SipUri', () => {
  it('parses sip, sips and tel URIs with IPv6 hosts, params and headers', () => {
    expect(parseUri('sip:alice@[::1]:5060')).toEqual({ scheme: 'sip', user: 'alice', host: '[::1]', port: 5060, params: [], headers: [] });
    expect(uriHostAddress(parseUri('sip:[2001:db8::1]'))).toBe('2001:db8::1');
    expect(parseUri('tel:+1-555-0100;phone-context=example.com')).toEqual({
      scheme: 'tel', user: '+1-555-0100', host: '', params: [{ name: 'phone-context', value: 'example.com' }], headers: [],
    });
    const uri = parseUri('SIPS:bob:secret@example.com;transport=tcp;lr?Subject=hi&Priority=urgent');
    expect(uri).toMatchObject({ scheme: 'sips', user: 'bob', password: 'secret', host: 'example.com' });
    expect(uri.params).toEqual([{ name: 'transport', value: 'tcp' }, { name: 'lr', value: null }]);
    expect(uri.headers).toEqual([{ name: 'Subject', value: 'hi' }, { name: 'Priority', value: 'urgent' }]);
    expect(formatUri(uri)).toBe('sips:bob:secret@example.com;transport=tcp;lr?Subject=hi&Priority=urgent');
  });

  it('rejects other schemes, empty hosts and bad ports with a typed error', () => {
    for (const bad of ['http://x', 'sip:', 'sip:a@', 'sip:a@h:99999', 'sip:a@h:x', 'sip:[::1', 'nothing']) {
      expect(() => parseUri(bad)).toThrow(SipError);
      expect(tryParseUri(bad)).toBeUndefined();
    }
  });
});

describe('NameAddr', () => {
  it('parses quoted and token display names, tags and addr-spec params', () => {
    expect(parseNameAddr('"Alice \\"A\\"" <sip:alice@h>;tag=1')).toMatchObject({ displayName: 'Alice "A"', params: [{ name: 'tag', value: '1' }] });
    expect(parseNameAddr('Bob Smith<sip:bob@h>').displayName).toBe('Bob Smith');
    // chan_sip gettag(): the first ";tag=" counts even after stray text behind the URI.
    expect(getTag(parseNameAddr('sut <sip:service@127.0.0.1:5060> "asterisk" <sip:asterisk@127.0.0.1>;tag=as0a99eefe'))).toBe('as0a99eefe');
    const spec = parseNameAddr('sip:carol@h;tag=9');
    expect(spec.uri.params).toEqual([]);
    expect(spec.params).toEqual([{ name: 'tag', value: '9' }]);
    expect(formatNameAddr(parseNameAddr('Bob <sip:bob@[::1]:5062;transport=tcp>;expires=60'))).toBe('"Bob" <sip:bob@[::1]:5062;transport=tcp>;expires=60');
  });

  it('throws on an unterminated quote', () => {
    expect(() => parseNameAddr('"Mr. J. User <sip:j@h>')).toThrow(SipError);
  });
});

describe('Via', () => {
  it('reads transport, IPv6 host, port, branch, rport with and without value, received', () => {
    const via = parseVia('SIP/2.0/udp [::1]:5062;branch=z9hG4bKabc;rport;received=::1');
    expect(via).toMatchObject({ protocol: 'SIP/2.0', transport: 'UDP', host: '[::1]', port: 5062 });
    expect(viaRport(via)).toBeNull();
    expect(viaRport(parseVia('SIP/2.0/TCP h;rport=1234'))).toBe(1234);
    expect(viaRport(parseVia('SIP/2.0/TCP h'))).toBeUndefined();
    expect(formatVia(via)).toBe('SIP/2.0/UDP [::1]:5062;branch=z9hG4bKabc;rport;received=::1');
  });
});

describe('auth headers', () => {
  it('parses challenges and credentials with quoted and bare values', () => {
    expect(parseAuthHeader('Digest algorithm=MD5, realm="asterisk", nonce="1a2b3c4d"')).toEqual({
      scheme: 'Digest', params: { algorithm: 'MD5', realm: 'asterisk', nonce: '1a2b3c4d' },
    });
    const credentials = parseAuthHeader('Digest username="bob", uri="sip:h", qop=auth, nc=00000001, cnonce="a,b", response="x"');
    expect(credentials.params).toMatchObject({ username: 'bob', cnonce: 'a,b', nc: '00000001', qop: 'auth' });
  });
});

describe('accessors', () => {
  const text = [
    'INVITE sip:100@h SIP/2.0',
    'Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/TCP b;branch=z9hG4bK2',
    'Via: SIP/2.0/UDP c;branch=z9hG4bK3',
    'Max-Forwards: 69',
    'Route: <sip:p1;lr>, <sip:p2;lr>',
    'Record-Route: <sip:rr1;lr>',
    'Path: <sip:edge;lr>',
    'From: "A" <sip:a@h>;tag=x',
    'To: <sip:100@h>',
    'Contact: <sip:a@1.2.3.4>;expires=30, <sip:a@5.6.7.8>',
    'Call-ID: abc',
    'CSeq: 7 INVITE',
    'Expires: 120',
    'Supported: replaces, Timer',
    'k: path',
    'Require: 100rel',
    'Allow: INVITE, ack',
    'Session-Expires: 1800;refresher=uac',
    'Min-SE: 90',
    'Content-Type: Application/SDP; charset=utf-8',
    'User-Agent: phone 1.0',
    'Remote-Party-ID: "B" <sip:200@h>;party=calling',
    'P-Asserted-Identity: "C" <sip:300@h>, <tel:+300>',
    'Refer-To: <sip:400@h?Replaces=abc%40h>',
    '',
    '',
  ].join('\r\n');
  const outcome = parseMessage(text);
  const request = outcome.kind === 'message' ? (outcome.message as SipRequest) : undefined;

  it('reads what a B2BUA needs', () => {
    if (request === undefined) throw new Error('did not parse');
    expect(request.vias.map((via) => via.host)).toEqual(['a', 'b', 'c']);
    expect(request.topVia.host).toBe('a');
    expect(request.maxForwards).toBe(69);
    expect(request.routes.map((route) => route.uri.host)).toEqual(['p1', 'p2']);
    expect(request.recordRoutes[0]?.uri.host).toBe('rr1');
    expect(request.paths[0]?.uri.host).toBe('edge');
    expect(request.contacts.map((contact) => contact.uri.host)).toEqual(['1.2.3.4', '5.6.7.8']);
    expect(request.contact?.params).toEqual([{ name: 'expires', value: '30' }]);
    expect(request.contactWildcard).toBe(false);
    expect(request.expires).toBe(120);
    expect(request.supported).toEqual(['replaces', 'timer', 'path']);
    expect(request.require).toEqual(['100rel']);
    expect(request.allow).toEqual(['INVITE', 'ACK']);
    expect(request.sessionExpires).toMatchObject({ delta: 1800, refresher: 'uac' });
    expect(request.minSe).toBe(90);
    expect(request.contentType?.mediaType).toBe('application/sdp');
    expect(request.userAgent).toBe('phone 1.0');
    expect(request.remotePartyId?.uri.user).toBe('200');
    expect(request.pAssertedIdentities.map((id) => id.uri.scheme)).toEqual(['sip', 'tel']);
    expect(request.referTo?.uri.headers).toEqual([{ name: 'Replaces', value: 'abc%40h' }]);
  });

  it('reports the wildcard Contact and missing headers', () => {
    const star = parseMessage('REGISTER sip:h SIP/2.0\r\nVia: SIP/2.0/UDP a\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:a@h>\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nContact: *\r\nExpires: 0\r\n\r\n');
    expect(star.kind === 'message' && star.message.contactWildcard).toBe(true);
    expect(star.kind === 'message' && star.message.contact).toBeUndefined();
    if (request === undefined) throw new Error('did not parse');
    const copy = buildRequest({ method: 'OPTIONS', uri: 'sip:h', from: '<sip:a@h>', to: '<sip:h>', callId: 'c', cseq: 1 });
    copy.headers.remove('Call-ID');
    expect(() => copy.callId).toThrow(expect.objectContaining({ code: 'missing-header' }));
  });
});

describe('createResponse', () => {
  const text =
    'INVITE sip:100@h SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;rport, SIP/2.0/UDP p;branch=z9hG4bK0\r\n' +
    'Record-Route: <sip:rr;lr>\r\nFrom: <sip:a@h>;tag=x\r\nTo: <sip:100@h>\r\nCall-ID: abc\r\nCSeq: 7 INVITE\r\n\r\n';
  const source = { transport: 'udp', remoteAddress: '192.0.2.9', remotePort: 6000, localAddress: '127.0.0.1', localPort: 5060 } as const;
  const outcome = parseMessage(text, { source });
  const request = outcome.kind === 'message' ? (outcome.message as SipRequest) : undefined;

  it("writes chan_sip's header order, received and rport, our To tag, Record-Route on 1xx/2xx only", () => {
    if (request === undefined) throw new Error('did not parse');
    const ringing = createResponse(request, 180, undefined, { toTag: 'as12345678' });
    expect(serializeMessage(ringing).toString()).toBe(
      'SIP/2.0 180 Ringing\r\n' +
        'Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;received=192.0.2.9;rport=6000, SIP/2.0/UDP p;branch=z9hG4bK0\r\n' +
        'Record-Route: <sip:rr;lr>\r\nFrom: <sip:a@h>;tag=x\r\nTo: <sip:100@h>;tag=as12345678\r\nCall-ID: abc\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n',
    );
    const trying = createResponse(request, 100, 'Trying', { toTag: 'as1' });
    expect(trying.headers.get('To')).toBe('<sip:100@h>');
    const busy = createResponse(request, 486);
    expect(busy.reason).toBe('Busy Here');
    expect(busy.headers.has('Record-Route')).toBe(false);
    // Without ;rport in the Via: nat=no writes only received; the default auto_force_rport sees the
    // Via address (10.0.0.1) differ from the source (192.0.2.9) and forces rport.
    request.headers.set('Via', 'SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1');
    expect(createResponse(request, 200, 'OK', { nat: 'no' }).headers.get('Via')).toBe('SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;received=192.0.2.9');
    expect(createResponse(request, 200).headers.get('Via')).toBe('SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1;received=192.0.2.9;rport=6000');
  });
});

describe('buildRequest', () => {
  it("writes chan_sip's initial request order", () => {
    const request = buildRequest({
      method: 'INVITE',
      uri: parseUri('sip:bob@[::1]:5062'),
      via: 'SIP/2.0/UDP [::1]:5060;branch=z9hG4bKx',
      from: parseNameAddr('"Alice" <sip:alice@[::1]>;tag=as1'),
      to: '<sip:bob@[::1]:5062>',
      contact: '<sip:alice@[::1]:5060>',
      routes: ['<sip:proxy;lr>'],
      callId: 'c@h',
      cseq: 102,
      userAgent: 'Tandem',
      headers: [['X-Test', 'yes']],
      contentType: 'application/sdp',
      body: 'v=0\r\n',
    });
    expect([...request.headers].map((f) => f.name)).toEqual([
      'Via', 'Max-Forwards', 'Route', 'From', 'To', 'Contact', 'Call-ID', 'CSeq', 'User-Agent', 'X-Test', 'Content-Type',
    ]);
    expect(request.uri).toBe('sip:bob@[::1]:5062');
    expect(request.cseq).toEqual({ seq: 102, method: 'INVITE' });
  });
});
