import type { TransferResult } from '@tandem/dialplan';

/** main/frame.h `enum ast_control_transfer`: AST_TRANSFER_FAILED, what TRANSFERSTATUSPROTOCOL gets on failure. */
const AST_TRANSFER_FAILED = '1';

/**
 * The Refer-To of Transfer() on an answered call (chan_sip transmit_refer()): the party's URI
 * is the From of the call's INVITE (the To when we placed the call); a destination without `@`
 * takes that URI's host part, and `sips:` stays `sips:`.
 */
export function referTarget(destination: string, partyHeader: string): string {
  const bracketed = /<([^>]*)>/.exec(partyHeader)?.[1] ?? partyHeader.split(';')[0]?.trim() ?? '';
  let uri = bracketed;
  let secure = false;
  if (/^sip:/i.test(uri)) uri = uri.slice(4);
  else if (/^sips:/i.test(uri)) {
    uri = uri.slice(5);
    secure = true;
  }
  const scheme = secure ? 'sips' : 'sip';
  const at = uri.indexOf('@');
  if (destination.includes('@') || at < 0) return `<${scheme}:${destination}>`;
  return `<${scheme}:${destination}@${uri.slice(at + 1)}>`;
}

/**
 * How a REFER progress NOTIFY's sipfrag reads (chan_sip handle_request_notify(), Event: refer):
 * 200 = the transfer worked; 1xx = still going; 3xx, 503, 603, an unparsable line or any
 * other final status = it failed.
 */
export function sipfragOutcome(body: string): 'success' | 'failure' | 'pending' {
  const [, code = ''] = body.trim().split(/\s+/);
  const status = Number.parseInt(code, 10);
  if (status === 200) return 'success';
  if (Number.isNaN(status) || status === 0) return 'failure';
  return status < 200 ? 'pending' : 'failure';
}

/**
 * A REFER we sent for Transfer() on an answered call (chan_sip's `p->refer` with REFER_SENT),
 * waited for as ast_transfer_protocol() waits for AST_CONTROL_TRANSFER: a failure response to
 * the REFER (handle_response_refer()) or the NOTIFY's sipfrag settles it; so does the end of
 * the call (ast_read() returning nothing: FAILURE with protocol 0).
 */
export class OutgoingRefer {
  readonly result: Promise<TransferResult>;
  #settle: (result: TransferResult) => void = () => undefined;
  #settled = false;

  constructor(readonly referTo: string) {
    this.result = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** The final response to our REFER: 2xx waits for the NOTIFY, anything else fails. */
  onResponse(status: number): void {
    if (status >= 200 && status < 300) return;
    this.#finish({ status: 'FAILURE', protocolStatus: AST_TRANSFER_FAILED });
  }

  /** A NOTIFY (Event: refer) with its sipfrag body. */
  onNotify(body: string): void {
    const outcome = sipfragOutcome(body);
    if (outcome === 'pending') return;
    this.#finish(outcome === 'success' ? { status: 'SUCCESS', protocolStatus: '0' } : { status: 'FAILURE', protocolStatus: AST_TRANSFER_FAILED });
  }

  /** The REFER got no response, or the call ended while we waited. */
  abandon(): void {
    this.#finish({ status: 'FAILURE', protocolStatus: '0' });
  }

  #finish(result: TransferResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle(result);
  }
}
