import type { PbxEngine } from '@tandem/dialplan';
import type { Logger } from '@tandem/registrar';
import { attachMessage } from './channel-messages.js';
import { MessageChannel } from './message-channel.js';
import type { TextMessage } from './text-message.js';

/**
 * Routes received text messages through the dialplan (main/message.c: the `ast_msg_queue`
 * taskprocessor and its dialplan handler): one message at a time, in arrival order, each on a
 * fresh `Message/ast_msg_queue` channel starting at its exten (`s` when empty) in its context.
 */
export class MessageRouter {
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(
    private readonly engine: () => PbxEngine,
    private readonly logger: Logger,
  ) {}

  /** Messages received and not yet routed to the end of their dialplan. */
  get pending(): number {
    return this.#pending;
  }

  /** Whether the dialplan would take the message (dialplan_has_destination_cb()). */
  hasDestination(message: TextMessage): boolean {
    if (message.context === '') return false;
    return this.engine().dialplan.exists(message.context, message.exten === '' ? 's' : message.exten, 1);
  }

  /** Queues a message for the dialplan (ast_msg_queue()); resolves when it was routed. */
  queue(message: TextMessage): Promise<void> {
    this.#pending += 1;
    const routed = this.#queue
      .then(() => this.#route(message))
      .finally(() => {
        this.#pending -= 1;
      });
    this.#queue = routed;
    return routed;
  }

  async #route(message: TextMessage): Promise<void> {
    // msg_q_cb(): the destination is checked again when the message's turn comes.
    if (!this.hasDestination(message)) {
      this.logger.warn({ asteriskLevel: 'WARNING' }, `No handler processed message from ${message.from || '<unknown>'} to ${message.to || '<unknown>'}`);
      return;
    }
    const channel = new MessageChannel();
    attachMessage(channel, message);
    try {
      await this.engine().run(channel, { context: message.context, exten: message.exten === '' ? 's' : message.exten }, { noHangup: true });
    } catch (error) {
      this.logger.error({ err: error }, `dialplan failed on a message from ${message.from || '<unknown>'}`);
    }
  }
}
