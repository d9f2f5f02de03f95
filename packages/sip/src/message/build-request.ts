import { formatCSeq } from './cseq.js';
import { formatNameAddr, type NameAddr } from './name-addr.js';
import { SipHeaders } from './sip-headers.js';
import { SipRequest } from './sip-message.js';
import { formatUri, type SipUri } from './sip-uri.js';
import { formatVia, type Via } from './via.js';

/** What {@link buildRequest} needs; text values are written as given. */
export interface RequestInit {
  readonly method: string;
  readonly uri: SipUri | string;
  /** Usually left out: the transaction layer inserts the top Via with a fresh branch. */
  readonly via?: Via | string;
  /** Default 70 (chan_sip `maxforwards`). */
  readonly maxForwards?: number;
  /** Route set to write, in order (RFC 3261 §12.2.1.1). */
  readonly routes?: readonly (NameAddr | string)[];
  readonly from: NameAddr | string;
  readonly to: NameAddr | string;
  readonly contact?: NameAddr | string;
  readonly callId: string;
  readonly cseq: number;
  readonly userAgent?: string;
  /** Further header lines, written after the standard ones in the given order. */
  readonly headers?: Iterable<readonly [string, string]>;
  readonly contentType?: string;
  readonly body?: Buffer | string;
}

/**
 * Builds a request with chan_sip's header order (`initreqprep()`): Via, Max-Forwards, Route,
 * From, To, Contact, Call-ID, CSeq, User-Agent, then the extra headers and Content-Type.
 */
export function buildRequest(init: RequestInit): SipRequest {
  const headers = new SipHeaders();
  if (init.via !== undefined) headers.add('Via', typeof init.via === 'string' ? init.via : formatVia(init.via));
  headers.add('Max-Forwards', String(init.maxForwards ?? 70));
  for (const route of init.routes ?? []) headers.add('Route', formatAddress(route));
  headers.add('From', formatAddress(init.from));
  headers.add('To', formatAddress(init.to));
  if (init.contact !== undefined) headers.add('Contact', formatAddress(init.contact));
  headers.add('Call-ID', init.callId);
  headers.add('CSeq', formatCSeq({ seq: init.cseq, method: init.method }));
  if (init.userAgent !== undefined) headers.add('User-Agent', init.userAgent);
  for (const [name, value] of init.headers ?? []) headers.add(name, value);
  if (init.contentType !== undefined) headers.add('Content-Type', init.contentType);
  return new SipRequest({
    method: init.method,
    uri: typeof init.uri === 'string' ? init.uri : formatUri(init.uri),
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

/** Writes a name-addr given as an object, or returns the text as it is. */
export function formatAddress(value: NameAddr | string): string {
  return typeof value === 'string' ? value : formatNameAddr(value);
}
