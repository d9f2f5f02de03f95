import { describe, expect, it } from 'vitest';
import type { DeviceState } from '@tandem/dialplan';
import { MailboxStates, mailboxKey } from '../src/chan-sip/mailbox-states.js';
import { answerNotify } from '../src/chan-sip/notify-events.js';
import { ExtensionState, hintState, messageSummary, presenceDocument, type PresenceDocumentInput } from '../src/chan-sip/presence-documents.js';
import { presenceFormatOf } from '../src/chan-sip/requests/subscribe.js';
import { request } from './support/sip-fixtures.js';

const base: PresenceDocumentInput = {
  format: 'dialog-info',
  state: ExtensionState.notInUse,
  allDevicesUnavailable: false,
  exten: '201',
  from: 'sip:alice@192.0.2.10',
  to: 'sip:201@192.0.2.1',
  version: 0,
  notifyRinging: 'yes',
};

describe('presence bodies (chan_sip state_notify_build_xml())', () => {
  it('writes dialog-info with the state string and version', () => {
    expect(presenceDocument(base)).toBe(
      '<?xml version="1.0"?>\n' +
        '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:201@192.0.2.1">\n' +
        '<dialog id="201">\n<state>terminated</state>\n</dialog>\n</dialog-info>\n',
    );
    expect(presenceDocument({ ...base, state: ExtensionState.inUse, version: 3 })).toContain('version="3"');
    expect(presenceDocument({ ...base, state: ExtensionState.inUse })).toContain('<state>confirmed</state>');
    const ringing = presenceDocument({ ...base, state: ExtensionState.ringing });
    expect(ringing).toContain('<dialog id="201" direction="recipient">\n<state>early</state>');
    expect(presenceDocument({ ...base, state: ExtensionState.ringing, notifyRinging: 'no' })).toContain('<dialog id="201">\n<state>early</state>');
    expect(presenceDocument({ ...base, state: ExtensionState.ringing | ExtensionState.inUse, notifyRinging: 'notinuse' })).toContain('<state>confirmed</state>');
    expect(presenceDocument({ ...base, state: ExtensionState.onHold })).toContain('<local>\n<target uri="sip:201@192.0.2.1">\n<param pname="+sip.rendering" pvalue="no"/>');
  });

  it('writes pidf with activities, note and basic status', () => {
    const open = presenceDocument({ ...base, format: 'pidf' });
    expect(open).toContain('entity="sip:alice@192.0.2.10">\n<pp:person><status>\n</status></pp:person>\n<note>Ready</note>\n<tuple id="201">\n');
    expect(open).toContain('<contact priority="1">sip:201@192.0.2.1</contact>\n<status><basic>open</basic></status>\n</tuple>\n</presence>\n');
    const busy = presenceDocument({ ...base, format: 'pidf', state: ExtensionState.busy });
    expect(busy).toContain('<ep:activities><ep:busy/></ep:activities>');
    expect(busy).toContain('<note>On the phone</note>');
    expect(busy).toContain('<basic>open</basic>');
    const offline = presenceDocument({ ...base, format: 'pidf', state: ExtensionState.unavailable, allDevicesUnavailable: true });
    expect(offline).toContain('<ep:away/>');
    expect(offline).toContain('<note>Not online</note>');
    expect(offline).toContain('<basic>closed</basic>');
  });

  it('writes xpidf with MSN substatus', () => {
    const body = presenceDocument({ ...base, format: 'xpidf', state: ExtensionState.inUse });
    expect(body).toContain('<presentity uri="sip:alice@192.0.2.10;method=SUBSCRIBE" />');
    expect(body).toContain('<address uri="sip:201@192.0.2.1;user=ip" priority="0.800000">\n<status status="inuse" />\n<msnsubstatus substatus="onthephone" />');
  });

  it('aggregates hint devices into an extension state', () => {
    const states: Record<string, DeviceState> = { 'SIP/a': 'NOT_INUSE', 'SIP/b': 'INUSE', 'SIP/c': 'RINGING', 'SIP/d': 'UNAVAILABLE' };
    const of = (device: string): DeviceState => states[device] ?? 'INVALID';
    expect(hintState('SIP/a', of)).toBe(ExtensionState.notInUse);
    expect(hintState('SIP/a&SIP/b,CustomPresence:x', of)).toBe(ExtensionState.inUse);
    expect(hintState('SIP/b&SIP/c', of)).toBe(ExtensionState.inUse | ExtensionState.ringing);
    expect(hintState('SIP/d', of)).toBe(ExtensionState.unavailable);
  });

  it('writes message-summary bodies (transmit_notify_with_mwi())', () => {
    expect(messageSummary(2, 5, 'sip:asterisk@192.0.2.1', false)).toBe('Messages-Waiting: yes\r\nMessage-Account: sip:asterisk@192.0.2.1\r\nVoice-Message: 2/5 (0/0)\r\n');
    expect(messageSummary(0, 1, 'sip:vm@h', true)).toBe('Messages-Waiting: no\r\nMessage-Account: sip:vm@h\r\nVoice-Message: 0/1\r\n');
  });
});

const notify = (event: string, contentType: string, body: string): ReturnType<typeof request> =>
  request(`NOTIFY sip:tandem@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1
From: <sip:server@127.0.0.1>;tag=1
To: <sip:tandem@127.0.0.1>;tag=2
Call-ID: n1
CSeq: 1 NOTIFY
Event: ${event}
Content-Type: ${contentType}
Content-Length: ${Buffer.byteLength(body)}

${body}`);

describe('NOTIFY answers and mailbox states (chan_sip handle_request_notify())', () => {
  it('records message-summary counts for box@SIP_Remote and tells listeners once per change', () => {
    const mailboxes = new MailboxStates();
    const changes: string[] = [];
    mailboxes.onChange((mailbox, state) => changes.push(`${mailbox}=${state.newMessages}/${state.oldMessages}`));
    const summary = notify('message-summary', 'application/simple-message-summary', 'Messages-Waiting: yes\r\nVoice-Message: 1/2 (0/0)\r\n');
    expect(answerNotify(summary, '1234', mailboxes)).toEqual({ status: 200, reason: 'OK' });
    expect(answerNotify(summary, '1234', mailboxes)).toEqual({ status: 200, reason: 'OK' });
    expect(mailboxes.get('1234@SIP_Remote')).toEqual({ newMessages: 1, oldMessages: 2 });
    expect(changes).toEqual(['1234@sip_remote=1/2']);
    expect(mailboxes.total(['1234@SIP_Remote', '9@default'])).toEqual({ newMessages: 1, oldMessages: 2 });
    expect(mailboxKey('55')).toBe('55@default');
  });

  it('answers 489 without a mailbox or counts, 400 for a REFER NOTIFY without sipfrag', () => {
    const mailboxes = new MailboxStates();
    expect(answerNotify(notify('message-summary', 'application/simple-message-summary', 'Messages-Waiting: no\r\n'), '1', mailboxes)).toEqual({ status: 489, reason: 'Bad event' });
    expect(answerNotify(notify('message-summary', 'application/simple-message-summary', 'Voice-Message: 0/0\r\n'), undefined, mailboxes)).toEqual({ status: 489, reason: 'Bad event' });
    expect(answerNotify(notify('refer;id=5', 'text/plain', 'SIP/2.0 200 OK\r\n'), undefined, mailboxes)).toEqual({ status: 400, reason: 'Bad request' });
    expect(answerNotify(notify('refer;id=5', 'message/sipfrag;version=2.0', 'SIP/2.0 200 OK\r\n'), undefined, mailboxes)).toEqual({ status: 200, reason: 'OK' });
    expect(answerNotify(notify('keep-alive', 'text/plain', 'x'), undefined, mailboxes)).toEqual({ status: 200, reason: 'OK' });
    expect(answerNotify(notify('ua-profile', 'text/plain', 'x'), undefined, mailboxes)).toEqual({ status: 489, reason: 'Bad event' });
  });
});

describe('presence formats asked for by SUBSCRIBE (handle_request_subscribe())', () => {
  const subscribe = (headers: string): ReturnType<typeof request> =>
    request(`SUBSCRIBE sip:201@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1
From: <sip:alice@127.0.0.1>;tag=1
To: <sip:201@127.0.0.1>
Call-ID: s1
CSeq: 1 SUBSCRIBE
Event: presence
${headers}`);

  it('takes the first known Accept line; Polycom phones get xpidf for pidf', () => {
    expect(presenceFormatOf(subscribe('Accept: application/pidf+xml'))).toBe('pidf');
    expect(presenceFormatOf(subscribe('Accept: application/pidf+xml\nUser-Agent: PolycomSoundPointIP-SPIP_650'))).toBe('xpidf');
    expect(presenceFormatOf(subscribe('Accept: application/dialog-info+xml'))).toBe('dialog-info');
    expect(presenceFormatOf(subscribe('Accept: text/html\nAccept: application/xpidf+xml'))).toBe('xpidf');
    expect(presenceFormatOf(subscribe('Accept: text/html'))).toEqual({ unknown: 'text/html' });
    expect(presenceFormatOf(subscribe(''))).toBe('none');
  });
});
