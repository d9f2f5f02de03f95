import {
  createDigestAuthorization,
  parseMessage,
  selectDigestChallenge,
  serializeMessage,
  SipHeaders,
  SipRequest,
  type MessageSource,
  type SipResponse,
} from '@tandem/sip';

/** What a test REGISTER carries. */
export interface RegisterInit {
  readonly user: string;
  readonly domain?: string;
  /** Contact header value(s); omitted for a query. */
  readonly contact?: string | readonly string[];
  readonly expires?: number | string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly viaHost?: string;
  readonly viaPort?: number;
  readonly rport?: boolean;
  readonly userAgent?: string;
  readonly extraHeaders?: readonly (readonly [string, string])[];
  readonly transport?: 'UDP' | 'TCP' | 'TLS' | 'WS';
}

let counter = 0;

/** A REGISTER as a phone sends it (parsed back from text so it is realistic). */
export function registerRequest(init: RegisterInit): SipRequest {
  counter++;
  const domain = init.domain ?? '127.0.3.1';
  const viaHost = init.viaHost ?? '127.0.3.10';
  const lines = [
    `REGISTER sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/${init.transport ?? 'UDP'} ${viaHost}:${init.viaPort ?? 5062};branch=z9hG4bK${counter.toString(16).padStart(8, '0')}${init.rport === true ? ';rport' : ''}`,
    'Max-Forwards: 70',
    `From: <sip:${init.user}@${domain}>;tag=ph${counter}`,
    `To: <sip:${init.user}@${domain}>`,
    `Call-ID: ${init.callId ?? `call-${counter}@${viaHost}`}`,
    `CSeq: ${init.cseq ?? 1} REGISTER`,
  ];
  const contacts = init.contact === undefined ? [] : typeof init.contact === 'string' ? [init.contact] : init.contact;
  for (const contact of contacts) lines.push(`Contact: ${contact}`);
  if (init.expires !== undefined) lines.push(`Expires: ${init.expires}`);
  if (init.userAgent !== undefined) lines.push(`User-Agent: ${init.userAgent}`);
  for (const [name, value] of init.extraHeaders ?? []) lines.push(`${name}: ${value}`);
  lines.push('Content-Length: 0', '', '');
  const outcome = parseMessage(Buffer.from(lines.join('\r\n')));
  if (outcome.kind !== 'message' || outcome.message.kind !== 'request') {
    throw new Error(`test REGISTER did not parse: ${JSON.stringify(outcome)}`);
  }
  return outcome.message;
}

/** The same request again with the next CSeq and credentials answering `challenge`. */
export function answerChallenge(request: SipRequest, challenge: SipResponse, username: string, secret: string): SipRequest {
  const selected = selectDigestChallenge(challenge);
  if (selected === undefined) throw new Error(`no digest challenge in ${challenge.status}`);
  const headers = new SipHeaders();
  for (const field of request.headers) {
    if (field.name.toLowerCase() === 'cseq') headers.add('CSeq', `${request.cseq.seq + 1} REGISTER`);
    else if (field.name.toLowerCase() !== 'authorization') headers.add(field.name, field.value);
  }
  headers.add(
    selected.authorizationHeader,
    createDigestAuthorization({ challenge: selected.challenge, method: 'REGISTER', requestUri: request.uri, username, secret }),
  );
  return new SipRequest({ method: request.method, uri: request.uri, headers });
}

/** A UDP source on the test addresses. */
export function udpSource(address = '127.0.3.10', port = 5062): MessageSource {
  return { transport: 'udp', remoteAddress: address, remotePort: port, localAddress: '127.0.3.1', localPort: 5060 };
}

/** The wire text of a response (to check header order and layout). */
export function wireText(response: SipResponse): string {
  return serializeMessage(response).toString('utf8');
}
