import type { SipRequest } from '@tandem/sip';
import type { SipChannel } from '../sip-channel.js';

/** Answers an in-dialog request: status, reason, and an optional body. */
export type InDialogReply = (status: number, reason?: string, body?: { readonly type: string; readonly body: string }) => void;

/**
 * Handles a request inside a call's dialog (chan_sip (Asterisk 20): handle_incoming() with an
 * existing pvt). It must answer through `reply`.
 */
export type InDialogHandler = (channel: SipChannel, request: SipRequest, reply: InDialogReply) => Promise<void> | void;
