import { splitTopLevel } from '../internal/scan.js';
import { reasonPhrase } from './reason-phrases.js';
import { SipHeaders } from './sip-headers.js';
import { SipResponse, type SipRequest } from './sip-message.js';
import { forcesRport, type NatPolicy } from './nat-policy.js';

/** Options of {@link createResponse}. */
export interface CreateResponseOptions {
  /**
   * Our To tag, added when the request's To has none (not on 100 Trying, as chan_sip's
   * `respprep()` does).
   */
  readonly toTag?: string;
  /**
   * The device's `nat=` (default `auto_force_rport`, chan_sip's default): with force_rport in
   * effect `;rport=<source port>` is written even when the Via did not ask; an empty `;rport` is
   * always filled in (RFC 3581).
   */
  readonly nat?: NatPolicy;
  /** Decide force_rport yourself (overrides `nat`), e.g. from a matched peer's settings. */
  readonly forceRport?: boolean;
  /** Body of the response. */
  readonly body?: Buffer | string;
}

/**
 * Builds a response to `request` in chan_sip's header order (`respprep()`): Via (the top one
 * with `;received=` and, for RFC 3581, `;rport=` when the request carries its transport
 * `source`), Record-Route (1xx and 2xx), From, To (with our tag), Call-ID, CSeq. The TU adds
 * the rest (Server, Allow, Supported, Contact, ...).
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason: string = reasonPhrase(status),
  options: CreateResponseOptions = {},
): SipResponse {
  const headers = new SipHeaders();
  const vias = request.headers.getAll('Via');
  for (const [index, via] of vias.entries()) {
    headers.add('Via', index === 0 ? stampTopVia(via, request, options) : via);
  }
  if (status >= 100 && status < 300) {
    for (const route of request.headers.getAll('Record-Route')) headers.add('Record-Route', route);
  }
  copyFirst(request, headers, 'From');
  const to = request.headers.get('To');
  if (to !== undefined) {
    const needsTag = options.toTag !== undefined && status !== 100 && !/;\s*tag\s*=/i.test(to);
    headers.add('To', needsTag ? `${to};tag=${options.toTag}` : to);
  }
  copyFirst(request, headers, 'Call-ID');
  copyFirst(request, headers, 'CSeq');
  return new SipResponse({
    status,
    reason,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

function copyFirst(request: SipRequest, headers: SipHeaders, name: string): void {
  const value = request.headers.get(name);
  if (value !== undefined) headers.add(name, value);
}

// chan_sip (Asterisk 20): copy_via_headers() always adds ;received= to the topmost Via and writes
// ;rport=<port> (dropping an empty ;rport) when force_rport applies or the Via asked (RFC 3581 §4).
function stampTopVia(line: string, request: SipRequest, options: CreateResponseOptions): string {
  const source = request.source;
  if (source === undefined) return line;
  const [leftmost = '', ...others] = splitTopLevel(line, ',');
  const emptyRport = /;\s*rport(?=\s*(;|$))/i;
  const wantsRport = emptyRport.test(leftmost);
  let top = leftmost;
  const force = options.forceRport ?? forcesRport(request, options.nat ?? 'auto_force_rport');
  if (wantsRport || force) {
    top = `${top.replace(/;\s*rport(\s*=\s*[^;]*)?(?=\s*(;|$))/i, '')};received=${source.remoteAddress};rport=${source.remotePort}`;
  } else {
    top = `${top};received=${source.remoteAddress}`;
  }
  return [top, ...others].join(',');
}
