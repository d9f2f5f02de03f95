import type { SipPeerSettings } from '@tandem/config';
import type { Logger } from '@tandem/registrar';
import { formatNameAddr, parseSdp, type ClientTransaction, type Dialog, type SipRequest, type SipResponse } from '@tandem/sip';
import { causeFromSipStatus } from './causes.js';
import { infoDtmfBody } from './dtmf-info.js';
import type { MediaSession } from './media-session.js';
import { ReinviteSender, type ReinviteReason } from './reinvite-sender.js';
import { SessionTimer } from './session-timer.js';
import { ALLOWED_METHODS, supportedExtensions } from './sip-constants.js';

/** What a call leg's mid-call signalling needs from the leg (a `SipChannel`). */
export interface CallLegHost {
  readonly name: string;
  readonly settings: SipPeerSettings;
  readonly session: MediaSession;
  readonly dialog: Dialog | undefined;
  /** sip.conf `sipdebug` in force. */
  readonly sipdebug: boolean;
  /** Outbound legs sent the dialog-creating INVITE (they own the Call-ID). */
  readonly direction: 'inbound' | 'outbound';
  /** Answered and not hung up. */
  readonly isUp: boolean;
  readonly logger: Logger;
  /** Sends a request inside the dialog (route set, NAT destination, the device's T1). */
  sendInDialog(request: SipRequest): ClientTransaction;
  /** Sends the ACK for a 2xx to an INVITE we sent in this dialog. */
  acknowledge(response: SipResponse): void;
  hangup(cause: number): void;
}

/** Answers to our re-INVITE after which chan_sip gives the call up (handle_response_invite(), handle_response()). */
const FATAL_REINVITE_ANSWERS = new Set([400, 403, 404, 405, 408, 414, 415, 481, 488, 493, 501, 606]);

/** main/app.c dtmf_stream(): the pause after each digit SendDTMF plays. */
const DIGIT_GAP_MS = 100;

/**
 * The mid-call signalling of one SIP call leg, as chan_sip runs it for a `sip_pvt`: the RFC 4028
 * session timer, our re-INVITEs (serialized, retried after 491, sent as UPDATE for
 * `directmedia=update` peers), the headers chan_sip adds to in-dialog responses, and DTMF sent
 * in SIP INFO for `dtmfmode=info|shortinfo`.
 */
export class CallLegSignalling {
  readonly timer: SessionTimer;
  readonly reinvites: ReinviteSender;
  /** `dtmfmode` of this leg (SIPDtmfMode() changes it during the call). */
  dtmfMode: SipPeerSettings['dtmfmode'];
  readonly #host: CallLegHost;

  constructor(host: CallLegHost) {
    this.#host = host;
    this.dtmfMode = host.settings.dtmfmode;
    this.timer = new SessionTimer(host.settings.sessionTimers, {
      isUp: () => this.#host.isUp,
      refresh: () => {
        void this.reinvites.request('session-refresh');
      },
      expire: () => {
        // chan_sip proc_session_timer(): "Session-Timer expired", soft hangup of the owner.
        this.#host.logger.warn({ channel: host.name }, `Session-Timer expired - ${host.dialog?.callId ?? ''}`);
        this.#host.hangup(16);
      },
    });
    this.reinvites = new ReinviteSender({
      get canSend() {
        return host.isUp && host.dialog?.state === 'confirmed';
      },
      ownsCallId: host.direction === 'outbound',
      transmit: (reason) => this.#transmitReinvite(reason),
      acknowledge: (response) => host.acknowledge(response),
      settled: (response, transaction) => this.#reinviteSettled(response, transaction),
    });
  }

  /**
   * Sends a re-INVITE with the leg's current SDP when nothing is pending (a media change, or a
   * session refresh); resolves with its final answer, undefined when the call ended first.
   */
  reinvite(): Promise<SipResponse | undefined> {
    return this.reinvites.request('media');
  }

  /** The call was answered (our 200 sent or theirs received): the session timer counts from here. */
  answered(): void {
    this.timer.restart();
  }

  /** The call ended: no more refreshes, retries or pending re-INVITEs. */
  stop(): void {
    this.timer.stop();
    this.reinvites.stop();
  }

  /**
   * What chan_sip's respprep() and transmit_response_with_sdp() add to a response inside the
   * dialog: Supported, our Contact where RFC 3261 wants one, and for an INVITE the session
   * timer's Session-Expires (and `Require: timer` on a 2xx/183 with SDP).
   */
  decorateResponse(request: SipRequest, response: SipResponse): void {
    const method = request.method.toUpperCase();
    const status = response.status;
    response.headers.add('Supported', supportedExtensions(this.timer.mode !== 'refuse'));
    if (method === 'INVITE') for (const [name, value] of this.timer.responseHeaders()) response.headers.add(name, value);
    addDialogContact(method, response, this.#host.dialog);
    if (method === 'INVITE' && (status === 183 || (status >= 200 && status < 300)) && response.body.length > 0 && this.timer.requireInResponse) {
      response.headers.add('Require', 'timer');
    }
  }

  /** Sends one digit now per `dtmfmode` (a digit relayed from the other leg of a bridge). */
  sendDigit(digit: string, durationMs: number): Promise<void> {
    if (this.dtmfMode === 'info' || this.dtmfMode === 'shortinfo') {
      this.#sendInfoDigit(digit, durationMs);
      return Promise.resolve();
    }
    return this.#host.session.endpoint.sendDtmf(digit, durationMs);
  }

  /**
   * SendDTMF on a `dtmfmode=info|shortinfo` leg (main/app.c dtmf_stream() with chan_sip
   * sip_senddigit_end()): the INFO leaves when the digit ends, then a 100 ms pause.
   * Undefined for legs that send DTMF in the media.
   */
  get signalledDigitSender(): ((digit: string, durationMs: number) => Promise<void>) | undefined {
    if (this.dtmfMode !== 'info' && this.dtmfMode !== 'shortinfo') return undefined;
    return async (digit, durationMs) => {
      await sleep(durationMs);
      if (!this.#host.isUp) return;
      this.#sendInfoDigit(digit, durationMs);
      await sleep(DIGIT_GAP_MS);
    };
  }

  /** chan_sip transmit_info_with_digit(). */
  #sendInfoDigit(digit: string, durationMs: number): void {
    const dialog = this.#host.dialog;
    if (dialog === undefined || dialog.state === 'terminated') return;
    const { type, body } = infoDtmfBody(digit, durationMs, this.dtmfMode === 'shortinfo');
    try {
      this.#host.sendInDialog(dialog.createRequest('INFO', { contentType: type, body }));
    } catch (error) {
      this.#host.logger.warn({ err: error, channel: this.#host.name }, `cannot send DTMF INFO on ${this.#host.name}`);
    }
  }

  /**
   * chan_sip transmit_reinvite_with_sdp(): the dialog's next request, INVITE (UPDATE for
   * `directmedia=update`), with the session timer's headers, Allow, Supported, chan_sip's
   * X-asterisk-Info when `sipdebug` is on, and our current SDP (same o= version when nothing
   * changed).
   */
  #transmitReinvite(reason: ReinviteReason): ClientTransaction | undefined {
    const dialog = this.#host.dialog;
    if (dialog === undefined || dialog.state === 'terminated') return undefined;
    const method = this.#host.settings.directmedia.method === 'update' ? 'UPDATE' : 'INVITE';
    const headers: [string, string][] = [
      ...this.timer.inDialogRequestHeaders(method),
      ['Allow', ALLOWED_METHODS],
      ['Supported', supportedExtensions(this.timer.mode !== 'refuse')],
    ];
    if (this.#host.sipdebug) {
      headers.push(['X-asterisk-Info', reason === 'session-refresh' ? 'SIP re-invite (Session-Timers)' : 'SIP re-invite (External RTP bridge)']);
    }
    try {
      const request = dialog.createRequest(method, {
        headers,
        contentType: 'application/sdp',
        body: this.#host.session.describe(),
      });
      return this.#host.sendInDialog(request);
    } catch (error) {
      // Runs from timers: a failure must end this re-INVITE, not the process.
      this.#host.logger.warn({ err: error, channel: this.#host.name }, `cannot send a re-INVITE on ${this.#host.name}`);
      return undefined;
    }
  }

  /** The final answer to our re-INVITE (chan_sip handle_response_invite() for a re-INVITE). */
  #reinviteSettled(response: SipResponse, transaction: ClientTransaction): void {
    if (!this.#host.isUp || transaction.request.method.toUpperCase() !== 'INVITE') return;
    const status = response.status;
    if (status >= 200 && status < 300) {
      if (response.body.length > 0 && response.contentType?.mediaType === 'application/sdp') {
        try {
          this.#host.session.acceptAnswer(parseSdp(response.body));
        } catch (error) {
          this.#host.logger.warn({ err: error, channel: this.#host.name }, `unreadable SDP in the answer to a re-INVITE on ${this.#host.name}`);
        }
      }
      if (this.timer.on2xx(response) === 'teardown') {
        this.#host.logger.warn({ channel: this.#host.name }, 'Got Session-Expires less than local Min-SE in 200 OK, tearing down call');
        this.#host.hangup(16);
      }
      return;
    }
    if (status === 422 && this.timer.on422(response)) {
      void this.reinvites.request('session-refresh');
      return;
    }
    if (transaction.request.body.toString('utf8').includes('udptl')) {
      // chan_sip T38_LOCAL_REINVITE: a refused T.38 offer only means no fax (T38_REJECTED).
      return;
    }
    if (FATAL_REINVITE_ANSWERS.has(status)) {
      this.#host.logger.warn({ channel: this.#host.name }, `re-INVITE answered ${status} on ${this.#host.name}: hanging up`);
      this.#host.hangup(causeFromSipStatus(status));
    }
  }
}

/** Our Contact in a response of the dialog, where RFC 3261 wants one (chan_sip respprep()). */
export function addDialogContact(method: string, response: SipResponse, dialog: Dialog | undefined): void {
  const contact = dialog?.localSide.contact;
  if (contact !== undefined && !response.headers.has('Contact') && responseNeedsContact(method, response.status)) {
    response.headers.add('Contact', typeof contact === 'string' ? contact : formatNameAddr(contact));
  }
}

/** chan_sip resp_needs_contact(): where RFC 3261 and its extensions want a Contact in a response. */
export function responseNeedsContact(method: string, status: number): boolean {
  const klass = Math.floor(status / 100);
  switch (method) {
    case 'INVITE':
    case 'UPDATE':
    case 'SUBSCRIBE':
    case 'NOTIFY':
      return (klass >= 1 && klass <= 3) || status === 485;
    case 'REGISTER':
    case 'OPTIONS':
      return klass === 2 || klass === 3 || status === 485;
    case 'BYE':
    case 'PRACK':
    case 'MESSAGE':
    case 'PUBLISH':
      return klass === 3 || status === 485;
    case 'REFER':
      return klass >= 2 && klass <= 6;
    default:
      return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
