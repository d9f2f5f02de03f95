import type { DialplanChannel } from '@tandem/dialplan';
import { TextMessage } from './text-message.js';

/** The message each channel carries (main/message.c `msg_datastore`), without keeping channels alive. */
const messages = new WeakMap<DialplanChannel, TextMessage>();

/** The message attached to `channel`, if any (what MESSAGE() reads and MessageSend() sends). */
export function messageOf(channel: DialplanChannel): TextMessage | undefined {
  return messages.get(channel);
}

/** The message attached to `channel`, created empty on first write (msg_datastore_find_or_create()). */
export function messageForWriting(channel: DialplanChannel): TextMessage {
  let message = messages.get(channel);
  if (message === undefined) {
    message = new TextMessage();
    messages.set(channel, message);
  }
  return message;
}

/** Attaches a received message to the channel that routes it. */
export function attachMessage(channel: DialplanChannel, message: TextMessage): void {
  messages.set(channel, message);
}
