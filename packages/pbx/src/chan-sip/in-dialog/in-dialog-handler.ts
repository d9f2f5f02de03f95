import type { ServerTransaction, SipRequest } from '@tandem/sip';
import type { SipChannel } from '../sip-channel.js';

/** Answers an in-dialog request: status, reason, an optional body and extra header lines. */
export type InDialogReply = (
  status: number,
  reason?: string,
  body?: { readonly type: string; readonly body: string },
  headers?: readonly (readonly [string, string])[],
) => void;

/**
 * Handles a request inside a call's dialog (chan_sip (Asterisk 20): handle_incoming() with an
 * existing pvt). It must answer through `reply`; `transaction` is the request's server
 * transaction (to follow its ACK).
 */
export type InDialogHandler = (channel: SipChannel, request: SipRequest, reply: InDialogReply, transaction: ServerTransaction) => Promise<void> | void;
