// Parse and serialize throughput of @tandem/sip for three typical messages. Prints figures only.
import { parseMessage, serializeMessage } from '../dist/index.js';

const sdp = [
  'v=0',
  'o=- 3724394400 3724394400 IN IP4 192.0.2.50',
  's=phone',
  'c=IN IP4 192.0.2.50',
  't=0 0',
  'm=audio 40000 RTP/AVP 0 8 9 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

const messages = {
  'INVITE with SDP': [
    'INVITE sip:100@192.0.2.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bK776asdhds;rport',
    'Max-Forwards: 70',
    'From: "Alice" <sip:alice@192.0.2.1>;tag=1928301774',
    'To: <sip:100@192.0.2.1>',
    'Call-ID: a84b4c76e66710@192.0.2.50',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@192.0.2.50:5062>',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE',
    'Supported: replaces, timer',
    'User-Agent: Bench Phone 1.0',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n'),
  REGISTER: [
    'REGISTER sip:192.0.2.1 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bKnashds7;rport',
    'Max-Forwards: 70',
    'From: <sip:1000@192.0.2.1>;tag=456248',
    'To: <sip:1000@192.0.2.1>',
    'Call-ID: 843817637684230@998sdasdh09',
    'CSeq: 1826 REGISTER',
    'Contact: <sip:1000@192.0.2.50:5062>;expires=3600',
    'Authorization: Digest username="1000", realm="asterisk", nonce="1a2b3c4d", uri="sip:192.0.2.1", response="7d95345e830812c04c1bdae2ca1e2ec1", algorithm=MD5',
    'User-Agent: Bench Phone 1.0',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'),
  '200 OK': [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 192.0.2.50:5062;branch=z9hG4bK776asdhds;received=192.0.2.50;rport=5062',
    'Record-Route: <sip:192.0.2.1;lr>',
    'From: "Alice" <sip:alice@192.0.2.1>;tag=1928301774',
    'To: <sip:100@192.0.2.1>;tag=as5f3a1c2b',
    'Call-ID: a84b4c76e66710@192.0.2.50',
    'CSeq: 314159 INVITE',
    'Server: Tandem',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE',
    'Supported: replaces, timer',
    'Contact: <sip:100@192.0.2.1:5060>',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'),
};

function rate(fn, rounds = 3, iterations = 50_000) {
  const results = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    results.push(iterations / seconds);
  }
  return Math.max(...results);
}

console.log(`@tandem/sip message bench (node ${process.version}); best of 3 rounds x 50,000`);
for (const [name, text] of Object.entries(messages)) {
  const bytes = Buffer.from(text);
  const outcome = parseMessage(bytes);
  if (outcome.kind !== 'message') throw new Error(`${name} did not parse: ${JSON.stringify(outcome)}`);
  const parsed = outcome.message;
  // Parse includes reading the typed headers a B2BUA touches on every message.
  const parse = rate(() => {
    const result = parseMessage(bytes);
    if (result.kind === 'message') {
      void result.message.callId;
      void result.message.cseq;
      void result.message.topVia;
    }
  });
  const serialize = rate(() => serializeMessage(parsed));
  console.log(`${name.padEnd(16)} ${String(bytes.length).padStart(4)} bytes  parse ${Math.round(parse).toLocaleString('en-US').padStart(9)} msg/s  serialize ${Math.round(serialize).toLocaleString('en-US').padStart(9)} msg/s`);
}
