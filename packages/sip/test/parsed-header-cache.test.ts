import { describe, expect, it } from 'vitest';
import { parseMessage, type SipMessage } from '../src/index.js';

function parse(text: string): SipMessage {
  const outcome = parseMessage(text.replace(/\n/g, '\r\n'));
  if (outcome.kind !== 'message') throw new Error(`not a message: ${outcome.kind}`);
  return outcome.message;
}

const invite = `INVITE sip:bob@192.0.2.2 SIP/2.0
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKaaa, SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKzzz
From: "Alice;tag=no" <sip:alice@192.0.2.1>;tag=from1
To: <sip:bob@192.0.2.2>
Call-ID: c1@192.0.2.1
CSeq: 1 INVITE
Content-Length: 0

`;

describe('header values kept per header line', () => {
  it('top Via follows the Via header when it changes', () => {
    const message = parse(invite);
    expect(message.topVia.host).toBe('192.0.2.1');
    expect(message.topVia).toBe(message.topVia);
    message.headers.prepend('Via', 'SIP/2.0/TCP 198.51.100.7:5062;branch=z9hG4bKnew');
    expect(message.topVia).toMatchObject({ transport: 'TCP', host: '198.51.100.7', port: 5062 });
    message.headers.removeFirst('Via');
    expect(message.topVia.host).toBe('192.0.2.1');
  });

  it('From and To tags are those of getTag(from/to), also after the headers change', () => {
    const message = parse(invite);
    expect(message.fromTag).toBe('from1');
    expect(message.toTag).toBeUndefined();
    message.headers.set('To', '<sip:bob@192.0.2.2>;tag=to9');
    expect(message.toTag).toBe('to9');
    message.headers.set('From', '<sip:alice@192.0.2.1>');
    expect(message.fromTag).toBeUndefined();
  });
});
