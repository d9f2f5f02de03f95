import type { ServerTransaction, SipRequest } from '@tandem/sip';
import type { ChanSip } from '../chan-sip.js';

/**
 * Handles a request that belongs to no dialog (chan_sip (Asterisk 20): handle_incoming() ->
 * handle_request_<method>()). It must answer through the transaction.
 */
export type OutOfDialogHandler = (sip: ChanSip, request: SipRequest, transaction: ServerTransaction) => Promise<void> | void;
