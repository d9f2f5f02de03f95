import { describe, expect, it } from 'vitest';
import { createResponse, Dialog, dialogIdOf, parseMessage, SipError, type SipRequest, type SipResponse } from '../src/index.js';

const source = { transport: 'udp', remoteAddress: '192.0.2.10', remotePort: 5060, localAddress: '127.0.0.1', localPort: 5060 } as const;

function parse(text: string): SipRequest | SipResponse {
  const outcome = parseMessage(text, { source });
  if (outcome.kind !== 'message') throw new Error(JSON.stringify(outcome));
  return outcome.message;
}

const invite = parse(
  [
    'INVITE sip:100@pbx.example SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKd1',
    'Record-Route: <sip:p1.example;lr>',
    'Record-Route: <sip:p2.example;lr>',
    'From: "Alice" <sip:alice@example.com>;tag=a1',
    'To: <sip:100@pbx.example>',
    'Call-ID: dlg-1',
    'CSeq: 7 INVITE',
    'Contact: <sip:alice@192.0.2.10:5062>',
    '',
    '',
  ].join('\r\n'),
) as SipRequest;

describe('UAS dialog (RFC 3261 §12.1.1)', () => {
  const dialog = Dialog.fromUas(invite, 'as1234', { contact: '<sip:100@127.0.0.1:5060>', userAgent: 'Tandem' });

  it('takes tags, route set in order, remote target and CSeq from the request', () => {
    expect(dialog.id).toBe('dlg-1;local=as1234;remote=a1');
    expect(dialog.routeSet).toEqual(['sip:p1.example;lr', 'sip:p2.example;lr']);
    expect(dialog.remoteTarget.host).toBe('192.0.2.10');
    expect(dialog.remoteSeq).toBe(7);
    expect(dialog.secure).toBe(false);
    expect(dialog.state).toBe('early');
    expect(dialogIdOf(invite)).toBe('dlg-1;local=;remote=a1');
  });

  it("builds a BYE with loose routing in chan_sip's order, CSeq from 102", () => {
    const bye = dialog.createRequest('BYE');
    expect(bye.uri).toBe('sip:alice@192.0.2.10:5062');
    expect([...bye.headers].map((field) => `${field.name}: ${field.value}`)).toEqual([
      'Route: <sip:p1.example;lr>,<sip:p2.example;lr>',
      'Max-Forwards: 70',
      'From: <sip:100@pbx.example>;tag=as1234',
      'To: "Alice" <sip:alice@example.com>;tag=a1',
      'Call-ID: dlg-1',
      'CSeq: 102 BYE',
      'User-Agent: Tandem',
    ]);
    const info = dialog.createRequest('INFO', { contentType: 'application/dtmf-relay', body: 'Signal=1\r\nDuration=250\r\n' });
    expect(info.cseq.seq).toBe(103);
    expect(info.headers.get('Contact')).toBe('<sip:100@127.0.0.1:5060>');
    expect(info.headers.get('Content-Type')).toBe('application/dtmf-relay');
    expect(dialog.nextHop.host).toBe('p1.example');
  });

  it('rejects out-of-order requests and refreshes the target on re-INVITE', () => {
    const reinvite = parse(
      ['INVITE sip:100@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKd2', 'From: <sip:alice@example.com>;tag=a1', 'To: <sip:100@pbx.example>;tag=as1234', 'Call-ID: dlg-1', 'CSeq: 8 INVITE', 'Contact: <sip:alice@198.51.100.7:5070>', '', ''].join('\r\n'),
    ) as SipRequest;
    expect(dialog.receiveRequest(reinvite)).toBe('accepted');
    expect(dialog.remoteTarget.host).toBe('198.51.100.7');
    const old = parse(['BYE sip:100@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKd3', 'From: <sip:alice@example.com>;tag=a1', 'To: <sip:100@pbx.example>;tag=as1234', 'Call-ID: dlg-1', 'CSeq: 3 BYE', '', ''].join('\r\n')) as SipRequest;
    expect(dialog.receiveRequest(old)).toBe('out-of-order');
    expect(dialogIdOf(old)).toBe(dialog.id);
  });

  it('refuses ACK/CANCEL through createRequest and requests on an ended dialog', () => {
    expect(() => dialog.createRequest('ACK')).toThrow(SipError);
    const ended = Dialog.fromUas(invite, 'x');
    ended.terminate();
    expect(() => ended.createRequest('INFO')).toThrow(expect.objectContaining({ code: 'dialog-state' }));
  });
});

describe('UAC dialog (RFC 3261 §12.1.2)', () => {
  const ours = parse(
    ['INVITE sip:bob@provider.example SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKu1', 'From: <sip:100@127.0.0.1>;tag=as99', 'To: <sip:bob@provider.example>', 'Call-ID: dlg-2', 'CSeq: 102 INVITE', 'Contact: <sip:100@127.0.0.1:5060>', '', ''].join('\r\n'),
  ) as SipRequest;
  const ringing = createResponse(ours, 180, 'Ringing', { toTag: 'b7' });
  ringing.headers.add('Record-Route', '<sip:edge.example;lr>');
  ringing.headers.add('Record-Route', '<sip:core.example;lr>');
  ringing.headers.add('Contact', '<sip:bob@203.0.113.5>');

  it('reverses Record-Route, confirms on 2xx recomputing the route set, and builds the 2xx ACK', () => {
    const dialog = Dialog.fromUac(ours, ringing, 'udp', { contact: '<sip:100@127.0.0.1:5060>' });
    expect(dialog.state).toBe('early');
    expect(dialog.routeSet).toEqual(['sip:core.example;lr', 'sip:edge.example;lr']);
    const ok = createResponse(ours, 200, 'OK', { toTag: 'b7' });
    ok.headers.add('Record-Route', '<sip:only.example;lr>');
    ok.headers.add('Contact', '<sip:bob@203.0.113.9>');
    dialog.confirm(ok);
    expect(dialog.state).toBe('confirmed');
    expect(dialog.routeSet).toEqual(['sip:only.example;lr']);
    const ack = dialog.createAck(102);
    expect(ack.uri).toBe('sip:bob@203.0.113.9');
    expect(ack.cseq).toEqual({ seq: 102, method: 'ACK' });
    expect(ack.headers.has('Contact')).toBe(false);
    expect(dialog.createRequest('UPDATE').cseq.seq).toBe(103);
    expect(dialog.id).toBe('dlg-2;local=as99;remote=b7');
    expect(dialogIdOf(ok)).toBe(dialog.id);
  });

  it('routes strictly when the first route has no lr (RFC 3261 §12.2.1.1)', () => {
    const strict = createResponse(ours, 200, 'OK', { toTag: 'b8' });
    strict.headers.add('Record-Route', '<sip:strict2.example>');
    strict.headers.add('Record-Route', '<sip:strict1.example;transport=udp>');
    strict.headers.add('Contact', '<sip:bob@203.0.113.5>');
    const dialog = Dialog.fromUac(ours, strict, 'udp');
    const bye = dialog.createRequest('BYE');
    expect(bye.uri).toBe('sip:strict1.example;transport=udp');
    expect(bye.headers.getAll('Route')).toEqual(['<sip:strict2.example>,<sip:bob@203.0.113.5>']);
  });

  it('keeps hops without a scheme as received, as chan_sip does (route test of the testsuite)', () => {
    const strict = createResponse(ours, 200, 'OK', { toTag: 'b9' });
    strict.headers.add('Record-Route', '<test1-subsystem1@127.0.0.1:5062>,<test1-subsystem2@127.0.0.1:5062>');
    strict.headers.add('Contact', '<sip:127.0.0.1:5062>');
    const dialog = Dialog.fromUac(ours, strict, 'udp');
    const bye = dialog.createRequest('BYE');
    expect(bye.uri).toBe('test1-subsystem2@127.0.0.1:5062');
    expect(bye.headers.get('Route')).toBe('<test1-subsystem1@127.0.0.1:5062>,<sip:127.0.0.1:5062>');
    expect(dialog.nextHop).toMatchObject({ host: '127.0.0.1', port: 5062 });

    const loose = createResponse(ours, 200, 'OK', { toTag: 'b10' });
    loose.headers.add('Record-Route', '<loose1@127.0.0.1:5061;lr>,<loose2@127.0.0.1:5061;lr>');
    loose.headers.add('Contact', '<sip:127.0.0.1:5062>');
    const looseBye = Dialog.fromUac(ours, loose, 'udp').createRequest('BYE');
    expect(looseBye.uri).toBe('sip:127.0.0.1:5062');
    expect(looseBye.headers.get('Route')).toBe('<loose2@127.0.0.1:5061;lr>,<loose1@127.0.0.1:5061;lr>');
  });

  it('needs a To tag', () => {
    expect(() => Dialog.fromUac(ours, createResponse(ours, 180), 'udp')).toThrow(expect.objectContaining({ code: 'dialog-state' }));
  });

  it('sets the secure flag for a sips: request sent over TLS', () => {
    const sips = parse(['INVITE sips:bob@provider.example SIP/2.0', 'Via: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKu2', 'From: <sips:100@127.0.0.1>;tag=as98', 'To: <sips:bob@provider.example>', 'Call-ID: dlg-3', 'CSeq: 102 INVITE', '', ''].join('\r\n')) as SipRequest;
    const ok = createResponse(sips, 200, 'OK', { toTag: 't' });
    ok.headers.add('Contact', '<sips:bob@203.0.113.5>');
    expect(Dialog.fromUac(sips, ok, 'tls').secure).toBe(true);
    expect(Dialog.fromUac(sips, ok, 'tcp').secure).toBe(false);
  });
});
