import type { IndicationsConf, SipGeneral, SipRealmAuth, TandemConfig } from '@tandem/config';
import { findToneZone } from '@tandem/config';
import type { ChannelRequest, DeviceState, DialplanChannel, PbxEngine } from '@tandem/dialplan';
import type { MediaEngine } from '@tandem/media';
import type { Logger, Peer, PeerDirectory, Registrar } from '@tandem/registrar';
import {
  createResponse,
  dialogIdOf,
  isSipError,
  formatHost,
  type LocalEndpoint,
  type ServerTransaction,
  type SipResolver,
  type SipEndpoint,
  type SipRequest,
  type SipResponse,
  type TransportProtocol,
} from '@tandem/sip';
import type { ChannelRegistry } from '../channels/channel-registry.js';
import { chooseMusicClass, musicFiles, type MusicChoice } from '../channels/music-on-hold.js';
import { AuthFailureGuard } from './auth-failure-guard.js';
import type { ChanSipServices } from './chan-sip-services.js';
import { NamedAclResolver } from './named-acls.js';
import { MessageRouter } from '../messaging/message-router.js';
import { MailboxStates } from './mailbox-states.js';
import { MwiNotifier } from './mwi-notifier.js';
import { OutboundMwiSubscription } from './mwi-subscription.js';
import { SubscriptionDialogs } from './subscription-dialogs.js';
import { SubscriptionWatch } from './subscription-watch.js';
import { outOfDialogHandlers } from './requests/index.js';
import { inDialogHandlers, type InDialogReply } from './in-dialog/index.js';
import { headerTag, requestDialogId } from './dialog-tags.js';
import { EndedCall } from './ended-call.js';
import { endedCallHandlers } from './in-dialog/ended-call-handlers.js';
import { OurAddress } from './our-address.js';
import { PeerKeepalives } from './peer-keepalives.js';
import { buildOutboundInvite, planOutbound, requestSipChannel, type OutboundRequest } from './outbound-request.js';
import { ALLOWED_METHODS, KNOWN_METHODS } from './sip-constants.js';
import type { OutboundPlan, SipChannel } from './sip-channel.js';

/** Errors of `@tandem/sip` that mean a request header could not be parsed. */
const MALFORMED_REQUEST_CODES: ReadonlySet<string> = new Set(['invalid-uri', 'invalid-header', 'missing-header', 'invalid-message']);

/** What the SIP channel driver is built from. */
export interface ChanSipOptions {
  readonly config: TandemConfig;
  readonly endpoint: SipEndpoint;
  readonly directory: PeerDirectory;
  readonly registrar: Registrar;
  readonly media: MediaEngine;
  readonly engine: PbxEngine;
  readonly channels: ChannelRegistry;
  readonly logger: Logger;
  readonly resolver: SipResolver;
  /** The configuration directory (relative realtime database files). */
  readonly configDir: string;
}

/**
 * The SIP channel driver (Asterisk's chan_sip): answers every request the SIP endpoint
 * receives, creates inbound channels and runs the dialplan on them, and creates outbound
 * channels for `Dial(SIP/...)`.
 */
export class ChanSip implements ChanSipServices {
  readonly endpoint: SipEndpoint;
  readonly directory: PeerDirectory;
  readonly registrar: Registrar;
  readonly media: MediaEngine;
  readonly engine: PbxEngine;
  readonly channels: ChannelRegistry;
  readonly logger: Logger;
  /** DNS for outbound calls (tandem.conf `dnsservers` when set). */
  readonly resolver: SipResolver;
  /** Our Via/Contact/SDP address toward a party (externaddr/localnet). */
  readonly ourAddress: OurAddress;
  /** CRLF keepalives to peers with `keepalive=` (started by the PBX). */
  readonly keepalives: PeerKeepalives;
  config: TandemConfig;
  /** Failed authentications per source address, and the addresses blocked for them. */
  readonly authFailures: AuthFailureGuard;
  /** acl.conf and realtime named ACLs. */
  namedAcls: NamedAclResolver;
  /** Received text messages on their way through the dialplan. */
  readonly messages: MessageRouter;
  /** Mailbox counts learnt from MWI NOTIFYs (context `SIP_Remote`). */
  readonly mailboxes = new MailboxStates();
  /** Dialogs that are subscriptions, not calls. */
  readonly subscriptionDialogs = new SubscriptionDialogs();
  /** Subscriptions devices made to us (presence, dialog, message-summary). */
  readonly subscriptions: SubscriptionWatch;
  #mwiSubscriptions: OutboundMwiSubscription[] = [];
  readonly #mwiNotifier: MwiNotifier;
  readonly #configDir: string;
  /** Calls by dialog id: live channels, and for 32 s after their end what is left of them. */
  readonly #dialogs = new Map<string, SipChannel | EndedCall>();
  /** Dialogs by Call-ID alone: how chan_sip matches requests with `pedantic=no` (find_call()). */
  readonly #dialogsByCallId = new Map<string, SipChannel | EndedCall>();

  constructor(options: ChanSipOptions) {
    this.config = options.config;
    this.endpoint = options.endpoint;
    this.directory = options.directory;
    this.registrar = options.registrar;
    this.media = options.media;
    this.engine = options.engine;
    this.channels = options.channels;
    this.logger = options.logger;
    this.resolver = options.resolver;
    this.#configDir = options.configDir;
    this.authFailures = new AuthFailureGuard(options.config.tandem.security, options.logger);
    this.namedAcls = new NamedAclResolver(options.config, options.configDir, options.logger);
    this.ourAddress = new OurAddress({ endpoint: options.endpoint, general: () => this.general, resolver: options.resolver, logger: options.logger });
    this.messages = new MessageRouter(() => this.engine, options.logger);
    this.subscriptions = new SubscriptionWatch();
    this.#mwiNotifier = new MwiNotifier(this);
    this.keepalives = new PeerKeepalives(options.directory, options.endpoint, options.logger);
    this.endpoint.onRequest((request, transaction) => this.#onRequest(request, transaction));
    this.endpoint.onAck((ack) => this.#onAck(ack));
    this.endpoint.onStrayResponse((response) => this.#onStrayResponse(response));
  }

  get general(): SipGeneral {
    return this.config.sip.general;
  }

  /** sip.conf `[authentication]` credentials for remote realms. */
  get authentication(): readonly SipRealmAuth[] {
    return this.config.sip.authentication;
  }

  get #indications(): IndicationsConf {
    return this.config.indications;
  }

  /** Live SIP dialogs (calls). */
  get dialogCount(): number {
    return this.#dialogs.size;
  }

  addDialog(id: string, channel: SipChannel): void {
    this.#dialogs.set(id, channel);
    this.#dialogsByCallId.set(channel.dialog?.callId ?? channel.callId, channel);
  }

  /**
   * The call an in-dialog request belongs to (chan_sip (Asterisk 20): find_call()): by Call-ID
   * and both tags, or by Call-ID alone when `pedantic=no`.
   */
  #findDialog(request: SipRequest): SipChannel | EndedCall | undefined {
    const exact = this.#dialogs.get(requestDialogId(request));
    if (exact !== undefined || this.general.pedantic) return exact;
    return this.#dialogsByCallId.get(request.callId);
  }

  /**
   * A request without To tag that chan_sip still routes to an established call: find_call()
   * (match_req_to_dialog(), pedantic or not) wants the Call-ID and the party's From tag and
   * checks the To tag only when there is one, so a phone's re-INVITE that left it out reaches
   * its call.
   */
  #taglessInDialog(request: SipRequest): SipChannel | EndedCall | undefined {
    const channel = this.#dialogsByCallId.get(request.callId);
    const dialog = channel?.dialog;
    if (channel === undefined || dialog === undefined || dialog.state !== 'confirmed') return undefined;
    return headerTag(request, 'From') === dialog.remoteTag ? channel : undefined;
  }

  channelEnded(channel: SipChannel): void {
    const ended = channel.ended();
    if (ended !== undefined && this.#dialogs.get(ended.dialog.id) === channel) {
      // Keep the dialog a little longer so retransmitted and late requests still find it
      // (chan_sip keeps the pvt for 32 s): only what answering them takes, not the channel.
      const id = ended.dialog.id;
      const callId = ended.dialog.callId;
      this.#dialogs.set(id, ended);
      if (this.#dialogsByCallId.get(callId) === channel) this.#dialogsByCallId.set(callId, ended);
      setTimeout(() => {
        if (this.#dialogs.get(id) === ended) this.#dialogs.delete(id);
        if (this.#dialogsByCallId.get(callId) === ended) this.#dialogsByCallId.delete(callId);
      }, 32_000).unref();
    }
    if (this.channels.remove(channel)) {
      try {
        channel.session.release();
      } catch {
        // Already released.
      }
      channel.counters.release();
    }
  }

  deviceStateChanged(_peer: Peer): void {
    // Tandem has no device-state bus: the presence subscriptions compare their hint state now.
    this.subscriptions.check();
  }

  musicOnHold(choice: MusicChoice): readonly string[] {
    const musicClass = chooseMusicClass(this.config.musicOnHold, choice);
    if (musicClass === undefined) {
      this.logger.warn({ choice }, 'no music on hold class found (musiconhold.conf): none played');
      return [];
    }
    return musicFiles(musicClass);
  }

  toneList(zone: string, nameOrList: string): string {
    const indications = this.#indications;
    // main/indications.c: a channel without a (known) tone zone uses the default country.
    const tones = (findToneZone(indications, zone) ?? findToneZone(indications, indications.defaultCountry))?.tones;
    return tones?.[nameOrList.toLowerCase()] ?? nameOrList;
  }

  contactFor(user: string, transport: TransportProtocol, local: LocalEndpoint | undefined): string {
    const host = local === undefined ? '127.0.0.1' : formatHost(local.address);
    const port = local?.port ?? 5060;
    const userPart = user === '' ? '' : `${user}@`;
    return `<sip:${userPart}${host}:${port}${transport === 'udp' ? '' : `;transport=${transport}`}>`;
  }

  planOutbound(channel: SipChannel, request: OutboundRequest): Promise<OutboundPlan | { cause: number }> {
    return planOutbound(this, channel, request);
  }

  buildInvite(channel: SipChannel, plan: OutboundPlan, fromTag: string, cseq: number, authorization?: readonly [string, string]): Promise<SipRequest> {
    return buildOutboundInvite(this, channel, plan, fromTag, cseq, authorization);
  }

  /** Dial(SIP/...): a new outbound channel, not called yet (later for a realtime peer not in memory). */
  requestChannel(resource: string, requestor: DialplanChannel | undefined): ChannelRequest | Promise<ChannelRequest> {
    return requestSipChannel(this, resource, requestor);
  }

  /** DEVICE_STATE(SIP/name). */
  deviceState(name: string): DeviceState {
    const peer = this.directory.get(name);
    if (peer === undefined || !peer.settings.isPeer) return 'INVALID';
    return peer.deviceState;
  }

  /** sip reload: the new configuration applies to new calls. */
  reload(config: TandemConfig): void {
    this.config = config;
    // chan_sip reload_config(): mwi => subscriptions are dropped and made again.
    this.stopSubscriptions();
    this.startSubscriptions();
    this.authFailures.reconfigure(config.tandem.security);
    const previous = this.namedAcls;
    this.namedAcls = new NamedAclResolver(config, this.#configDir, this.logger);
    void previous.close();
  }

  /** Closes what the driver opened itself (MWI subscriptions, realtime ACL databases). */
  async close(): Promise<void> {
    this.stopSubscriptions();
    this.subscriptions.stop();
    this.#mwiNotifier.stop();
    await this.namedAcls.close();
  }

  /** Subscribes to the mailboxes of the `mwi =>` lines (chan_sip sip_send_all_mwi_subscriptions()). */
  startSubscriptions(): void {
    this.#mwiSubscriptions = this.config.sip.mwiSubscriptions.map((line) => new OutboundMwiSubscription(line, this));
    for (const subscription of this.#mwiSubscriptions) subscription.start();
  }

  /** Stops the `mwi =>` subscriptions. */
  stopSubscriptions(): void {
    for (const subscription of this.#mwiSubscriptions) subscription.stop();
    this.#mwiSubscriptions = [];
  }

  // ---------------------------------------------------------------- routing

  #onRequest(request: SipRequest, transaction: ServerTransaction): void {
    void this.#dispatch(request, transaction).catch((error: unknown) => {
      // A header the handler needed does not parse (a To URI of an unknown scheme, ...): the
      // request is bad, not the server (foundation issue: 400 or drop, never 500 or a crash).
      const malformed = isSipError(error) && MALFORMED_REQUEST_CODES.has(error.code);
      if (malformed) this.logger.info({ err: error }, `bad ${request.method}: ${error.message}`);
      else this.logger.error({ err: error }, `failed handling ${request.method}`);
      try {
        if (malformed) transaction.reply(400, 'Bad Request');
        else transaction.reply(500, 'Server Internal Error');
      } catch {
        // Already answered.
      }
    });
  }

  async #dispatch(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    // Brute-force protection (tandem.conf [security]): a blocked address gets no answer.
    if (request.source !== undefined && this.authFailures.isBlocked(request.source.remoteAddress)) {
      transaction.terminate();
      return;
    }
    const method = request.method.toUpperCase();
    if (!KNOWN_METHODS.has(method)) {
      this.reply(transaction, 501, 'Not Implemented');
      return;
    }
    const tagless = headerTag(request, 'To') === undefined ? this.#taglessInDialog(request) : undefined;
    if (tagless !== undefined || headerTag(request, 'To') !== undefined) {
      const subscription = this.subscriptionDialogs.find(request);
      if (subscription !== undefined) {
        await subscription.handleRequest(request, transaction);
        return;
      }
      const call = tagless ?? this.#findDialog(request);
      if (call === undefined) {
        this.reply(transaction, 481, 'Call leg/transaction does not exist');
        return;
      }
      // chan_sip: a request of a dialog with a channel counts as authenticated.
      this.markAuthenticated(request);
      if (call.dialog?.receiveRequest(request) === 'out-of-order') {
        this.reply(transaction, 500, 'Server Internal Error');
        return;
      }
      const reply: InDialogReply = (status, reason, body, headers = []) => {
        // A tagless request of the call is answered with the call's tag (chan_sip copies p->tag).
        const response = this.response(request, status, reason, tagless?.dialog?.localTag);
        for (const [name, value] of headers) response.headers.add(name, value);
        if (body !== undefined) {
          response.headers.add('Content-Type', body.type);
          response.body = Buffer.from(body.body);
        }
        if (call instanceof EndedCall) call.decorateResponse(request, response);
        else call.signalling.decorateResponse(request, response);
        try {
          transaction.respond(response);
        } catch {
          // The transaction ended meanwhile.
        }
      };
      if (call instanceof EndedCall) {
        const handler = endedCallHandlers.get(method);
        if (handler === undefined) reply(501, 'Not Implemented');
        else handler(call, request, reply);
        return;
      }
      const handler = inDialogHandlers.get(method);
      if (handler === undefined) reply(501, 'Not Implemented');
      else await handler(call, request, reply, transaction);
      return;
    }
    const handler = outOfDialogHandlers.get(method);
    if (handler === undefined) {
      this.reply(transaction, 501, 'Not Implemented');
      return;
    }
    await handler(this, request, transaction);
  }

  /**
   * chan_sip `req->authenticated`: an accepted request (registered, authenticated or guest
   * call, in-dialog) stops the `tcpauthtimeout` countdown of the TCP/TLS session it came on.
   */
  markAuthenticated(request: SipRequest): void {
    const connectionId = request.source?.connectionId;
    if (connectionId !== undefined) this.endpoint.transport.connection(connectionId)?.markAuthenticated();
  }

  /** A response in chan_sip's layout with Server and Allow. */
  response(request: SipRequest, status: number, reason?: string, toTag?: string): SipResponse {
    const response = createResponse(request, status, reason, toTag === undefined ? {} : { toTag });
    response.headers.add('Server', this.general.useragent);
    response.headers.add('Allow', ALLOWED_METHODS);
    return response;
  }

  /** Answers a request with a bare response (`response()`). */
  reply(transaction: ServerTransaction, status: number, reason: string): void {
    try {
      transaction.respond(this.response(transaction.request, status, reason));
    } catch {
      // The transaction ended meanwhile.
    }
  }

  #onAck(ack: SipRequest): void {
    this.#findDialog(ack)?.dialog?.confirm();
  }

  #onStrayResponse(response: SipResponse): void {
    if (response.status >= 200 && response.status < 300 && response.cseq.method.toUpperCase() === 'INVITE') {
      this.#dialogs.get(dialogIdOf(response))?.handleStray2xx(response);
    }
  }
}

