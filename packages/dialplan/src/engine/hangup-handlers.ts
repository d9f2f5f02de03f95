/**
 * Hangup handlers (Asterisk 20, main/pbx_hangup_handler.c): Gosub locations pushed with
 * CHANNEL(hangup_handler_push), run last-in first-out after the `h` extension.
 */
import type { DialplanChannel } from '../channel.js';

const stacks = new WeakMap<DialplanChannel, string[]>();

/** The handler stack of a channel (top = last element). */
export function hangupHandlers(channel: DialplanChannel): string[] {
  let stack = stacks.get(channel);
  if (!stack) {
    stack = [];
    stacks.set(channel, stack);
  }
  return stack;
}
