/**
 * Presence and MWI subscriptions (chan_sip handle_request_subscribe(), transmit_state_notify(),
 * transmit_notify_with_mwi()): a watcher subscribes to a hinted extension and is NOTIFYed when
 * the hinted phone registers; a phone subscribes to its mailbox and is NOTIFYed when the mailbox
 * server's NOTIFY (an `mwi =>` subscription) changes the counts. Phones are sipp processes on
 * 127.0.33.4x.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runSipp, startSipp, type SippRun } from '@tandem/test-support';
import { settle, type DialplanNet } from './dialplan-support.js';
import { PHONE_PORT, SIP_PORT, scenario, sipGeneral, sippAt, useTandem } from './test-server.js';

const SERVER = '127.0.33.41';
const WATCHER = '127.0.33.42';
const BOB = '127.0.33.43';
const MAILBOX_SERVER = '127.0.33.44';
const CAROL = '127.0.33.45';
const net: DialplanNet = { server: SERVER, sipPort: SIP_PORT, caller: WATCHER, callee: BOB, phonePort: PHONE_PORT };

const files = {
  'sip.conf': `${sipGeneral(net)}
allowguest=no
mwi => watcher:mwipw@${MAILBOX_SERVER}:${PHONE_PORT}/1234

[watcher]
type=friend
host=dynamic
context=office
subscribecontext=blf
mailbox=1234@SIP_Remote

[bob]
type=friend
host=dynamic
secret=bobpw
context=office

[carol]
type=friend
host=dynamic
secret=carolpw
context=office
mailbox=1234@SIP_Remote
`,
  'extensions.conf': '[office]\nexten => 100,1,Hangup()\n\n[blf]\nexten => 201,hint,SIP/bob\n',
};

/** The watcher subscribing to `exten` for `event` with `accept`. */
function subscribe(exten: string, event: string, accept: string): SippRun {
  return startSipp(sippAt(net, WATCHER, PHONE_PORT, {
    scenario: scenario('identity-uac-subscribe.xml'),
    args: ['-s', exten, '-set', 'caller', 'watcher', '-set', 'event', event, '-set', 'accept', accept],
    timeoutMs: 30_000,
  }));
}

describe('SUBSCRIBE and NOTIFY', () => {
  // The mailbox server of the mwi => line must listen before Tandem starts and subscribes.
  let mailboxServer: SippRun;
  beforeAll(async () => {
    mailboxServer = startSipp(sippAt(net, MAILBOX_SERVER, PHONE_PORT, {
      scenario: scenario('identity-uas-mailbox-server.xml'),
      args: ['-set', 'counts', '3/1 (0/0)', '-d', '4000'],
      timeoutMs: 40_000,
    }));
    await settle();
  });
  const tandem = useTandem(files, net);

  it('subscribes to the mwi => mailbox and passes its counts on to the device watching that mailbox', async () => {
    const watcher = subscribe('watcher', 'message-summary', 'application/simple-message-summary');
    const result = await watcher.done;
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(result.logs).toContain('body=Voice-Message: 0/0 (0/0)');
    expect(result.logs).toContain('body=Voice-Message: 3/1 (0/0)');
    const server = await mailboxServer.done;
    expect(server.exitCode, server.errors).toBe(0);
    expect(server.logs).toContain('event=message-summary accept=application/simple-message-summary expires=3600');
  });

  it('NOTIFYs a device with that mailbox, unsolicited, when it registers', async () => {
    // The phone registers a Contact on another port, where its "listening socket" waits.
    const listening = startSipp(sippAt(net, CAROL, PHONE_PORT + 2, {
      scenario: scenario('identity-uas-expect-mwi.xml'),
      timeoutMs: 20_000,
    }));
    await settle();
    const registered = await runSipp(sippAt(net, CAROL, PHONE_PORT, {
      scenario: scenario('register-contact-port.xml'),
      args: ['-s', 'carol', '-au', 'carol', '-ap', 'carolpw', '-set', 'contactport', String(PHONE_PORT + 2)],
    }));
    expect(registered.exitCode, registered.errors).toBe(0);
    const notified = await listening.done;
    expect(notified.exitCode, notified.errors).toBe(0);
    expect(notified.logs).toContain('body=Voice-Message: 3/1 (0/0)');
    expect(notified.logs).toContain('event=message-summary');
  });

  it('NOTIFYs pidf presence of a hint, again when its phone registers, and ends on Expires: 0', async () => {
    const watcher = subscribe('201', 'presence', 'application/pidf+xml');
    expect(await watcher.waitForLog(/body=<note>Not online<\/note>/)).toBeDefined();
    const listed = await tandem().rx('sip show subscriptions');
    expect(listed.output).toMatch(new RegExp(`^${WATCHER.replace(/\./g, '\\.')}\\s+watcher\\s+\\S+\\s+201@blf\\s+Unavailable\\s+pidf\\+xml\\s+<none>\\s+000120`, 'm'));
    expect(listed.output).toContain('1 active SIP subscription\n');

    const registered = await runSipp(sippAt(net, BOB, PHONE_PORT, {
      scenario: scenario('register.xml'),
      args: ['-s', 'bob', '-au', 'bob', '-ap', 'bobpw', '-set', 'caller', 'bob', '-set', 'rtpport', '7000'],
    }));
    expect(registered.exitCode, registered.errors).toBe(0);
    const result = await watcher.done;
    expect(result.exitCode, result.errors + result.messages).toBe(0);
    expect(result.logs).toContain('granted=120');
    expect(result.logs).toContain('state=active');
    expect(result.logs).toContain('body=<note>Ready</note>');
    expect(result.logs).toContain('state=terminated;reason=timeout');
    await settle(200);
    expect((await tandem().rx('sip show subscriptions')).output).toContain('0 active SIP subscriptions');
  });

  it('answers a SUBSCRIBE for an extension without hint with 404 and an unknown event with 489', async () => {
    const { sipOptionsPing } = await import('@tandem/test-support');
    expect(await sipOptionsPing(SERVER, SIP_PORT, 2000, WATCHER)).toMatch(/^SIP\/2\.0 /);
    const noHint = subscribe('100', 'presence', 'application/pidf+xml');
    const result = await noHint.done;
    expect(result.exitCode).not.toBe(0);
    expect(result.messages).toContain('SIP/2.0 404 Not Found');
    const unknown = subscribe('201', 'ua-profile', 'application/pidf+xml');
    const unknownResult = await unknown.done;
    expect(unknownResult.messages).toContain('SIP/2.0 489 Bad Event');
  });
});
