import { SipError } from '../sip-error.js';
import { SipRequest, type SipResponse } from '../message/sip-message.js';
import type { Destination } from '../transport/transport-types.js';
import type { ClientTransaction } from './client-transaction.js';
import type { SendRequestOptions, TransactionLayer } from './transaction-layer.js';

/** The outcome of {@link sendWithFailover}. */
export interface FailoverResult {
  /** The final response of the last attempt (a synthetic 408/503 when every target failed). */
  readonly response: SipResponse;
  readonly destination: Destination;
  readonly transaction: ClientTransaction;
  /** How many targets were tried. */
  readonly attempts: number;
}

/** Options of {@link sendWithFailover}. */
export interface FailoverOptions extends SendRequestOptions {
  /** Called with each attempt's transaction before it sends (to watch provisionals, or cancel). */
  readonly onAttempt?: (transaction: ClientTransaction, destination: Destination) => void;
}

/**
 * RFC 3263 §4.3 fail-over: sends `request` to each target in turn (a copy with a fresh Via branch
 * per attempt) and moves on after a timeout, a transport error or a 503; any other final response
 * ends the search. chan_sip itself never fails over (it uses one SRV target).
 * @throws {@link SipError} `invalid-argument` for an empty target list.
 */
export async function sendWithFailover(layer: TransactionLayer, request: SipRequest, targets: readonly Destination[], options: FailoverOptions = {}): Promise<FailoverResult> {
  if (targets.length === 0) throw new SipError('invalid-argument', 'sendWithFailover needs at least one target');
  let last: FailoverResult | undefined;
  for (const [index, destination] of targets.entries()) {
    const attempt = new SipRequest({ method: request.method, uri: request.uri, headers: request.headers.clone(), body: request.body });
    const transaction = layer.sendRequest(attempt, destination, options);
    options.onAttempt?.(transaction, destination);
    const response = await transaction.final;
    last = { response, destination, transaction, attempts: index + 1 };
    if (transaction.failure === undefined && response.status !== 503) return last;
  }
  return last as FailoverResult;
}
