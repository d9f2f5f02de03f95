import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUri, parseMessage, parseUri, serializeMessage, SipHeaders, SipRequest, SipResponse, type SipUri } from '../src/index.js';

const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.!%*_+`'~-]{0,15}$/);
const hostName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,2}$/);
const ipv6 = fc.ipV6().map((address) => `[${address}]`);
const param = fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), value: fc.option(token, { nil: null }) });

const sipUri: fc.Arbitrary<SipUri> = fc
  .record({
    scheme: fc.constantFrom('sip' as const, 'sips' as const),
    user: fc.option(fc.stringMatching(/^[A-Za-z0-9_.!~*'()&=+$,-]{1,12}$/), { nil: undefined }),
    host: fc.oneof(hostName, fc.ipV4(), ipv6),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    params: fc.array(param, { maxLength: 3 }),
    headers: fc.array(fc.record({ name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/), value: token }), { maxLength: 2 }),
  })
  .map((parts) => {
    const uri: SipUri = { scheme: parts.scheme, host: parts.host, params: parts.params, headers: parts.headers };
    if (parts.user !== undefined) uri.user = parts.user;
    if (parts.port !== undefined) uri.port = parts.port;
    return uri;
  });

const headerName = fc.stringMatching(/^X-[A-Za-z][A-Za-z0-9-]{0,12}$/);
const headerValue = fc.stringMatching(/^[!-~]([ !-~]{0,30}[!-~])?$/);

describe('round-trip properties', () => {
  it('formatUri(parseUri(formatUri(u))) is stable and parse gives u back', () => {
    fc.assert(
      fc.property(sipUri, (uri) => {
        const text = formatUri(uri);
        expect(parseUri(text)).toEqual(uri);
        expect(formatUri(parseUri(text))).toBe(text);
      }),
    );
  });

  it('tel URIs round-trip', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[0-9][0-9-]{0,14}$/), fc.array(param, { maxLength: 2 }), (number, params) => {
        const text = formatUri({ scheme: 'tel', user: number, host: '', params, headers: [] });
        expect(formatUri(parseUri(text))).toBe(text);
      }),
    );
  });

  it('parse(serialize(m)) gives the same message', () => {
    const extra = fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 });
    const body = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes));
    const base = (callId: string, seq: number, rest: [string, string][]) =>
      new SipHeaders([
        ['Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc'],
        ['From', '<sip:a@h>;tag=1'],
        ['To', '<sip:b@h>'],
        ['Call-ID', callId],
        ['CSeq', `${seq} INVITE`],
        ...rest,
      ]);
    const request = fc
      .tuple(sipUri, token, fc.integer({ min: 0, max: 2 ** 31 }), extra, body)
      .map(([uri, callId, seq, rest, bytes]) => new SipRequest({ method: 'INVITE', uri: formatUri(uri), headers: base(callId, seq, rest), body: bytes }));
    const response = fc
      .tuple(fc.integer({ min: 100, max: 699 }), headerValue, token, extra, body)
      .map(([status, reason, callId, rest, bytes]) => new SipResponse({ status, reason, headers: base(callId, 1, rest), body: bytes }));
    fc.assert(
      fc.property(fc.oneof(request, response), (message) => {
        const wire = serializeMessage(message);
        const outcome = parseMessage(wire);
        expect(outcome.kind).toBe('message');
        if (outcome.kind !== 'message') return;
        expect([...outcome.message.headers].filter((f) => f.name !== 'Content-Length')).toEqual([...message.headers]);
        expect(outcome.message.body.equals(message.body)).toBe(true);
        expect(serializeMessage(outcome.message).equals(wire)).toBe(true);
      }),
    );
  });
});

describe('robustness', () => {
  it('parseMessage never throws, whatever the bytes', () => {
    const sipish = fc.array(
      fc.oneof(
        fc.constantFrom('INVITE ', 'SIP/2.0', ' 200 ', '\r\n', '\r\n\r\n', ': ', 'Via', 'Call-ID', 'CSeq: ', 'From: "', 'To: <sip:', '>', ';tag=', 'Content-Length: ', '-1', '99999999999999999999', ',', '\t'),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)), sipish.map((parts) => Buffer.from(parts.join('')))), (bytes) => {
        const outcome = parseMessage(bytes);
        expect(['message', 'reject', 'drop']).toContain(outcome.kind);
      }),
      { numRuns: 2000 },
    );
  });
});
