import { describe, expect, it } from 'vitest';
import { buildExtensionsConf, parseConf } from '@tandem/config';
import { compileDialplan, PbxEngine } from '@tandem/dialplan';
import { TestHost } from '@tandem/dialplan/testing';
import { messageOf } from '../src/messaging/channel-messages.js';
import { registerMessageDialplan, type MessageTechnology } from '../src/messaging/message-dialplan.js';
import { MessageRouter } from '../src/messaging/message-router.js';
import { TextMessage } from '../src/messaging/text-message.js';
import { CapturingLogger } from './support/sip-fixtures.js';

/** A message technology that records what MessageSend asked it to send. */
class RecordingTechnology implements MessageTechnology {
  readonly name = 'sip';
  readonly sent: { destination: string; from: string; to: string; body: string; headers: [string, string][] }[] = [];
  send(message: TextMessage, destination: string, from: string): Promise<boolean> {
    this.sent.push({ destination, from, to: message.to, body: message.body, headers: message.outboundVariables() });
    return Promise.resolve(destination !== 'sip:unreachable');
  }
}

function setup(extensions: string): { router: MessageRouter; host: TestHost; technology: RecordingTechnology; logger: CapturingLogger } {
  const { config } = buildExtensionsConf(parseConf(extensions, { file: 'extensions.conf' }));
  const host = new TestHost();
  const engine = new PbxEngine({ dialplan: compileDialplan(config).dialplan, host, answerSettleMs: 0 });
  const technology = new RecordingTechnology();
  registerMessageDialplan(engine, new Map([['sip', technology]]));
  const logger = new CapturingLogger();
  return { router: new MessageRouter(() => engine, logger), host, technology, logger };
}

function received(): TextMessage {
  const message = new TextMessage();
  message.to = 'sip:desk@127.0.0.1:5060';
  message.from = '"Alice" <sip:alice@127.0.0.1:5061>';
  message.body = 'hello';
  message.context = 'messages';
  message.exten = 'desk';
  message.setVariable('X-Ticket', '42', false);
  message.setVariable('Max-Forwards', '70', false);
  return message;
}

describe('text messages (main/message.c)', () => {
  it('keeps variables case-insensitively; empty values remove them; only outbound ones are sent', () => {
    const message = new TextMessage();
    message.setVariable('X-One', '1', false);
    message.setVariable('x-one', '2', true);
    message.setVariable('X-Two', '3', false);
    expect(message.variable('X-ONE')).toBe('2');
    expect(message.outboundVariables()).toEqual([['X-One', '2']]);
    message.markAll(true);
    expect(message.outboundVariables()).toEqual([
      ['X-One', '2'],
      ['X-Two', '3'],
    ]);
    message.setVariable('x-two', '', true);
    expect(message.variable('X-Two')).toBeUndefined();
    message.markAll(false);
    expect(message.outboundVariables()).toEqual([]);
  });

  it('routes a received message through the dialplan: MESSAGE(), MESSAGE_DATA(), MessageSend()', async () => {
    const { router, host, technology } = setup(`
[messages]
exten => desk,1,Verbose(1,\${MESSAGE(from)} to \${MESSAGE(to)}: \${MESSAGE(body)} #\${MESSAGE_DATA(x-ticket)})
 same => n,Set(MESSAGE_DATA(X-Reply)=yes)
 same => n,Set(MESSAGE(body)=got it)
 same => n,MessageSend(sip:alice@127.0.0.1:5061,desk)
 same => n,Verbose(1,status \${MESSAGE_SEND_STATUS})
 same => n,Set(MESSAGE(custom_data)=mark_all_outbound)
 same => n,MessageSend(sip:unreachable,,sip:override@example.com)
 same => n,Verbose(1,status \${MESSAGE_SEND_STATUS})
 same => n,MessageSend(xmpp:alice@example.com)
 same => n,Verbose(1,status \${MESSAGE_SEND_STATUS})
`);
    const message = received();
    expect(router.hasDestination(message)).toBe(true);
    await router.queue(message);
    const verbose = host.logged.filter((line) => line.level === 'verbose').map((line) => line.message);
    expect(verbose).toContain('"Alice" <sip:alice@127.0.0.1:5061> to sip:desk@127.0.0.1:5060: hello #42');
    expect(verbose).toContain('status SUCCESS');
    expect(verbose).toContain('status FAILURE');
    expect(verbose).toContain('status INVALID_PROTOCOL');
    expect(technology.sent[0]).toEqual({ destination: 'sip:alice@127.0.0.1:5061', from: 'desk', to: 'sip:desk@127.0.0.1:5060', body: 'got it', headers: [['X-Reply', 'yes']] });
    expect(technology.sent[1]).toMatchObject({ destination: 'sip:unreachable', to: 'sip:override@example.com' });
    expect(technology.sent[1]?.headers).toEqual([
      ['X-Ticket', '42'],
      ['Max-Forwards', '70'],
      ['X-Reply', 'yes'],
    ]);
  });

  it('has no destination outside the dialplan, and warns when one disappears before routing', async () => {
    const { router, logger } = setup('[messages]\nexten => other,1,NoOp()\n');
    const message = received();
    expect(router.hasDestination(message)).toBe(false);
    message.context = '';
    expect(router.hasDestination(message)).toBe(false);
    await router.queue(received());
    expect(logger.asterisk('WARNING')).toEqual(['No handler processed message from "Alice" <sip:alice@127.0.0.1:5061> to sip:desk@127.0.0.1:5060']);
  });

  it('routes messages one at a time in arrival order', async () => {
    const { router, host } = setup('[messages]\nexten => desk,1,Wait(0.05)\n same => n,Verbose(1,\${MESSAGE(body)})\n');
    const first = received();
    const second = received();
    second.body = 'second';
    await Promise.all([router.queue(first), router.queue(second)]);
    const said = host.logged.filter((line) => line.level === 'verbose' && !line.message.startsWith('Executing')).map((line) => line.message);
    expect(said).toEqual(['hello', 'second']);
    expect(router.pending).toBe(0);
  });

  it('creates a message on a call channel when the dialplan writes one (MessageSend during a call)', async () => {
    const { technology } = setup('[messages]\n');
    const { TestChannel } = await import('@tandem/dialplan/testing');
    const { config } = buildExtensionsConf(
      parseConf('[calls]\nexten => 1,1,MessageSend(sip:bob)\n same => n,Set(MESSAGE(body)=waffles)\n same => n,MessageSend(sip:bob)\n', { file: 'extensions.conf' }),
    );
    const host = new TestHost();
    const engine = new PbxEngine({ dialplan: compileDialplan(config).dialplan, host, answerSettleMs: 0 });
    registerMessageDialplan(engine, new Map([['sip', technology]]));
    const channel = new TestChannel({ name: 'SIP/alice-00000001' });
    await engine.run(channel, { context: 'calls', exten: '1' });
    expect(host.logged.map((line) => line.message)).toContain('No message data found on channel to send.');
    expect(technology.sent).toEqual([{ destination: 'sip:bob', from: '', to: '', body: 'waffles', headers: [] }]);
    expect(messageOf(channel)?.body).toBe('waffles');
  });
});
