import type { SessionTimerSetting } from '@tandem/config';
import { parseMessage, type SipRequest, type SipResponse } from '@tandem/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseMinSe, parseSessionExpires } from '../src/chan-sip/session-timer-headers.js';
import { SessionTimer } from '../src/chan-sip/session-timer.js';
import { readOptionTags } from '../src/chan-sip/sip-option-tags.js';

const defaults: SessionTimerSetting = { mode: 'accept', expires: 1800, minSe: 90, refresher: 'uas' };

function message(startLine: string, headers: readonly string[]): SipRequest | SipResponse {
  const text = [
    startLine,
    'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1',
    'From: <sip:a@127.0.0.1>;tag=a1',
    'To: <sip:b@127.0.0.1>',
    'Call-ID: c1',
    `CSeq: 1 INVITE`,
    ...headers,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const outcome = parseMessage(Buffer.from(text));
  if (outcome.kind !== 'message') throw new Error(`unparsable test message: ${outcome.kind}`);
  return outcome.message;
}

const invite = (...headers: string[]): SipRequest => message('INVITE sip:b@127.0.0.1 SIP/2.0', headers) as SipRequest;
const response = (status: number, ...headers: string[]): SipResponse => message(`SIP/2.0 ${status} X`, headers) as SipResponse;

function timer(settings: Partial<SessionTimerSetting> = {}, handlers: Partial<ConstructorParameters<typeof SessionTimer>[1]> = {}): SessionTimer {
  return new SessionTimer({ ...defaults, ...settings }, { isUp: () => true, refresh: () => undefined, expire: () => undefined, ...handlers });
}

/** Negotiates a new INVITE and returns the verdict and the timer. */
function negotiate(settings: Partial<SessionTimerSetting>, ...headers: string[]): { verdict: ReturnType<SessionTimer['negotiateInvite']>; timer: SessionTimer } {
  const request = invite(...headers);
  const subject = timer(settings);
  return { verdict: subject.negotiateInvite(request, readOptionTags(request), false), timer: subject };
}

describe('Session-Expires and Min-SE as chan_sip parses them', () => {
  it('reads the interval and the refresher', () => {
    expect(parseSessionExpires('1800')).toEqual({ interval: 1800, refresher: undefined });
    expect(parseSessionExpires(' 90;refresher=uac')).toEqual({ interval: 90, refresher: 'uac' });
    expect(parseSessionExpires('90;REFRESHER=UAS;x=y')).toEqual({ interval: 90, refresher: 'uas' });
  });

  it('rejects what parse_session_expires() rejects', () => {
    expect(parseSessionExpires('soon')).toBeUndefined();
    expect(parseSessionExpires('90;refresher=proxy')).toBeUndefined();
    // A parameter other than refresher is read as another number.
    expect(parseSessionExpires('90;foo=bar')).toBeUndefined();
  });

  it('reads Min-SE as a leading integer', () => {
    expect(parseMinSe(' 128')).toBe(128);
    expect(parseMinSe('256;x')).toBe(256);
    expect(parseMinSe('none')).toBeUndefined();
  });
});

describe('option tags', () => {
  it('collects Supported and Require and lists required extensions chan_sip lacks', () => {
    const tags = readOptionTags(invite('Supported: replaces, timer', 'Require: 100rel, timer, x-foo'));
    expect([...tags.supported].sort()).toEqual(['100rel', 'replaces', 'timer', 'x-foo']);
    expect([...tags.required]).toEqual(['100rel', 'timer', 'x-foo']);
    expect(tags.unsupported).toEqual(['100rel', 'x-foo']);
  });
});

describe('negotiating an incoming INVITE (handle_request_invite_st)', () => {
  it('answers 422 with our Min-SE when the interval is too small', () => {
    expect(negotiate({}, 'Supported: timer', 'Session-Expires: 80;refresher=uac').verdict).toEqual({
      ok: false,
      status: 422,
      reason: 'Session Interval Too Small',
      headers: [['Min-SE', '90']],
    });
    expect(negotiate({ minSe: 100 }, 'Supported: timer', 'Session-Expires: 95').verdict).toMatchObject({ status: 422, headers: [['Min-SE', '100']] });
  });

  it('answers 400 to unreadable headers', () => {
    expect(negotiate({}, 'Supported: timer', 'Session-Expires: never').verdict).toMatchObject({ status: 400, reason: 'Session-Expires Invalid Syntax' });
    expect(negotiate({}, 'Supported: timer', 'Min-SE: low').verdict).toMatchObject({ status: 400, reason: 'Min-SE Invalid Syntax' });
  });

  it('chooses the interval from Session-Expires, Min-SE and session-expires like chan_sip', () => {
    const originate = { mode: 'originate' as const, minSe: 101, expires: 199 };
    const interval = (...headers: string[]): number => negotiate(originate, 'Supported: timer', ...headers).timer.interval;
    expect(interval('Min-SE: 240', 'Session-Expires: 250')).toBe(250);
    expect(interval('Min-SE: 240')).toBe(240);
    expect(interval('Min-SE: 150', 'Session-Expires: 250')).toBe(199);
    expect(interval('Min-SE: 140', 'Session-Expires: 150')).toBe(150);
    expect(interval('Min-SE: 150')).toBe(199);
    expect(interval('Session-Expires: 250')).toBe(199);
    expect(interval('Min-SE: 90')).toBe(199);
    expect(interval()).toBe(199);
    expect(negotiate(originate, 'Supported: timer', 'Session-Expires: 100').verdict).toMatchObject({ status: 422, headers: [['Min-SE', '101']] });
  });

  it('puts Require: timer in the answer exactly when the UAC supports timers', () => {
    const uacRefreshes = negotiate({ mode: 'originate' }, 'Supported: timer', 'Session-Expires: 3600;refresher=uac').timer;
    expect(uacRefreshes.refresher).toBe('them');
    expect(uacRefreshes.requireInResponse).toBe(true);
    expect(uacRefreshes.responseHeaders()).toEqual([['Session-Expires', '1800;refresher=uac']]);
    const weRefresh = negotiate({ mode: 'originate' }, 'Supported: timer', 'Session-Expires: 3600').timer;
    expect(weRefresh.refresher).toBe('us');
    expect(weRefresh.requireInResponse).toBe(true);
    const noSupport = negotiate({ mode: 'originate' }).timer;
    expect(noSupport.active).toBe(true);
    expect(noSupport.requireInResponse).toBe(false);
    expect(noSupport.responseHeaders()).toEqual([['Session-Expires', '1800;refresher=uas']]);
  });

  it('stays off in accept mode when the UAC does not ask', () => {
    const { timer: subject } = negotiate({ mode: 'accept' });
    expect(subject.active).toBe(false);
    expect(subject.responseHeaders()).toEqual([]);
  });

  it('answers 420 when timers are refused but required', () => {
    expect(negotiate({ mode: 'refuse' }, 'Require: timer', 'Session-Expires: 1800').verdict).toEqual({
      ok: false,
      status: 420,
      reason: 'Option Disabled',
      headers: [['Date', expect.any(String)], ['Unsupported', 'timer']],
    });
    expect(negotiate({ mode: 'refuse' }, 'Supported: timer', 'Session-Expires: 1800').verdict).toEqual({ ok: true });
  });

  it('lets a re-INVITE adjust a running timer only', () => {
    const { timer: subject } = negotiate({}, 'Supported: timer', 'Session-Expires: 1800;refresher=uac');
    const reinvite = invite('Supported: timer', 'Session-Expires: 600;refresher=uas');
    expect(subject.negotiateInvite(reinvite, readOptionTags(reinvite), true)).toEqual({ ok: true });
    expect([subject.interval, subject.refresher]).toEqual([600, 'us']);
    const idle = timer();
    idle.negotiateInvite(reinvite, readOptionTags(reinvite), true);
    expect(idle.active).toBe(false);
  });
});

describe('our INVITEs and their answers', () => {
  it('asks for timers in the initial INVITE per mode (transmit_invite)', () => {
    expect(timer({ mode: 'originate', expires: 95 }).initialInviteHeaders()).toEqual([
      ['Session-Expires', '95'],
      ['Min-SE', '90'],
    ]);
    expect(timer({ mode: 'accept', minSe: 100 }).initialInviteHeaders()).toEqual([['Min-SE', '100']]);
    expect(timer({ mode: 'accept' }).initialInviteHeaders()).toEqual([]);
    expect(timer({ mode: 'refuse', minSe: 100 }).initialInviteHeaders()).toEqual([]);
  });

  it('remembers the Min-SE of successive 422s (proc_422_rsp)', () => {
    const subject = timer({ mode: 'originate', expires: 95 });
    subject.initialInviteHeaders();
    expect(subject.on422(response(422, 'Min-SE: 128'))).toBe(true);
    expect(subject.initialInviteHeaders()).toEqual([
      ['Session-Expires', '128'],
      ['Min-SE', '128'],
    ]);
    expect(subject.on422(response(422, 'Min-SE: 256'))).toBe(true);
    expect(subject.initialInviteHeaders()).toEqual([
      ['Session-Expires', '256'],
      ['Min-SE', '256'],
    ]);
    expect(subject.on422(response(422))).toBe(false);
  });

  it('does not follow 422s forever', () => {
    const subject = timer({ mode: 'originate' });
    const answers = Array.from({ length: 10 }, () => subject.on422(response(422, 'Min-SE: 300')));
    expect(answers.filter(Boolean)).toHaveLength(5);
  });

  it('tears down an answer below our Min-SE and takes the refresher from the 2xx', () => {
    const subject = timer({ minSe: 100 });
    expect(subject.on2xx(response(200, 'Session-Expires: 95;refresher=uac'))).toBe('teardown');
    expect(subject.refresher).toBe('us');
    subject.stop();
    const other = timer();
    expect(other.on2xx(response(200, 'Session-Expires: 256;refresher=uas'))).toBe('ok');
    expect([other.interval, other.refresher, other.peerActive]).toEqual([256, 'them', true]);
    expect(other.inDialogRequestHeaders('INVITE')).toEqual([
      ['Session-Expires', '256;refresher=uas'],
      ['Min-SE', '90'],
    ]);
    expect(other.inDialogRequestHeaders('BYE')).toEqual([]);
    other.stop();
  });

  it('runs the timer in originate mode when the answer has no Session-Expires', () => {
    const subject = timer({ mode: 'originate' });
    subject.initialInviteHeaders();
    expect(subject.on2xx(response(200))).toBe('ok');
    expect([subject.running, subject.refresher, subject.peerActive]).toEqual([true, 'us', false]);
    expect(subject.inDialogRequestHeaders('INVITE')).toEqual([]);
    subject.stop();
    const accepting = timer({ mode: 'accept' });
    accepting.on2xx(response(200));
    expect(accepting.running).toBe(false);
  });
});

describe('the countdown (RFC 4028 §10)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refreshes every half interval when we refresh', () => {
    const refresh = vi.fn();
    const subject = timer({}, { refresh });
    subject.on2xx(response(200, 'Session-Expires: 90;refresher=uac'));
    vi.advanceTimersByTime(44_999);
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(45_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    subject.stop();
    vi.advanceTimersByTime(100_000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('ends the call min(interval/3, 32 s) before expiry when the other side should refresh', () => {
    const expire = vi.fn();
    const subject = timer({}, { expire });
    subject.on2xx(response(200, 'Session-Expires: 90;refresher=uas'));
    vi.advanceTimersByTime(59_999);
    expect(expire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expire).toHaveBeenCalledTimes(1);
    expect(subject.active).toBe(false);
    const long = timer({}, { expire });
    long.on2xx(response(200, 'Session-Expires: 1800;refresher=uas'));
    vi.advanceTimersByTime(1_768_000);
    expect(expire).toHaveBeenCalledTimes(2);
  });

  it('starts over on a refresh and stops on a call that is not up', () => {
    const expire = vi.fn();
    let up = true;
    const subject = timer({}, { expire, isUp: () => up });
    subject.on2xx(response(200, 'Session-Expires: 90;refresher=uas'));
    vi.advanceTimersByTime(50_000);
    subject.restart();
    vi.advanceTimersByTime(50_000);
    expect(expire).not.toHaveBeenCalled();
    up = false;
    vi.advanceTimersByTime(10_000);
    expect(expire).not.toHaveBeenCalled();
    expect(subject.active).toBe(false);
  });
});
