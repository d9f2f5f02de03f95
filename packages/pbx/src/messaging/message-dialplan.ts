import { splitArgs, type ApplicationResult, type DialplanApplication, type DialplanFunction, type DialplanSession, type PbxEngine } from '@tandem/dialplan';
import { messageForWriting, messageOf } from './channel-messages.js';
import type { TextMessage } from './text-message.js';

/**
 * A technology that sends text messages (main/message.c `struct ast_msg_tech`): chan_sip's is
 * `sip`. `send` resolves true once the message left, false when it could not be sent.
 */
export interface MessageTechnology {
  /** The URI scheme that selects it (`sip` in `MessageSend(sip:bob)`), compared case-sensitively. */
  readonly name: string;
  send(message: TextMessage, destination: string, from: string): Promise<boolean>;
}

/** The channel's message for a read; logs chan_sip's error when there is none (msg_func_read()). */
function messageToRead(session: DialplanSession): TextMessage | undefined {
  const message = messageOf(session.channel);
  if (message === undefined) session.log('error', 'No MESSAGE data found on the channel to read.');
  return message;
}

/** MESSAGE(to|from|body|custom_data) (main/message.c msg_func_read()/msg_func_write()). */
const messageFunction: DialplanFunction = {
  name: 'MESSAGE',
  synopsis: 'Create a message or read fields from a message.',
  syntax: 'MESSAGE(argument)',
  description: 'to, from, body (read/write); custom_data=mark_all_outbound|clear_all_outbound (write only).',
  read(session, args) {
    const message = messageToRead(session);
    if (message === undefined) return '';
    switch (args.trim().toLowerCase()) {
      case 'to':
        return message.to;
      case 'from':
        return message.from;
      case 'body':
        return message.body;
      default:
        session.log('warning', `Invalid argument to MESSAGE(): '${args}'`);
        return '';
    }
  },
  write(session, args, value) {
    const message = messageForWriting(session.channel);
    switch (args.trim().toLowerCase()) {
      case 'to':
        message.to = value;
        return;
      case 'from':
        message.from = value;
        return;
      case 'body':
        message.body = value;
        return;
      case 'custom_data':
        if (value.toLowerCase() === 'mark_all_outbound') message.markAll(true);
        else if (value.toLowerCase() === 'clear_all_outbound') message.markAll(false);
        else session.log('warning', `'${value}' is not a valid value for custom_data`);
        return;
      default:
        session.log('warning', `'${args}' is not a valid write argument.`);
    }
  },
};

/** MESSAGE_DATA(name): a variable of the message; writing makes it an outbound header. */
const messageDataFunction: DialplanFunction = {
  name: 'MESSAGE_DATA',
  synopsis: 'Read or write custom data attached to a message.',
  syntax: 'MESSAGE_DATA(argument)',
  read(session, args) {
    return messageToRead(session)?.variable(args) ?? '';
  },
  write(session, args, value) {
    messageForWriting(session.channel).setVariable(args, value, true);
  },
};

/**
 * MessageSend(destination[,from[,to]]) (main/message.c msg_send_exec()): sends the channel's
 * message with the technology named by the destination's scheme. Sets MESSAGE_SEND_STATUS to
 * SUCCESS, FAILURE, INVALID_PROTOCOL or INVALID_URI; always continues.
 */
function messageSend(technologies: ReadonlyMap<string, MessageTechnology>): DialplanApplication {
  return {
    name: 'MessageSend',
    synopsis: 'Send a text message.',
    syntax: 'MessageSend(destination[,from[,to]])',
    description: 'Sends MESSAGE(body) with the MESSAGE_DATA() headers; sets MESSAGE_SEND_STATUS.',
    async execute(session, data): Promise<ApplicationResult> {
      const [destination = '', from = '', to = ''] = splitArgs(data, { max: 3 }).map((part) => part.trim());
      if (destination === '') {
        session.log('warning', data.trim() === '' ? 'An argument is required to MessageSend()' : "A 'to' URI is required for MessageSend()");
        await session.setVariable('MESSAGE_SEND_STATUS', 'INVALID_URI');
        return 'continue';
      }
      const message = messageOf(session.channel);
      if (message === undefined) {
        session.log('warning', 'No message data found on channel to send.');
        await session.setVariable('MESSAGE_SEND_STATUS', 'FAILURE');
        return 'continue';
      }
      const techName = destination.split(':', 1)[0] ?? '';
      const technology = technologies.get(techName);
      if (technology === undefined) {
        session.log('warning', `No message technology '${techName}' found.`);
        await session.setVariable('MESSAGE_SEND_STATUS', 'INVALID_PROTOCOL');
        return 'continue';
      }
      if (to !== '') message.to = to;
      const sent = await technology.send(message, destination, from);
      await session.setVariable('MESSAGE_SEND_STATUS', sent ? 'SUCCESS' : 'FAILURE');
      return 'continue';
    },
  };
}

/** Registers MESSAGE(), MESSAGE_DATA() and MessageSend() with the technologies that can send. */
export function registerMessageDialplan(engine: PbxEngine, technologies: ReadonlyMap<string, MessageTechnology>): void {
  engine.functions.register(messageFunction, { replace: true });
  engine.functions.register(messageDataFunction, { replace: true });
  engine.applications.register(messageSend(technologies), { replace: true });
}
