import { EventEmitter } from 'node:events';
import { createResponse, Dialog, type ClientTransaction, type SipRequest, type SipResponse } from '@tandem/sip';
import { silentLogger } from '@tandem/registrar';
import { describe, expect, it, vi } from 'vitest';
import { CallLegSignalling, responseNeedsContact, type CallLegHost } from '../src/chan-sip/call-leg-signalling.js';
import type { MediaSession } from '../src/chan-sip/media-session.js';
import { readOptionTags } from '../src/chan-sip/sip-option-tags.js';
import { peerOf, request, sipConf } from './support/sip-fixtures.js';

const INVITE = `
INVITE sip:100@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.2:5061;branch=z9hG4bK-1
From: <sip:a@127.0.0.2>;tag=theirs
To: <sip:100@127.0.0.1>
Call-ID: leg-1
CSeq: 1 INVITE
Contact: <sip:a@127.0.0.2:5061>
Supported: timer
Session-Expires: 1800;refresher=uac
`;

/** A leg with the device `[dev]` written as `options`, an answered dialog, and recorded traffic. */
function leg(options: string) {
  const settings = peerOf(sipConf(`[general]\n[dev]\ntype=peer\nhost=127.0.0.2\n${options}\n`), 'dev').settings;
  const invite = request(INVITE);
  const dialog = Dialog.fromUas(invite, 'ours', { contact: '<sip:100@127.0.0.1:5060>' });
  dialog.confirm();
  const sent: SipRequest[] = [];
  const transactions: EventEmitter[] = [];
  const hangup = vi.fn();
  const session = {
    describe: () => 'v=0\r\n',
    acceptAnswer: vi.fn(),
    endpoint: { sendDtmf: vi.fn(() => Promise.resolve()) },
  };
  const host: CallLegHost = {
    name: 'SIP/dev-00000001',
    settings,
    session: session as unknown as MediaSession,
    dialog,
    sipdebug: false,
    direction: 'inbound',
    isUp: true,
    logger: silentLogger,
    sendInDialog: (outgoing) => {
      sent.push(outgoing);
      const transaction = Object.assign(new EventEmitter(), { request: outgoing });
      transactions.push(transaction);
      return transaction as unknown as ClientTransaction;
    },
    acknowledge: () => undefined,
    hangup,
  };
  const signalling = new CallLegSignalling(host);
  return { signalling, invite, sent, transactions, hangup, session };
}

/** A final answer to the `index`-th request the leg sent. */
function answer(sent: readonly SipRequest[], transactions: readonly EventEmitter[], index: number, status: number, headers: readonly [string, string][] = [], body?: string): SipResponse {
  const original = sent[index];
  if (original === undefined) throw new Error(`no request ${index}`);
  const response = createResponse(original, status, undefined, body === undefined ? {} : { body });
  for (const [name, value] of headers) response.headers.add(name, value);
  transactions[index]?.emit('response', response);
  return response;
}

describe('the headers chan_sip adds to in-dialog responses', () => {
  it('adds Supported, the session timer, Require: timer and our Contact to a 2xx with SDP', () => {
    const { signalling, invite } = leg('session-timers=accept');
    signalling.timer.negotiateInvite(invite, readOptionTags(invite), false);
    const response = createResponse(invite, 200, 'OK', { body: 'v=0\r\n' });
    signalling.decorateResponse(invite, response);
    expect(response.headers.get('Supported')).toBe('replaces, timer');
    expect(response.headers.get('Session-Expires')).toBe('1800;refresher=uac');
    expect(response.headers.get('Require')).toBe('timer');
    expect(response.headers.get('Contact')).toBe('<sip:100@127.0.0.1:5060>');
  });

  it('follows RFC 3261 on where a Contact belongs', () => {
    expect(responseNeedsContact('INVITE', 180)).toBe(true);
    expect(responseNeedsContact('INVITE', 486)).toBe(false);
    expect(responseNeedsContact('OPTIONS', 200)).toBe(true);
    expect(responseNeedsContact('BYE', 200)).toBe(false);
    expect(responseNeedsContact('REFER', 202)).toBe(true);
    expect(responseNeedsContact('INFO', 200)).toBe(false);
  });

  it('leaves timer out of Supported when timers are refused', () => {
    const { signalling, invite } = leg('session-timers=refuse');
    const response = createResponse(invite, 200);
    signalling.decorateResponse(invite, response);
    expect(response.headers.get('Supported')).toBe('replaces');
    expect(response.headers.has('Session-Expires')).toBe(false);
  });
});

describe('DTMF leaving a leg per its dtmfmode', () => {
  it('sends INFO with application/dtmf-relay for dtmfmode=info', async () => {
    const { signalling, sent } = leg('dtmfmode=info');
    await signalling.sendDigit('#', 250);
    expect(sent[0]?.method).toBe('INFO');
    expect(sent[0]?.headers.get('Content-Type')).toBe('application/dtmf-relay');
    expect(sent[0]?.bodyText).toBe('Signal=#\r\nDuration=250\r\n');
  });

  it('sends INFO with the event number for dtmfmode=shortinfo', async () => {
    const { signalling, sent } = leg('dtmfmode=shortinfo');
    await signalling.sendDigit('*', 100);
    expect(sent[0]?.headers.get('Content-Type')).toBe('application/dtmf');
    expect(sent[0]?.bodyText).toBe('10\r\n');
  });

  it('hands the digit to the media for dtmfmode=rfc2833', async () => {
    const { signalling, sent, session } = leg('dtmfmode=rfc2833');
    await signalling.sendDigit('7', 120);
    expect(sent).toHaveLength(0);
    expect(session.endpoint.sendDtmf).toHaveBeenCalledWith('7', 120);
    expect(signalling.signalledDigitSender).toBeUndefined();
  });
});

describe('our re-INVITEs and their answers', () => {
  it('writes the session timer headers, Allow, Supported and SDP; UPDATE for directmedia=update', () => {
    const { signalling, invite, sent } = leg('directmedia=update');
    signalling.timer.negotiateInvite(invite, readOptionTags(invite), false);
    void signalling.reinvite();
    expect(sent[0]?.method).toBe('UPDATE');
    expect(sent[0]?.headers.get('Session-Expires')).toBe('1800;refresher=uas');
    expect(sent[0]?.headers.get('Min-SE')).toBe('90');
    expect(sent[0]?.headers.get('Supported')).toBe('replaces, timer');
    expect(sent[0]?.headers.get('Content-Type')).toBe('application/sdp');
  });

  it('takes the SDP of a 2xx and restarts the timer from its Session-Expires', () => {
    const { signalling, sent, transactions, session } = leg('session-timers=originate');
    void signalling.reinvite();
    answer(
      sent,
      transactions,
      0,
      200,
      [
        ['Session-Expires', '120;refresher=uac'],
        ['Content-Type', 'application/sdp'],
      ],
      'v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n',
    );
    expect(session.acceptAnswer).toHaveBeenCalledTimes(1);
    expect([signalling.timer.interval, signalling.timer.refresher, signalling.timer.running]).toEqual([120, 'us', true]);
    signalling.stop();
  });

  it('ends the call on an answer below our Min-SE and on 481, not on 500', () => {
    const below = leg('session-minse=100');
    void below.signalling.reinvite();
    answer(below.sent, below.transactions, 0, 200, [['Session-Expires', '95;refresher=uac']]);
    expect(below.hangup).toHaveBeenCalledWith(16);
    below.signalling.stop();

    const gone = leg('');
    void gone.signalling.reinvite();
    answer(gone.sent, gone.transactions, 0, 481);
    expect(gone.hangup).toHaveBeenCalledTimes(1);

    const refused = leg('');
    void refused.signalling.reinvite();
    answer(refused.sent, refused.transactions, 0, 500);
    expect(refused.hangup).not.toHaveBeenCalled();
  });

  it('asks again with the larger Min-SE after a 422', () => {
    const { signalling, sent, transactions } = leg('session-timers=originate');
    void signalling.reinvite();
    answer(sent, transactions, 0, 422, [['Min-SE', '600']]);
    expect(sent).toHaveLength(2);
    expect(signalling.timer.minSe).toBe(600);
    signalling.stop();
  });
});
