import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, SipRequest, SipResponse, type SipMessage } from '../src/index.js';
import { tortureCases, tortureText } from './fixtures/rfc4475.js';

const invite = [
  'INVITE sip:bob@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1;rport',
  'From: "Alice" <sip:alice@127.0.0.1>;tag=a1',
  'To: <sip:bob@127.0.0.1>',
  'Call-ID: c1@127.0.0.1',
  'CSeq: 102 INVITE',
  'X-Asterisk-HangupCause: Normal Clearing',
  'X-Foo: one',
  'X-Foo: two',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\n',
].join('\r\n');

function message(text: string): SipMessage {
  const outcome = parseMessage(text);
  if (outcome.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(outcome)}`);
  return outcome.message;
}

describe('parseMessage', () => {
  it('parses a request with its headers in wire order, case preserved, repeats separate', () => {
    const request = message(invite);
    expect(request).toBeInstanceOf(SipRequest);
    if (request.kind !== 'request') return;
    expect(request.method).toBe('INVITE');
    expect(request.uri).toBe('sip:bob@127.0.0.1');
    expect([...request.headers].map((field) => field.name)).toEqual([
      'Via', 'From', 'To', 'Call-ID', 'CSeq', 'X-Asterisk-HangupCause', 'X-Foo', 'X-Foo', 'Content-Type', 'Content-Length',
    ]);
    expect(request.headers.getAll('x-foo')).toEqual(['one', 'two']);
    expect(request.bodyText).toBe('v=0\n');
  });

  it('parses a response and its reason phrase', () => {
    const response = message('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nCall-ID: a\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\n\r\n');
    expect(response).toBeInstanceOf(SipResponse);
    if (response.kind !== 'response') return;
    expect(response.status).toBe(180);
    expect(response.reason).toBe('Ringing');
  });

  it('drops CRLF keep-alives, a blank line before the start line, garbage and SIP/7.0', () => {
    expect(parseMessage('\r\n\r\n')).toMatchObject({ kind: 'drop', reason: 'keepalive' });
    expect(parseMessage(`\r\n${invite}`)).toMatchObject({ kind: 'drop', reason: 'malformed-start-line' });
    expect(parseMessage('hello world\r\n\r\n')).toMatchObject({ kind: 'drop' });
    expect(parseMessage(Buffer.from([0xff, 0x00, 0x13, 0x37]))).toMatchObject({ kind: 'drop' });
    expect(parseMessage(invite.replace('SIP/2.0\r\n', 'SIP/7.0\r\n'))).toMatchObject({ kind: 'drop', reason: 'unsupported-version' });
    expect(parseMessage(invite.replace(/^INVITE/, 'SIP/7.0 200'))).toMatchObject({ kind: 'drop', reason: 'unsupported-version' });
  });

  it('drops a message without Via', () => {
    expect(parseMessage(invite.replace(/Via:[^\r]*\r\n/, ''))).toMatchObject({ kind: 'drop', reason: 'missing-via' });
  });

  it.each(['Call-ID', 'CSeq', 'From', 'To'])('answers 400 when %s is missing', (name) => {
    const text = invite.replace(new RegExp(`${name}:[^\\r]*\\r\\n`), '');
    const outcome = parseMessage(text);
    expect(outcome).toMatchObject({ kind: 'reject', status: 400, reason: 'Bad Request' });
  });

  it('answers 400 to a CSeq without a number, drops the same for ACK and responses', () => {
    expect(parseMessage(invite.replace('CSeq: 102 INVITE', 'CSeq: abc'))).toMatchObject({ kind: 'reject', status: 400 });
    const ack = invite.replace(/^INVITE/, 'ACK').replace(/Call-ID:[^\r]*\r\n/, '');
    expect(parseMessage(ack)).toMatchObject({ kind: 'drop', reason: 'missing-required-header' });
  });

  it('answers 416 to an unterminated quote in From or To', () => {
    const outcome = parseMessage(invite.replace('From: "Alice" <', 'From: "Alice <'));
    expect(outcome).toMatchObject({ kind: 'reject', status: 416, reason: 'Unsupported URI scheme' });
  });

  it('is lenient where chan_sip answers normally', () => {
    const lenient = [
      invite.replace('Content-Length: 4', 'Content-Length: abc'),
      invite.replace('Content-Length: 4', 'Content-Length: -5'),
      invite.replace('CSeq: 102 INVITE', 'CSeq: 102 OPTIONS'),
      invite.replace('CSeq: 102 INVITE', 'CSeq: 99999999999 INVITE'),
      invite.replace('Via: SIP/2.0/UDP 127.0.0.1:5062', 'Via: SIP/2.0/UDP '),
      invite.replace('To: <sip:bob@127.0.0.1>', 'To: <sip:bob@127.0.0.1'),
      invite.replace('X-Foo: one', 'Max-Forwards: lots'),
      invite.replace('X-Foo: one', 'a line without a colon'),
    ];
    for (const text of lenient) expect(parseMessage(text).kind).toBe('message');
    const unclosed = message(invite.replace('To: <sip:bob@127.0.0.1>', 'To: <sip:bob@127.0.0.1'));
    expect(unclosed.to.uri.host).toBe('127.0.0.1');
    expect(message(invite.replace('X-Foo: one', 'Max-Forwards: lots')).maxForwards).toBeUndefined();
  });

  it('cuts the body to Content-Length and ignores a larger one', () => {
    expect(message(invite.replace('Content-Length: 4', 'Content-Length: 2')).bodyText).toBe('v=');
    expect(message(invite.replace('Content-Length: 4', 'Content-Length: 400')).bodyText).toBe('v=0\n');
  });

  it('joins folded header lines and accepts LF-only messages', () => {
    const folded = message(invite.replace('X-Foo: one', 'X-Foo: one\r\n  continued'));
    expect(folded.headers.get('X-Foo')).toBe('one continued');
    expect(message(invite.replace(/\r\n/g, '\n')).headers.get('Call-ID')).toBe('c1@127.0.0.1');
  });

  it('attaches the source', () => {
    const source = { transport: 'udp', remoteAddress: '::1', remotePort: 5062, localAddress: '::1', localPort: 5060 } as const;
    const outcome = parseMessage(invite, { source });
    expect(outcome.kind === 'message' && outcome.message.source).toEqual(source);
  });
});

describe('serializeMessage', () => {
  it('keeps header names exactly, repeats separate, computes Content-Length', () => {
    const request = message(invite);
    request.body = Buffer.from('v=0\r\no=x\r\n');
    const text = serializeMessage(request).toString();
    expect(text).toContain('X-Asterisk-HangupCause: Normal Clearing\r\n');
    expect(text).toContain('X-Foo: one\r\nX-Foo: two\r\n');
    expect(text).toContain('Content-Length: 10\r\n\r\nv=0\r\no=x\r\n');
  });

  it('adds Content-Length last when missing and keeps a compact l in place', () => {
    const request = new SipRequest({ method: 'OPTIONS', uri: 'sip:a@b' });
    request.headers.add('Call-ID', 'x');
    expect(serializeMessage(request).toString()).toBe('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n');
    request.headers.prepend('l', '99');
    expect(serializeMessage(request).toString()).toBe('OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nCall-ID: x\r\n\r\n');
  });

  it('round-trips what it parsed', () => {
    const first = serializeMessage(message(invite));
    expect(serializeMessage(message(first.toString())).equals(first)).toBe(true);
  });
});

describe('RFC 4475 torture messages', () => {
  it.each(tortureCases.map((test) => [test.name, test] as const))('%s', (_name, test) => {
    const outcome = parseMessage(tortureText(test));
    expect(outcome.kind).toBe(test.expect.kind);
    if (outcome.kind === 'reject' && test.expect.kind === 'reject') expect(outcome.status).toBe(test.expect.status);
    if (outcome.kind === 'drop' && test.expect.kind === 'drop') expect(outcome.reason).toBe(test.expect.reason);
  });

  it('reads the tortuous INVITE the way its author meant', () => {
    const test = tortureCases[0];
    if (test === undefined) throw new Error('no wsinv');
    const request = message(tortureText(test));
    expect(request.to.uri.user).toBe('vivekg');
    expect(request.to.params).toEqual([{ name: 'tag', value: '1918181833n' }]);
    expect(request.from.displayName).toBe('J Rosenberg \\"');
    expect(request.from.params).toEqual([{ name: 'tag', value: '98asjd8' }]);
    expect(request.maxForwards).toBe(68);
    expect(request.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(request.vias.map((via) => [via.transport, via.host, via.params.find((p) => p.name === 'branch')?.value])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(request.headers.get('s')).toBe('');
    expect(request.headers.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(request.contacts[0]?.displayName).toBe('Quoted string ""');
    expect(request.contacts[0]?.params.map((p) => p.name)).toEqual(['newparam', 'secondparam', 'q']);
    expect(request.routes[0]?.uri.params.map((p) => p.name)).toEqual(['lr', 'unknownwith', 'unknown-no-value']);
  });

  it('keeps only the first request of a datagram with trailing octets (dblreq)', () => {
    const test = tortureCases.find((entry) => entry.name.includes('dblreq'));
    if (test === undefined) throw new Error('no dblreq');
    const request = message(tortureText(test));
    expect(request.kind === 'request' && request.method).toBe('REGISTER');
    expect(request.body.length).toBe(0);
  });

  it('reads the user part with semicolons and the <> Request-URI', () => {
    const semiuri = tortureCases.find((entry) => entry.name.includes('semiuri'));
    const ltgt = tortureCases.find((entry) => entry.name.includes('ltgtruri'));
    if (semiuri === undefined || ltgt === undefined) throw new Error('missing cases');
    const first = message(tortureText(semiuri));
    expect(first.kind === 'request' && first.requestUri?.user).toBe('user;par=u%40example.net');
    const second = message(tortureText(ltgt));
    expect(second.kind === 'request' && second.uri).toBe('sip:user@example.com');
  });
});
