import type { SessionTimerSetting } from '@tandem/config';
import type { SipRequest, SipResponse } from '@tandem/sip';
import { parseMinSe, parseSessionExpires } from './session-timer-headers.js';
import { unsupportedHeaders, type SipOptionTags } from './sip-option-tags.js';

/** RFC 4028 §4 and chan_sip `DEFAULT_MIN_SE`: the smallest session interval anyone may ask for. */
export const DEFAULT_MIN_SE = 90;

/** Who refreshes the session (chan_sip `enum st_refresher`): this side of the dialog or the other. */
export type SessionRefresher = 'us' | 'them';

/** A header line to add to a message. */
export type HeaderLine = [name: string, value: string];

/** What the session timer decided about an incoming INVITE (chan_sip handle_request_invite_st()). */
export type InviteTimerVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: number; readonly reason: string; readonly headers: readonly HeaderLine[] };

/** What the session timer asks of its call. */
export interface SessionTimerHandlers {
  /** Whether the call is up (the timer does nothing on a call that is not). */
  isUp(): boolean;
  /** Time to refresh: send a re-INVITE (or UPDATE) with the session's current SDP. */
  refresh(): void;
  /** Nobody refreshed the session in time: end the call. */
  expire(): void;
}

/** How many 422 answers to one outbound call are followed by a new INVITE. */
const MAX_422_RETRIES = 5;

/**
 * One dialog's RFC 4028 session timer as chan_sip runs it (Asterisk 20 `struct sip_st_dlg` and
 * its functions): the device's `session-timers` mode, `session-expires`, `session-minse` and
 * `session-refresher` (cached per dialog; a 422 raises the Min-SE), negotiation of incoming
 * INVITEs, the headers of our requests and responses, processing of 2xx/422 answers, and the
 * timer itself — refresh at half the interval when we refresh, end the call at the interval
 * minus min(interval/3, 32 s) when the other side should have refreshed (RFC 4028 §10).
 */
export class SessionTimer {
  /** `session-timers`: originate, accept or refuse. */
  readonly mode: SessionTimerSetting['mode'];
  /** `session-expires`: the interval we want (chan_sip st_get_se(p, TRUE)). */
  readonly maxSe: number;
  /** `session-refresher` for requests that leave the choice to us. */
  readonly preferredRefresher: SessionTimerSetting['refresher'];
  /** Whether the timer runs for this dialog (chan_sip `st_active`). */
  active = false;
  /** Whether the other side runs it too (chan_sip `st_active_peer_ua`). */
  peerActive = false;
  /** The negotiated session interval in seconds (chan_sip `st_interval`). */
  interval = 0;
  refresher: SessionRefresher = 'us';
  #minSe: number;
  #retries422 = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    settings: SessionTimerSetting,
    private readonly handlers: SessionTimerHandlers,
  ) {
    this.mode = settings.mode;
    this.maxSe = settings.expires;
    this.#minSe = settings.minSe;
    this.preferredRefresher = settings.refresher;
  }

  /**
   * How a new INVITE would be answered by a device with these settings (the checks of
   * {@link SessionTimer.negotiateInvite}, before any call exists).
   */
  static check(settings: SessionTimerSetting, request: SipRequest, tags: SipOptionTags): InviteTimerVerdict {
    return new SessionTimer(settings, { isUp: () => false, refresh: () => undefined, expire: () => undefined }).negotiateInvite(request, tags, false);
  }

  /** Our Min-SE (chan_sip st_get_se(p, FALSE)): `session-minse`, or what a 422 asked for. */
  get minSe(): number {
    return this.#minSe;
  }

  /** Whether the timer is counting down. */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Negotiates an incoming INVITE or re-INVITE (chan_sip (Asterisk 20):
   * handle_request_invite_st()): 400 for an unreadable Session-Expires or Min-SE, 422 with our
   * Min-SE when the asked interval is too small, 420 when timers are refused but required;
   * otherwise the interval and refresher are chosen. A re-INVITE only adjusts a running timer.
   */
  negotiateInvite(request: SipRequest, tags: SipOptionTags, reinvite: boolean): InviteTimerVerdict {
    let active = false;
    let interval = 0;
    let refresher: SessionRefresher = 'us';
    if (tags.supported.has('timer')) {
      let uacMaxSe = -1;
      let uacMinSe = -1;
      let refresherParam: 'uac' | 'uas' | undefined;
      const sessionExpires = request.headers.get('Session-Expires') ?? '';
      if (sessionExpires !== '') {
        const parsed = parseSessionExpires(sessionExpires);
        if (parsed === undefined) return { ok: false, status: 400, reason: 'Session-Expires Invalid Syntax', headers: [] };
        uacMaxSe = parsed.interval;
        refresherParam = parsed.refresher;
        refresher = refresherParam === 'uac' ? 'them' : 'us';
      }
      const minSe = request.headers.get('Min-SE') ?? '';
      if (minSe !== '') {
        const parsed = parseMinSe(minSe);
        if (parsed === undefined) return { ok: false, status: 400, reason: 'Min-SE Invalid Syntax', headers: [] };
        uacMinSe = parsed;
      }
      if (this.mode === 'refuse') {
        if (tags.required.has('timer')) return { ok: false, status: 420, reason: 'Option Disabled', headers: unsupportedHeaders(['timer']) };
      } else {
        if (uacMaxSe > 0 && uacMaxSe < this.#minSe) {
          return { ok: false, status: 422, reason: 'Session Interval Too Small', headers: [['Min-SE', String(this.#minSe)]] };
        }
        this.peerActive = true;
        active = true;
        if (refresherParam === undefined) refresher = this.preferredRefresher === 'uac' ? 'them' : 'us';
        if (uacMaxSe > 0) interval = this.maxSe >= uacMinSe ? Math.min(uacMaxSe, this.maxSe) : uacMaxSe;
        else if (uacMinSe > 0) interval = Math.max(this.maxSe, uacMinSe);
        else interval = this.maxSe;
      }
    } else if (this.mode === 'originate') {
      // The UAC did not ask for timers: chan_sip runs them anyway and refreshes itself.
      active = true;
      interval = this.maxSe;
      refresher = 'us';
      this.peerActive = false;
    }
    if (!reinvite) {
      if (active) {
        this.active = true;
        this.interval = interval;
        this.refresher = refresher;
      }
    } else if (this.active && interval > 0) {
      // A re-INVITE refreshes the session and may adjust it (RFC 4028 §9).
      this.interval = interval;
      this.refresher = refresher;
    }
    return { ok: true };
  }

  /** Session-Expires for a response to an INVITE while the timer is active (chan_sip respprep()). */
  responseHeaders(): HeaderLine[] {
    if (!this.active) return [];
    return [['Session-Expires', `${this.interval};refresher=${this.refresher === 'us' ? 'uas' : 'uac'}`]];
  }

  /**
   * Whether a 2xx (or 183) with SDP carries `Require: timer` (RFC 4028 §9, chan_sip respprep()):
   * when the UAC refreshes, or when we do and the UAC supports timers.
   */
  get requireInResponse(): boolean {
    return this.active && (this.refresher === 'them' || this.peerActive);
  }

  /**
   * Session-Expires and Min-SE for a re-INVITE or UPDATE we send (chan_sip reqprep()): only
   * while both sides run the timer.
   */
  inDialogRequestHeaders(method: string): HeaderLine[] {
    const upper = method.toUpperCase();
    if (!this.active || !this.peerActive || (upper !== 'INVITE' && upper !== 'UPDATE')) return [];
    return [
      ['Session-Expires', `${this.interval};refresher=${this.refresher === 'us' ? 'uac' : 'uas'}`],
      ['Min-SE', String(this.#minSe)],
    ];
  }

  /**
   * Session-Expires and Min-SE for our initial INVITE (chan_sip transmit_invite()): with
   * `originate` both (the interval without a refresher), with `accept` only a Min-SE that is not
   * the default; either way the timer counts as active from then on.
   */
  initialInviteHeaders(): HeaderLine[] {
    if (this.mode !== 'originate' && !(this.mode === 'accept' && this.#minSe !== DEFAULT_MIN_SE)) return [];
    if (this.interval === 0) this.interval = this.maxSe;
    this.active = true;
    const headers: HeaderLine[] = [];
    if (this.mode === 'originate') headers.push(['Session-Expires', String(this.interval)]);
    headers.push(['Min-SE', String(this.#minSe)]);
    return headers;
  }

  /**
   * A 422 to our INVITE (chan_sip proc_422_rsp()): its Min-SE becomes ours and the interval
   * grows to it. True when a new INVITE should be sent; false without a readable Min-SE (or
   * after a few 422s in a row, so a peer cannot loop us forever).
   */
  on422(response: SipResponse): boolean {
    const minSe = parseMinSe(response.headers.get('Min-SE') ?? '');
    if (minSe === undefined || this.#retries422 >= MAX_422_RETRIES) return false;
    this.#retries422 += 1;
    this.#minSe = minSe;
    if (this.interval < minSe) this.interval = minSe;
    return true;
  }

  /**
   * A 2xx to our INVITE or re-INVITE (chan_sip handle_response_invite()): its Session-Expires
   * sets the interval and who refreshes, and the timer starts; without one, `originate` still
   * runs the timer and refreshes itself. `teardown` when the answer is unreadable or below our
   * Min-SE: chan_sip acknowledges it and hangs up.
   */
  on2xx(response: SipResponse): 'ok' | 'teardown' {
    if (this.mode === 'refuse') return 'ok';
    const header = response.headers.get('Session-Expires') ?? '';
    if (header === '') {
      if (this.mode === 'originate') {
        this.refresher = 'us';
        this.peerActive = false;
        this.start();
      }
      return 'ok';
    }
    const parsed = parseSessionExpires(header);
    const teardown = parsed === undefined || parsed.interval < this.#minSe;
    if (parsed?.refresher === 'uac') this.refresher = 'us';
    else if (parsed?.refresher === 'uas') this.refresher = 'them';
    if (parsed !== undefined && parsed.interval !== 0) this.interval = parsed.interval;
    this.peerActive = true;
    this.start();
    return teardown ? 'teardown' : 'ok';
  }

  /** Starts (or restarts) the countdown (chan_sip start_session_timer()). */
  start(): void {
    this.active = true;
    this.#clear();
    const intervalMs = Math.max(1, this.interval) * 1000;
    // RFC 4028 §10: the refresher refreshes at half the interval; the other side gives up
    // min(interval/3, 32 s) before it ends.
    const delayMs = this.refresher === 'us' ? intervalMs / 2 : intervalMs - Math.min(intervalMs / 3, 32_000);
    this.#schedule(delayMs);
  }

  /** Restarts a running timer: a refresh arrived, or the call was answered (RFC 4028 §7.1). */
  restart(): void {
    if (this.active) this.start();
  }

  /** Stops the timer for good (hangup). */
  stop(): void {
    this.active = false;
    this.#clear();
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#fire(delayMs), delayMs);
    this.#timer.unref();
  }

  /** chan_sip proc_session_timer(): refresh and keep the same period, or end the call. */
  #fire(delayMs: number): void {
    this.#timer = undefined;
    if (!this.active || !this.handlers.isUp()) {
      this.active = false;
      return;
    }
    if (this.refresher === 'us') {
      this.#schedule(delayMs);
      this.handlers.refresh();
      return;
    }
    this.active = false;
    this.handlers.expire();
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
