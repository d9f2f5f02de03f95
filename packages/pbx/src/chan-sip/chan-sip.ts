import type { IndicationsConf, SipGeneral, TandemConfig } from '@tandem/config';
import { findToneZone } from '@tandem/config';
import type { ChannelRequest, DeviceState, DialplanChannel, PbxEngine } from '@tandem/dialplan';
import type { MediaEngine } from '@tandem/media';
import type { Logger, PeerDirectory, Registrar } from '@tandem/registrar';
import {
  createResponse,
  dialogIdOf,
  formatHost,
  getTag,
  type LocalEndpoint,
  type ServerTransaction,
  type SipResolver,
  type SipEndpoint,
  type SipRequest,
  type SipResponse,
  type TransportProtocol,
} from '@tandem/sip';
import type { ChannelRegistry } from '../channels/channel-registry.js';
import type { ChanSipServices } from './chan-sip-services.js';
import { outOfDialogHandlers } from './requests/index.js';
import { inDialogHandlers } from './in-dialog/index.js';
import { OurAddress } from './our-address.js';
import { PeerKeepalives } from './peer-keepalives.js';
import { buildOutboundInvite, planOutbound, requestSipChannel, type OutboundRequest } from './outbound-request.js';
import { ALLOWED_METHODS, KNOWN_METHODS } from './sip-constants.js';
import type { OutboundPlan, SipChannel } from './sip-channel.js';

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
  readonly #dialogs = new Map<string, SipChannel>();

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
    this.ourAddress = new OurAddress({ endpoint: options.endpoint, general: () => this.general, resolver: options.resolver, logger: options.logger });
    this.keepalives = new PeerKeepalives(options.directory, options.endpoint, options.logger);
    this.endpoint.onRequest((request, transaction) => this.#onRequest(request, transaction));
    this.endpoint.onAck((ack) => this.#onAck(ack));
    this.endpoint.onStrayResponse((response) => this.#onStrayResponse(response));
  }

  get general(): SipGeneral {
    return this.config.sip.general;
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
  }

  channelEnded(channel: SipChannel): void {
    if (channel.dialog !== undefined && this.#dialogs.get(channel.dialog.id) === channel) {
      // Keep the dialog a little longer so retransmitted BYEs still find it (chan_sip keeps
      // the pvt for 32 s); the channel itself is gone.
      const id = channel.dialog.id;
      setTimeout(() => {
        if (this.#dialogs.get(id) === channel) this.#dialogs.delete(id);
      }, 32_000).unref();
    }
    if (this.channels.remove(channel)) {
      try {
        channel.session.endpoint.release();
      } catch {
        // Already released.
      }
      const peer = channel.peer;
      if (peer !== undefined && channel.countedInUse) {
        peer.inUse = Math.max(0, peer.inUse - 1);
        channel.countedInUse = false;
      }
    }
  }

  toneList(zone: string, nameOrList: string): string {
    const tones = findToneZone(this.#indications, zone)?.tones;
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

  /** Dial(SIP/...): a new outbound channel, not called yet. */
  requestChannel(resource: string, requestor: DialplanChannel | undefined): ChannelRequest {
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
  }

  // ---------------------------------------------------------------- routing

  #onRequest(request: SipRequest, transaction: ServerTransaction): void {
    void this.#dispatch(request, transaction).catch((error: unknown) => {
      this.logger.error({ err: error }, `failed handling ${request.method}`);
      try {
        transaction.reply(500, 'Server Internal Error');
      } catch {
        // Already answered.
      }
    });
  }

  async #dispatch(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const method = request.method.toUpperCase();
    if (!KNOWN_METHODS.has(method)) {
      this.reply(transaction, 501, 'Not Implemented');
      return;
    }
    const toTag = toTagOf(request);
    if (toTag !== undefined && toTag !== '') {
      const channel = this.#dialogs.get(dialogIdOf(request));
      if (channel === undefined) {
        this.reply(transaction, 481, 'Call leg/transaction does not exist');
        return;
      }
      // chan_sip: a request of a dialog with a channel counts as authenticated.
      this.markAuthenticated(request);
      if (channel.dialog?.receiveRequest(request) === 'out-of-order') {
        this.reply(transaction, 500, 'Server Internal Error');
        return;
      }
      const reply = (status: number, reason?: string, body?: { type: string; body: string }): void => {
        const response = this.response(request, status, reason);
        if (body !== undefined) {
          response.headers.add('Content-Type', body.type);
          response.body = Buffer.from(body.body);
        }
        try {
          transaction.respond(response);
        } catch {
          // The transaction ended meanwhile.
        }
      };
      const handler = inDialogHandlers.get(method);
      if (handler === undefined) reply(501, 'Not Implemented');
      else await handler(channel, request, reply);
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
  response(request: SipRequest, status: number, reason?: string): SipResponse {
    const response = createResponse(request, status, reason);
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
    this.#dialogs.get(dialogIdOf(ack))?.dialog?.confirm();
  }

  #onStrayResponse(response: SipResponse): void {
    if (response.status >= 200 && response.status < 300 && response.cseq.method.toUpperCase() === 'INVITE') {
      this.#dialogs.get(dialogIdOf(response))?.handleStray2xx(response);
    }
  }
}

/** The To tag; a To header the parser refuses counts as untagged (its handler answers it). */
function toTagOf(request: SipRequest): string | undefined {
  try {
    return getTag(request.to);
  } catch {
    return undefined;
  }
}
