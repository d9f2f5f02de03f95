import type { SipGeneral, SipPeerSettings, SipRealmAuth } from '@tandem/config';
import { causeDescription, channelMusicClass, readVariable, type Indication, type OutgoingCallListener, type OutgoingChannel, type TransferResult } from '@tandem/dialplan';
import type { Peer } from '@tandem/registrar';
import type { Logger } from '@tandem/registrar';
import {
  createDigestAuthorization,
  createResponse,
  Dialog,
  generateTag,
  parseSdp,
  selectDigestChallenge,
  timersFromT1,
  type ClientTransaction,
  type Destination,
  type InviteServerTransaction,
  type LocalEndpoint,
  type SipRequest,
  type SdpCodec,
  type SipResponse,
  type TransactionFailure,
} from '@tandem/sip';
import { earlyDirectMedia } from '../bridge/direct-media.js';
import { BaseChannel } from '../channels/base-channel.js';
import { CallLegSignalling, type CallLegHost } from './call-leg-signalling.js';
import { EndedCall } from './ended-call.js';
import { causeFromSipStatus, classifyFailure, sipStatusFromCause } from './causes.js';
import type { ChanSipServices } from './chan-sip-services.js';
import type { MediaAddress, MediaSession } from './media-session.js';
import { digestCredentials, type OutboundRequest } from './outbound-request.js';
import { OutgoingRefer, referTarget } from './outgoing-refer.js';
import { PeerCallCounter } from './peer-call-counter.js';
import { ALLOWED_METHODS, supportedExtensions } from './sip-constants.js';
import { SipChannelMedia } from './sip-channel-media.js';
import { planIndication } from './sip-indications.js';
import { redirectContact } from './sip-redirect.js';
import { ignoredCodecNotice, suggestedCodecs } from './suggested-codecs.js';

/** Everything an outbound call needs to build and send its INVITE (chan_sip create_addr() results). */
export interface OutboundPlan {
  /** Where the INVITE goes. */
  readonly destination: Destination;
  /** Request-URI. */
  readonly requestUri: string;
  /** To header value. */
  readonly to: string;
  /** From user and domain when set by the peer or the dial string. */
  readonly fromUser?: string;
  readonly fromDomain?: string;
  /** Credentials for 401/407 challenges. */
  readonly authUser: string;
  readonly secret: string;
  readonly md5secret: string;
  /** Realm credentials (`auth=` of the peer, then `[authentication]`), which win for their realm. */
  readonly realmCredentials?: readonly SipRealmAuth[];
  /** `;rport` on our Via (force_rport). */
  readonly rport: boolean;
  readonly callId: string;
  /** Our address and port toward the destination (Via, Contact, From, SDP). */
  readonly local: LocalEndpoint;
  /** Route set preloaded from the peer's Path (chan_sip supportpath), written as Route. */
  readonly routeSet?: readonly string[];
  /** An outbound proxy with `force`: every request of the dialog goes to `destination`. */
  readonly forceProxy?: boolean;
  /** The plan for the next RFC 3263 target, tried after a timeout, transport error or 503. */
  readonly failover?: () => Promise<OutboundPlan>;
}

/** How an inbound channel starts. */
export interface InboundStart {
  readonly invite: SipRequest;
  readonly transaction: InviteServerTransaction;
  /** The user part we write in our Contact (the dialled extension). */
  readonly contactUser: string;
  /** Where in-dialog requests go (the source with NAT, else the Contact). */
  readonly remoteDestination: Destination;
  /** Reply to the source port even without rport (force_rport). */
  readonly forceRport: boolean;
  /** Our address and port toward the party (for Contact). */
  readonly local: LocalEndpoint;
  /** Our To tag: the one a 401 of the same Call-ID already used (chan_sip keeps p->tag). */
  readonly localTag: string;
}

/**
 * One SIP call leg (chan_sip's `sip_pvt` with its `ast_channel`): an inbound call from a
 * party, or an outbound call created by Dial. Implements the dialplan's channel interface;
 * media lives in the native engine through `session`.
 */
export class SipChannel extends BaseChannel implements OutgoingChannel, CallLegHost {
  readonly media: SipChannelMedia;
  /** Session timer, our re-INVITEs and DTMF INFO of this leg. */
  readonly signalling: CallLegSignalling;
  /** The INVITE that created the call (received, or the last one we sent): SIP_HEADER() reads it. */
  initialInvite: SipRequest | undefined;
  dialog: Dialog | undefined;
  /** The device this leg belongs to, if any (guests have none). */
  readonly peer: Peer | undefined;
  /** This leg's share of its peer's in-use, ringing and on-hold counts. */
  readonly counters: PeerCallCounter;
  #inbound: InboundStart | undefined;
  #plan: OutboundPlan | undefined;
  #request: OutboundRequest | undefined;
  /** Codecs to offer first (the requesting channel's codec, chan_sip's prefcodec). */
  preferred: string[] = [];
  #listener: OutgoingCallListener | undefined;
  #invite: ClientTransaction | undefined;
  #localTag = generateTag();
  #finalSent = false;
  #answered = false;
  #authAttempts = 0;
  /** The Authorization of our last INVITE (resent when a 422 makes us send a new one). */
  #authorization: readonly [string, string] | undefined;
  #cseq = 102;
  #callId: string | undefined;
  #remoteDestination: Destination | undefined;
  #progressSent = false;
  #ringingSent = false;
  /** The REFER Transfer() sent, until its outcome is known. */
  #outgoingRefer: OutgoingRefer | undefined;
  /**
   * directmedia=outgoing on an inbound leg: chan_sip withholds the first direct-media re-INVITE
   * of the incoming dialog (SIP_PAGE3_DIRECT_MEDIA_OUTGOING), the caller's phone keeps its media.
   */
  #withholdFirstRedirect: boolean;
  /** directrtpsetup: the calling SIP leg whose media this outbound leg is set up to reach directly. */
  earlyMediaPartner: SipChannel | undefined;
  /** The SIP caller this outbound leg was dialled for: its video/text streams are offered on. */
  requestorSession: MediaSession | undefined;
  #earlyDirect = false;
  /** A T.38 re-INVITE is under way or T.38 runs: media needs us (chan_sip sip_get_rtp_peer() gives LOCAL). */
  t38Active = false;
  /** Takes this channel's listeners off the dialog-creating INVITE transaction once the call is over. */
  #letGoOfInvite: (ended: EndedCall | undefined) => boolean = () => true;

  constructor(
    name: string,
    readonly services: ChanSipServices,
    readonly settings: SipPeerSettings,
    peer: Peer | undefined,
    readonly session: MediaSession,
    readonly direction: 'inbound' | 'outbound',
    linkedId?: string,
  ) {
    super(name, 'SIP', direction === 'inbound' ? 'ring' : 'down', linkedId);
    this.peer = peer;
    this.counters = new PeerCallCounter(peer, (counted) => services.deviceStateChanged(counted));
    this.#withholdFirstRedirect = settings.directmedia.outgoing && direction === 'inbound';
    this.language = settings.language || 'en';
    const isHungUp = (): boolean => this.isHungUp;
    const signalling = new CallLegSignalling(this);
    this.signalling = signalling;
    this.media = new SipChannelMedia(session.endpoint, {
      get isHungUp() {
        return isHungUp();
      },
      onHangup: (listener) => this.onHangup(listener),
      toneList: (tones) => services.toneList(settings.tonezone, tones),
      musicFor: (requested) =>
        services.musicOnHold({ channelClass: channelMusicClass(this), requested, interpret: settings.mohinterpret }),
      get sendSignalledDigit() {
        return signalling.signalledDigitSender;
      },
    });
    this.onHangup(() => signalling.stop());
  }

  /**
   * SIPDtmfMode() (chan_sip sip_dtmfmode()): how this leg sends and detects DTMF from now on
   * (RFC 4733 events, SIP INFO, or inband tones).
   */
  setDtmfMode(mode: 'rfc2833' | 'info' | 'shortinfo' | 'inband'): void {
    this.signalling.dtmfMode = mode;
    if (!this.isHungUp) this.session.endpoint.setDtmfMode(mode);
  }

  /**
   * Points the party's media at `target` — the bridged party's media address, or undefined for
   * our relay — and re-INVITEs the party when that changed (chan_sip sip_set_rtp_peer()):
   * before the answer the INVITE or 200 carries it instead (directrtpsetup).
   */
  redirectMedia(target: MediaAddress | undefined): void {
    const changed = this.session.setRedirect(target);
    if (this.#withholdFirstRedirect) {
      this.#withholdFirstRedirect = false;
      return;
    }
    if (changed && this.isUp) void this.signalling.reinvite();
  }

  /**
   * Whether this device's directmediapermit/deny/acl lets its media go straight to `remote`
   * (chan_sip sip_allow_rtp_remote()): guests and devices without rules always may.
   */
  async allowsDirectMediaTo(remote: MediaAddress | undefined): Promise<boolean> {
    const control = this.peer?.settings.directmediaAcl;
    if (control === undefined || (control.rules.length === 0 && control.namedAcls.length === 0)) return true;
    if (remote === undefined) return true;
    return this.services.namedAcls.allows(control, remote.address);
  }

  /** Answered and not hung up. */
  get isUp(): boolean {
    return this.#answered && !this.isHungUp;
  }

  get logger(): Logger {
    return this.services.logger;
  }

  /** sip.conf `sipdebug` in force. */
  get sipdebug(): boolean {
    return this.#general.sipdebug;
  }

  /** The Call-ID of this leg. */
  get callId(): string {
    return this.#callId ?? this.initialInvite?.callId ?? '';
  }

  /** Where this leg's signalling goes (chan_sip's p->sa): the caller's source, or the INVITE's destination. */
  get signallingAddress(): Destination | undefined {
    return this.#remoteDestination;
  }

  /** Whether the leg was answered (200 OK sent or received). */
  get answered(): boolean {
    return this.#answered;
  }

  /** The general section in force. */
  get #general(): SipGeneral {
    return this.services.general;
  }

  // ---------------------------------------------------------------- inbound

  /** Starts an inbound leg on a received INVITE (after authentication). */
  startInbound(start: InboundStart): void {
    this.#inbound = start;
    this.#localTag = start.localTag;
    this.initialInvite = start.invite;
    this.#callId = start.invite.callId;
    this.#remoteDestination = start.remoteDestination;
    const transaction = start.transaction;
    const onCancel = (): void => {
      if (this.#finalSent) return;
      this.#respond(487, 'Request Terminated');
      this.markHungUp(16);
      this.services.channelEnded(this);
    };
    const onAck = (): void => {
      this.dialog?.confirm();
      this.signalling.reinvites.checkPendings();
    };
    const onAckTimeout = (): void => {
      // chan_sip: no ACK for our 200 within 64*T1 ends the call.
      if (this.#answered && !this.isHungUp) this.hangup(16);
    };
    transaction.on('cancel', onCancel);
    transaction.on('ack', onAck);
    transaction.on('ackTimeout', onAckTimeout);
    this.#letGoOfInvite = () => {
      // Answered: a CANCEL and Timer L have nothing left to do; a late ACK still confirms an early dialog.
      if (!this.#finalSent) return false;
      transaction.off('cancel', onCancel);
      transaction.off('ack', onAck);
      transaction.off('ackTimeout', onAckTimeout);
      const dialog = this.dialog;
      if (dialog !== undefined) confirmOnAck(transaction, dialog);
      return true;
    };
    this.#respond(100, 'Trying');
  }

  async answer(): Promise<void> {
    if (this.#answered || this.isHungUp) return;
    if (this.direction === 'outbound') return;
    this.#answered = true;
    this.setState('up');
    this.#respond(200, 'OK', this.answerSdp());
    // chan_sip sip_answer(): "RFC says the session timer starts counting on 200".
    this.signalling.answered();
  }

  async indicate(indication: Indication): Promise<void> {
    if (this.isHungUp || this.#finalSent) return;
    const plan = planIndication(indication, {
      answered: this.#answered,
      outbound: this.direction === 'outbound',
      progressSent: this.#progressSent,
      ringingSent: this.#ringingSent,
      progressInband: this.settings.progressinband,
      allowOverlap: this.settings.allowoverlap,
    });
    const response = plan.response;
    if (response !== undefined) {
      if (response.status === 183) this.#progressSent = true;
      if (response.status === 180) this.#ringingSent = true;
      this.#respond(response.status, response.reason, response.sdp ? this.answerSdp() : undefined);
    }
    if (plan.tone !== undefined) {
      try {
        this.media.playTones(plan.tone);
      } catch (error) {
        // main/channel.c: a tone that cannot be played leaves the indication unhandled.
        this.services.logger.warn({ err: error, channel: this.name }, `Unable to handle indication ${indication} for '${this.name}'`);
      }
    }
    if (plan.hangUp) {
      // chan_sip: sip_alreadygone() + ast_softhangup(): the final response ended the call.
      this.markHungUp();
      this.services.channelEnded(this);
    }
  }

  /** A response to the INVITE we received, in chan_sip's layout. */
  #respond(status: number, reason: string, sdp?: string, redirectContact?: string): void {
    const inbound = this.#inbound;
    if (inbound === undefined || this.#finalSent) return;
    const tagged = status > 100;
    const response = createResponse(inbound.invite, status, reason, {
      ...(tagged ? { toTag: this.#localTag } : {}),
      forceRport: inbound.forceRport,
    });
    response.headers.add('Server', this.#general.useragent);
    response.headers.add('Allow', ALLOWED_METHODS);
    response.headers.add('Supported', supportedExtensions(this.settings.sessionTimers.mode !== 'refuse'));
    for (const [name, value] of this.signalling.timer.responseHeaders()) response.headers.add(name, value);
    // chan_sip __transmit_response(): the Reason falls back to the cause of the status itself.
    if (status >= 300 && this.settings.useQ850Reason) response.headers.add('Reason', `Q.850;cause=${(this.hangupCause || causeFromSipStatus(status)) & 0x7f}`);
    if (status >= 300 && this.hangupCause > 0) {
      response.headers.add('X-Asterisk-HangupCause', causeDescription(this.hangupCause));
      response.headers.add('X-Asterisk-HangupCauseCode', String(this.hangupCause));
    }
    if (redirectContact !== undefined) {
      response.headers.add('Contact', redirectContact);
    } else if (tagged && status < 300) {
      response.headers.add('Contact', this.services.contactFor(inbound.contactUser, inbound.local.transport, inbound.local));
      this.#ensureUasDialog();
    }
    if (sdp !== undefined) {
      response.headers.add('Content-Type', 'application/sdp');
      response.body = Buffer.from(sdp);
      // chan_sip transmit_response_with_sdp(): Require: timer when RFC 4028 §9 asks for it.
      if (this.signalling.timer.requireInResponse) response.headers.add('Require', 'timer');
    }
    if (status >= 200) this.#finalSent = true;
    try {
      inbound.transaction.respond(response);
    } catch (error) {
      this.services.logger.warn({ err: error, channel: this.name }, `cannot send ${status} on ${this.name}`);
    }
  }

  /**
   * Transfer() (chan_sip sip_transfer()): before the answer, 302 Moved Temporarily to
   * `exten[@domain]` (sip_sipredirect()); the call is then over for SIP. An answered call is
   * transferred with a REFER (transmit_refer()), whose outcome is waited for.
   */
  async transfer(destination: string): Promise<TransferResult> {
    if (this.#answered && !this.isHungUp) return this.#refer(destination);
    if (this.direction !== 'inbound' || this.#answered || this.#finalSent || this.isHungUp) {
      this.services.logger.warn({ channel: this.name }, `Transfer of ${this.name} before its answer needs a REFER in an early dialog, which Tandem does not send`);
      return { status: 'UNSUPPORTED', protocolStatus: '0' };
    }
    const contact = redirectContact(destination, this.initialInvite?.headers.get('To') ?? '');
    if (contact === undefined) {
      this.services.logger.error({ channel: this.name }, `Cannot redirect ${this.name} to '${destination}': no extension or domain`);
      return { status: 'FAILURE', protocolStatus: '0' };
    }
    this.#respond(302, 'Moved Temporarily', undefined, contact);
    return { status: 'SUCCESS', protocolStatus: '0' };
  }

  /**
   * chan_sip transmit_refer(): REFER in the dialog with Refer-To built from the destination and
   * the party's URI, Referred-By our Contact; resolves with TRANSFERSTATUS/TRANSFERSTATUSPROTOCOL
   * once the response or the NOTIFY tells how it went.
   */
  #refer(destination: string): Promise<TransferResult> {
    const dialog = this.dialog;
    const invite = this.initialInvite;
    if (dialog === undefined || invite === undefined) return Promise.resolve({ status: 'FAILURE', protocolStatus: '0' });
    const party = invite.headers.get(this.direction === 'outbound' ? 'To' : 'From') ?? '';
    const refer = new OutgoingRefer(referTarget(destination, party));
    this.#outgoingRefer?.abandon();
    this.#outgoingRefer = refer;
    const send = (attempt: number, authorization?: readonly [string, string]): void => {
      const headers: [string, string][] = [['Date', new Date().toUTCString()], ['Refer-To', refer.referTo]];
      if (authorization !== undefined) headers.push([authorization[0], authorization[1]]);
      const request = dialog.createRequest('REFER', { headers });
      const contact = request.headers.get('Contact');
      if (contact !== undefined) request.headers.add('Referred-By', contact);
      const transaction = this.sendInDialog(request);
      transaction.on('response', (response) => {
        if (response.status < 200) return;
        // handle_response_refer(): a challenge is answered (twice at most) with the leg's credentials.
        const answer = response.status === 401 || response.status === 407 ? this.#referAuthorization(response, request.uri, attempt) : undefined;
        if (answer !== undefined) send(attempt + 1, answer);
        else refer.onResponse(response.status);
      });
      transaction.on('failure', () => refer.abandon());
    };
    send(0);
    const forget = this.onHangup(() => refer.abandon());
    void refer.result.then(forget);
    return refer.result;
  }

  /**
   * The Authorization for a challenged REFER (chan_sip do_proxy_auth()): the credentials of the
   * call we placed, or, for a call from a peer, its name (defaultuser) and remotesecret or
   * secret; `auth=` entries and `[authentication]` win for their realm. None, or a third
   * challenge: undefined.
   */
  #referAuthorization(response: SipResponse, uri: string, attempt: number): readonly [string, string] | undefined {
    const selected = selectDigestChallenge(response);
    if (selected === undefined || attempt >= 2) return undefined;
    const peer = this.peer;
    const source = this.#plan ?? {
      authUser: peer === undefined ? '' : peer.settings.defaultuser || peer.name,
      secret: peer === undefined ? '' : peer.settings.remotesecret || peer.settings.secret,
      md5secret: peer?.settings.md5secret ?? '',
      realmCredentials: [...(peer?.settings.auth ?? []), ...this.services.authentication],
    };
    const credentials = digestCredentials(source, selected.challenge.params['realm'] ?? '');
    if (credentials === undefined) {
      this.services.logger.warn({ channel: this.name }, `Asked to authenticate REFER on ${this.name} but we have no matching peer or realm auth!`);
      return undefined;
    }
    return [selected.authorizationHeader, createDigestAuthorization({ challenge: selected.challenge, method: 'REFER', requestUri: uri, ...credentials })];
  }

  /** A NOTIFY (Event: refer) in this dialog: the progress of the REFER we sent, if any. */
  referProgress(sipfrag: string): void {
    this.#outgoingRefer?.onNotify(sipfrag);
  }

  #ensureUasDialog(): void {
    const inbound = this.#inbound;
    if (inbound === undefined || this.dialog !== undefined) return;
    try {
      this.dialog = Dialog.fromUas(inbound.invite, this.#localTag, {
        contact: this.services.contactFor(inbound.contactUser, inbound.local.transport, inbound.local),
        userAgent: this.#general.useragent,
      });
      this.services.addDialog(this.dialog.id, this);
    } catch (error) {
      this.services.logger.warn({ err: error }, `no dialog for ${this.name}`);
    }
  }

  // ---------------------------------------------------------------- outbound

  /** Remembers what Dial asked for; the INVITE is planned and sent by `call()`. */
  prepareOutbound(request: OutboundRequest): void {
    this.#request = request;
  }

  /** Codecs to offer first: the requesting channel's (chan_sip's prefcodec). */
  preferredCodecs(): string[] {
    return this.preferred;
  }

  /**
   * chan_sip try_suggested_sip_codec(): the codecs of `SIP_CODEC_OUTBOUND` (a call we place) or
   * `SIP_CODEC_INBOUND`, else `SIP_CODEC` (a call we answer) that are in `joint`, in the list's order.
   */
  suggestedCodecs(joint: readonly SdpCodec[]): SdpCodec[] {
    // Read whatever inheritance prefix the variable was set with (`__SIP_CODEC_OUTBOUND` before Dial).
    const read = (name: string) => readVariable(this.variables, name);
    const list = this.direction === 'outbound' ? read('SIP_CODEC_OUTBOUND') : (read('SIP_CODEC_INBOUND') ?? read('SIP_CODEC'));
    const { codecs, ignored } = suggestedCodecs(list, joint);
    for (const entry of ignored) this.services.logger.info({ asteriskLevel: 'NOTICE', channel: this.name }, ignoredCodecNotice(entry));
    return codecs;
  }

  /** Our SDP for a response (183, 200, re-INVITE answers): the joint codecs narrowed by SIP_CODEC*, in the direction our hold state answers. */
  answerSdp(): string {
    this.session.narrowCodecs(this.suggestedCodecs(this.session.codecs));
    return this.session.answer();
  }

  call(listener: OutgoingCallListener): void {
    this.#listener = listener;
    this.setState('dialing');
    // chan_sip sip_call(): INC_CALL_RINGING; a peer at its call-limit makes the call busy.
    if (!this.counters.start(true)) {
      // Reported after call() returns, as every other outcome is.
      queueMicrotask(() => this.#failOutbound(17, 'busy'));
      return;
    }
    void this.#startOutbound().catch((error: unknown) => {
      this.services.logger.warn({ err: error, channel: this.name }, `cannot call ${this.name}`);
      this.#failOutbound(34, 'congestion');
    });
  }

  async #startOutbound(): Promise<void> {
    const request = this.#request;
    if (request === undefined) return;
    const plan = await this.services.planOutbound(this, request);
    if (this.isHungUp) return;
    if ('cause' in plan) {
      this.#failOutbound(plan.cause, 'unavailable');
      return;
    }
    this.#plan = plan;
    this.#callId = plan.callId;
    this.#remoteDestination = plan.destination;
    const partner = this.earlyMediaPartner;
    if (partner !== undefined) this.#earlyDirect = await earlyDirectMedia(this, partner);
    if (this.isHungUp) return;
    await this.#sendInvite();
  }

  async #sendInvite(authorization?: readonly [string, string]): Promise<void> {
    const plan = this.#plan;
    if (plan === undefined || this.isHungUp) return;
    this.#authorization = authorization;
    const invite = await this.services.buildInvite(this, plan, this.#localTag, this.#cseq, authorization);
    this.initialInvite = invite;
    const timers = timersFromT1(this.peer?.t1Ms ?? this.settings.timerT1, this.settings.timerB);
    const transaction = this.services.endpoint.sendRequest(invite, plan.destination, { timers, rport: plan.rport });
    // The INVITE this one replaces (challenged, or failed over) has its final answer already.
    this.#letGoOfInvite(undefined);
    this.#invite = transaction;
    const onResponse = (response: SipResponse): void => this.#onInviteResponse(response);
    const onFailure = (failure: TransactionFailure): void => {
      // chan_sip: no response at all (Timer B) auto-congests the call.
      if (this.#answered || this.isHungUp) return;
      if (this.#failOver()) return;
      this.services.logger.info({ channel: this.name }, `no response to INVITE on ${this.name}: ${failure.reason}`);
      this.#failOutbound(failure.reason === 'timeout' ? 34 : 34, 'congestion');
    };
    transaction.on('response', onResponse);
    transaction.on('failure', onFailure);
    this.#letGoOfInvite = (ended) => {
      // Still waiting for the final response (a CANCEL under way, a 200 that may cross it): the
      // channel must see it. Answered, only 2xx retransmissions come, and they only need an ACK.
      if (!this.#answered && (transaction.state === 'calling' || transaction.state === 'proceeding')) return false;
      transaction.off('response', onResponse);
      transaction.off('failure', onFailure);
      if (ended !== undefined) ackEach2xx(transaction, ended);
      return true;
    };
  }

  #onInviteResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 200) {
      if (status === 100) return;
      this.#ensureUacDialog(response);
      if (status === 180 || status === 181 || status === 182) {
        if (this.#answered) return;
        this.setState('ringing');
        this.#applyAnswerSdp(response);
        this.#listener?.onRinging();
      } else if (status === 183) {
        if (this.#applyAnswerSdp(response)) this.#listener?.onProgress();
      }
      return;
    }
    if (status < 300) {
      this.#ensureUacDialog(response);
      // The 2xx's Contact and Record-Route decide where the ACK goes (use_contact_from_200).
      if (!this.#answered) this.dialog?.confirm(response);
      this.#sendAck(response);
      if (this.#answered) return;
      this.#applyAnswerSdp(response);
      if (this.isHungUp) {
        // We hung up (cancelled) while the 200 was on its way: end the call properly.
        this.#sendBye();
        return;
      }
      this.#answered = true;
      this.counters.answered();
      this.setState('up');
      const timers = this.signalling.timer.on2xx(response);
      this.#listener?.onAnswer();
      if (timers === 'teardown' && !this.isHungUp) {
        // chan_sip: a Session-Expires below our Min-SE is acknowledged, then the call ends.
        this.services.logger.warn({ channel: this.name }, 'Got Session-Expires less than local Min-SE in 200 OK, tearing down call');
        this.hangup(16);
      }
      return;
    }
    if (status === 422 && !this.isHungUp && this.signalling.timer.on422(response)) {
      // chan_sip proc_422_rsp(): a new INVITE (same Call-ID and tag, next CSeq) with the Min-SE asked for.
      this.#cseq += 1;
      void this.#sendInvite(this.#authorization).catch(() => this.#failOutbound(34, 'congestion'));
      return;
    }
    if ((status === 401 || status === 407) && this.#authAttempts < 3 && !this.isHungUp) {
      const plan = this.#plan;
      const selected = selectDigestChallenge(response);
      const credentials = plan === undefined || selected === undefined ? undefined : digestCredentials(plan, selected.challenge.params['realm'] ?? '');
      if (plan !== undefined && selected !== undefined && credentials !== undefined) {
        this.#authAttempts += 1;
        this.#cseq += 1;
        const value = createDigestAuthorization({ challenge: selected.challenge, method: 'INVITE', requestUri: plan.requestUri, ...credentials });
        void this.#sendInvite([selected.authorizationHeader, value]).catch(() => this.#failOutbound(34, 'congestion'));
        return;
      }
    }
    if (status >= 300 && status < 400) {
      const contact = response.contact;
      const user = contact?.uri.user;
      if (user !== undefined && this.#listener?.onForward) {
        this.#listener.onForward(user);
      }
      this.#failOutbound(this.settings.useQ850Reason ? reasonCause(response) ?? 23 : 23, 'busy', response);
      return;
    }
    if (status === 503 && this.#failOver()) return;
    const cause = (this.settings.useQ850Reason ? reasonCause(response) : undefined) ?? causeFromSipStatus(status);
    this.#failOutbound(cause, classifyFailure(status), response);
  }

  /**
   * RFC 3263 §4.3 (Tandem beyond chan_sip): before any dialog exists, a timeout, transport
   * error or 503 sends the INVITE (same Call-ID and CSeq, new branch) to the next DNS target.
   */
  #failOver(): boolean {
    const next = this.#plan?.failover;
    if (next === undefined || this.dialog !== undefined) return false;
    void next()
      .then(async (plan) => {
        if (this.isHungUp || this.#answered) return;
        this.#plan = plan;
        this.#remoteDestination = plan.destination;
        await this.#sendInvite();
      })
      .catch(() => this.#failOutbound(34, 'congestion'));
    return true;
  }

  /** The far end's SDP in a 18x/2xx; true when it carried media. */
  #applyAnswerSdp(response: SipResponse): boolean {
    if (response.body.length === 0 || response.contentType?.mediaType !== 'application/sdp') return false;
    let accepted: boolean;
    try {
      accepted = this.session.acceptAnswer(parseSdp(response.body)) === undefined;
    } catch {
      return false;
    }
    // directrtpsetup: the caller, not answered yet, is told where our party's media is.
    if (accepted && this.#earlyDirect) this.earlyMediaPartner?.redirectMedia(this.session.directTarget);
    return accepted;
  }

  #ensureUacDialog(response: SipResponse): void {
    if (this.dialog !== undefined || this.initialInvite === undefined) return;
    try {
      const plan = this.#plan;
      this.dialog = Dialog.fromUac(this.initialInvite, response, plan?.destination.transport ?? 'udp', {
        contact: this.initialInvite.headers.get('Contact') ?? '',
        userAgent: this.#general.useragent,
        initialCSeq: this.#cseq,
      });
      this.services.addDialog(this.dialog.id, this);
    } catch {
      // A provisional without To tag creates no dialog.
    }
  }

  #sendAck(response: SipResponse): void {
    const dialog = this.dialog;
    if (dialog === undefined) return;
    const ack = dialog.createAck(response.cseq.seq);
    void this.services.endpoint.sendStateless(ack, this.#inDialogDestination(), { rport: this.#plan?.rport ?? false }).catch(() => undefined);
  }

  #failOutbound(cause: number, kind: 'busy' | 'congestion' | 'unavailable' | 'cancelled', response?: SipResponse): void {
    if (this.isHungUp) return;
    this.hangupCause = cause;
    const listener = this.#listener;
    if (kind === 'busy') listener?.onBusy();
    else if (kind === 'congestion') listener?.onCongestion();
    this.markHungUp(cause);
    // chan_sip handle_response(): AST_CONTROL_PVT_CAUSE_CODE "SIP <status> <reason>" (HANGUPCAUSE(chan,tech)).
    listener?.onHangup(cause, response === undefined ? undefined : `SIP ${response.status} ${response.reason}`);
    this.services.channelEnded(this);
  }

  // ---------------------------------------------------------------- both directions

  /** Where requests inside the dialog go: the first route, the NAT source, or the Contact. */
  #inDialogDestination(): Destination {
    const fallback = this.#remoteDestination ?? { transport: 'udp' as const, address: '127.0.0.1', port: 5060 };
    const dialog = this.dialog;
    if (dialog === undefined || this.#plan?.forceProxy === true) return fallback;
    if (dialog.routeSet.length > 0 || !this.#usesSourceAddress()) {
      const hop = dialog.nextHop;
      const address = hop.host.replace(/^\[|\]$/g, '');
      if (/^[\d.]+$|:/.test(address)) {
        return { ...fallback, address, port: hop.port ?? fallback.port };
      }
    }
    return fallback;
  }

  /** chan_sip sends in-dialog requests to the packet source when force_rport applies. */
  #usesSourceAddress(): boolean {
    return this.#inbound?.forceRport ?? this.#plan?.rport ?? false;
  }

  protected releaseSignalling(cause: number): void {
    if (this.direction === 'inbound') {
      if (!this.#answered) {
        const { status, reason } = sipStatusFromCause(cause);
        this.#respond(status, reason);
      } else {
        this.#sendBye();
      }
    } else if (!this.#answered) {
      const transaction = this.#invite;
      if (transaction !== undefined && 'requestCancel' in transaction) {
        // chan_sip transmit_request_with_auth(): a leg answered elsewhere says so in its CANCEL.
        const reason: [string, string][] = cause === 26 ? [['Reason', 'SIP;cause=200;text="Call completed elsewhere"']] : [];
        this.services.endpoint.cancel(transaction as Parameters<ChanSipServices['endpoint']['cancel']>[0], reason);
      }
    } else {
      this.#sendBye();
    }
    this.services.channelEnded(this);
  }

  #sendBye(): void {
    // chan_sip sip_hangup(): no BYE while our re-INVITE awaits its answer (SIP_PENDINGBYE, 32*T1 at most).
    const t1 = this.peer?.t1Ms ?? this.settings.timerT1;
    if (this.signalling.reinvites.deferUntilAnswered(() => this.#transmitBye(), 32 * t1)) return;
    this.#transmitBye();
  }

  #transmitBye(): void {
    const dialog = this.dialog;
    if (dialog === undefined || dialog.state === 'terminated') return;
    // chan_sip transmit_request_with_auth(SIP_BYE): Reason with use_q850_reason and a cause.
    const reason: [string, string][] = this.settings.useQ850Reason && this.hangupCause > 0 ? [['Reason', `Q.850;cause=${this.hangupCause & 0x7f}`]] : [];
    const bye = dialog.createRequest('BYE', {
      headers: [
        ...reason,
        ['X-Asterisk-HangupCause', causeDescription(this.hangupCause)],
        ['X-Asterisk-HangupCauseCode', String(this.hangupCause)],
      ],
    });
    dialog.terminate();
    const timers = timersFromT1(this.peer?.t1Ms ?? this.settings.timerT1);
    this.services.endpoint.sendRequest(bye, this.#inDialogDestination(), { timers, rport: this.#usesSourceAddress() });
  }

  /** The party hung up (BYE) or the dialog ended from its side. */
  remoteHangup(cause: number): void {
    this.dialog?.terminate();
    if (this.isHungUp) return;
    this.markHungUp(cause);
    this.services.channelEnded(this);
  }

  /** Sends a request inside the dialog: route set or NAT destination, the device's T1 (and Timer B for INVITE). */
  sendInDialog(request: SipRequest): ClientTransaction {
    const t1 = this.peer?.t1Ms ?? this.settings.timerT1;
    const timers = request.method.toUpperCase() === 'INVITE' ? timersFromT1(t1, this.settings.timerB) : timersFromT1(t1);
    return this.services.endpoint.sendRequest(request, this.#inDialogDestination(), { timers, rport: this.#usesSourceAddress() });
  }

  /** Sends the ACK for a 2xx to an INVITE we sent in this dialog. */
  acknowledge(response: SipResponse): void {
    this.#sendAck(response);
  }

  /**
   * The call is over: what the dialog needs for its late requests (undefined without a dialog),
   * and the INVITE transaction no longer holds on to the channel, so that the channel, its
   * media session and messages can be garbage-collected while the dialog is kept.
   */
  ended(): EndedCall | undefined {
    const dialog = this.dialog;
    const ended =
      dialog === undefined
        ? undefined
        : new EndedCall(
            dialog,
            { name: this.name, services: this.services, settings: this.settings, peer: this.peer, transferContext: this.variables.get('TRANSFER_CONTEXT') },
            { destination: this.#inDialogDestination(), rport: this.#usesSourceAddress(), ackRport: this.#plan?.rport ?? false },
          );
    if (this.#letGoOfInvite(ended)) this.#letGoOfInvite = () => true;
    return ended;
  }

  /** A 2xx retransmission for our INVITE after its transaction ended: ACK it again. */
  handleStray2xx(response: SipResponse): void {
    this.#sendAck(response);
  }
}

// The listeners an ended call leaves on its INVITE transaction are made out here: a closure made
// inside a method would keep the channel (its `this`) reachable through its context.

/** A late ACK for our final response still confirms an early dialog. */
function confirmOnAck(transaction: InviteServerTransaction, dialog: Dialog): void {
  transaction.on('ack', () => dialog.confirm());
}

/** Each 2xx retransmission for our INVITE gets its ACK again. */
function ackEach2xx(transaction: ClientTransaction, ended: EndedCall): void {
  transaction.on('response', (response) => {
    if (response.status >= 200 && response.status < 300) ended.handleStray2xx(response);
  });
}

/** The Q.850 cause of a `Reason: Q.850;cause=N` header (use_q850_reason). */
function reasonCause(response: SipResponse): number | undefined {
  const reason = response.headers.get('Reason');
  const match = reason === undefined ? null : /Q\.850\s*;\s*cause\s*=\s*(\d+)/i.exec(reason);
  return match ? Number(match[1]) : undefined;
}
