import type { SipGeneral } from '@tandem/config';
import type { PbxEngine } from '@tandem/dialplan';
import type { Logger, Peer } from '@tandem/registrar';
import { Dialog, formatHost, ipFamily, timersFromT1, type Destination, type LocalEndpoint, type ServerTransaction, type SipEndpoint, type SipRequest } from '@tandem/sip';
import type { MailboxStates } from './mailbox-states.js';
import { hintDevices, hintState, messageSummary, presenceDocument, PRESENCE_FORMATS, type PresenceFormat } from './presence-documents.js';
import type { SubscriptionDialog, SubscriptionDialogs } from './subscription-dialogs.js';

/** What an accepted subscription needs from the SIP channel driver. */
export interface SubscriptionServices {
  readonly general: SipGeneral;
  readonly endpoint: SipEndpoint;
  readonly logger: Logger;
  readonly engine: PbxEngine;
  readonly mailboxes: MailboxStates;
  readonly subscriptionDialogs: SubscriptionDialogs;
}

/** What is watched: an extension's hint, or the mailboxes of a device. */
export type SubscriptionTarget =
  | { readonly kind: 'presence'; readonly format: PresenceFormat; readonly context: string; readonly exten: string }
  | { readonly kind: 'mwi'; readonly peer: Peer };

/** How a subscription starts. */
export interface SubscriptionStart {
  readonly request: SipRequest;
  readonly target: SubscriptionTarget;
  /** Our To tag (the one a challenge of this Call-ID used). */
  readonly localTag: string;
  /** Our Contact (`<sip:exten@ourip:port>`). */
  readonly contact: string;
  /** Our address toward the subscriber. */
  readonly local: LocalEndpoint;
  /** Where NOTIFYs go when the Contact cannot be used (the packet source). */
  readonly source: Destination;
  /** Send to the packet source, not the Contact (force_rport in effect). */
  readonly useSource: boolean;
  readonly t1: number;
  /** `buggymwi` of the device. */
  readonly buggyMwi: boolean;
  /** Mailbox of `Message-Account` (`vmexten`). */
  readonly vmexten: string;
}

/** The URI inside `<...>` of a header, without URI parameters (remove_uri_parameters()). */
function bareUri(value: string | undefined): string {
  const text = value ?? '';
  const uri = /<([^>]*)>/.exec(text)?.[1] ?? text.split(';')[0] ?? '';
  return uri.split(';')[0]?.trim() ?? '';
}

/**
 * A subscription a device made to us (chan_sip's subscription `sip_pvt`): presence or dialog
 * state of a hinted extension (dialog-info, pidf, cpim-pidf, xpidf bodies), or message-summary
 * for a device's mailboxes. Each (re-)SUBSCRIBE is answered and followed by a full NOTIFY;
 * state changes are NOTIFYed one at a time (the latest one queued while a NOTIFY is
 * unanswered); the subscription disappears 10 s after it expires, or when a NOTIFY fails.
 */
export class EventSubscription implements SubscriptionDialog {
  readonly target: SubscriptionTarget;
  readonly dialog: Dialog;
  readonly createdAt = Date.now();
  /** Seconds granted by the last SUBSCRIBE (0 = ended). */
  expiry = 0;
  /** Last extension state notified (-1 before the first NOTIFY). */
  lastState = -1;
  readonly #sip: SubscriptionServices;
  readonly #start: SubscriptionStart;
  readonly #from: string;
  readonly #to: string;
  #version = 0;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #pending = false;
  #queued = false;
  #ended = false;
  /** Handles re-SUBSCRIBEs (authentication, expiry); set by whoever accepted the subscription. */
  onResubscribe: ((subscription: EventSubscription, request: SipRequest, transaction: ServerTransaction) => Promise<void>) | undefined;

  constructor(sip: SubscriptionServices, start: SubscriptionStart) {
    this.#sip = sip;
    this.#start = start;
    this.target = start.target;
    this.dialog = Dialog.fromUas(start.request, start.localTag, { contact: start.contact, userAgent: sip.general.useragent });
    this.dialog.confirm();
    this.#from = bareUri(start.request.headers.get('From'));
    this.#to = bareUri(start.request.headers.get('To'));
    sip.subscriptionDialogs.add(this.dialog.callId, this.dialog.localTag, this);
  }

  /** `exten@context` for presence, the device name for MWI (`sip show subscriptions`). */
  get label(): string {
    return this.target.kind === 'presence' ? `${this.target.exten}@${this.target.context}` : this.target.peer.name;
  }

  /** The event package of the subscription. */
  get event(): string {
    return this.target.kind === 'presence' ? PRESENCE_FORMATS[this.target.format].event : 'message-summary';
  }

  /** The subscriber's user (the From user), `(None)` when it has none. */
  get subscriber(): string {
    return this.#start.request.from.uri.user || '(None)';
  }

  /** Our Contact in this dialog. */
  get contact(): string {
    return this.#start.contact;
  }

  /** The peer address NOTIFYs go to (for `sip show subscriptions`). */
  get remoteAddress(): string {
    return this.#start.source.address;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /**
   * (Re)arms the subscription for `expiry` seconds and sends the full NOTIFY every SUBSCRIBE
   * gets (RFC 6665); expiry 0 ends it after a `terminated;reason=timeout` NOTIFY.
   */
  refresh(expiry: number): void {
    this.expiry = expiry;
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    if (expiry > 0) {
      // sip_scheddestroy(p, (p->expiry + 10) * 1000).
      this.#expiryTimer = setTimeout(() => this.end(), (expiry + 10) * 1000);
      this.#expiryTimer.unref?.();
    }
    this.notify(true);
    if (expiry === 0) this.end();
  }

  /** A request inside the subscription: a re-SUBSCRIBE (refresh or unsubscribe). */
  async handleRequest(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    if (this.dialog.receiveRequest(request) === 'out-of-order') {
      transaction.reply(500, 'Server Internal Error');
      return;
    }
    if (request.method.toUpperCase() !== 'SUBSCRIBE' || this.onResubscribe === undefined) {
      transaction.reply(481, 'Call leg/transaction does not exist');
      return;
    }
    await this.onResubscribe(this, request, transaction);
  }

  /** The current extension state of a presence subscription (-1 when the hint is gone). */
  currentState(): number {
    const target = this.target;
    if (target.kind !== 'presence') return 0;
    const hint = this.#hint();
    return hint === undefined ? -1 : hintState(hint, (device) => this.#sip.engine.host.deviceState(device));
  }

  /**
   * Sends a NOTIFY with the current state (extensionstate_update(), transmit_state_notify(),
   * sip_send_mwi_to_peer()): unless `force`, only when the state changed; while one is
   * unanswered the next is queued.
   */
  notify(force = false): void {
    if (this.#ended) return;
    const state = this.currentState();
    if (!force && state === this.lastState) return;
    if (this.#pending) {
      this.#queued = true;
      return;
    }
    this.lastState = state;
    const subscriptionState = this.expiry > 0 ? 'active' : 'terminated;reason=timeout';
    const general = this.#sip.general;
    let contentType: string;
    let body: string;
    const target = this.target;
    if (target.kind === 'presence') {
      const hint = this.#hint() ?? '';
      const devices = hintDevices(hint);
      contentType = PRESENCE_FORMATS[target.format].mediaType;
      body = presenceDocument({
        format: target.format,
        state: Math.max(state, 0),
        allDevicesUnavailable: devices.length > 0 && devices.every((device) => this.#sip.engine.host.deviceState(device) === 'UNAVAILABLE'),
        exten: target.exten,
        from: this.#from,
        to: this.#to,
        version: this.#version,
        notifyRinging: general.notifyringing,
      });
      this.#version += 1;
    } else {
      const counts = this.#sip.mailboxes.total(target.peer.settings.mailboxes);
      contentType = general.notifymimetype;
      body = messageSummary(counts.newMessages, counts.oldMessages, this.#messageAccount(), this.#start.buggyMwi);
    }
    let request: SipRequest;
    try {
      request = this.dialog.createRequest('NOTIFY', {
        headers: [
          ['Subscription-State', subscriptionState],
          ['Event', this.event],
        ],
        contentType,
        body,
      });
    } catch {
      return;
    }
    this.#pending = true;
    const transaction = this.#sip.endpoint.sendRequest(request, this.#destination(), { timers: timersFromT1(this.#start.t1), rport: this.#start.useSource });
    void transaction.final.then((response) => {
      this.#pending = false;
      // RFC 6665 §4.2.2: a failed NOTIFY (Timer F, 481...) removes the subscription.
      if (response.status >= 300) {
        this.#sip.logger.info({ subscription: this.label }, `NOTIFY for ${this.label} failed (${response.status} ${response.reason}); subscription removed`);
        this.end();
        return;
      }
      if (this.#queued) {
        this.#queued = false;
        this.notify();
      }
    });
  }

  /** Forgets the subscription. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.dialog.terminate();
    this.#sip.subscriptionDialogs.remove(this.dialog.callId, this.dialog.localTag, this);
  }

  #hint(): string | undefined {
    const target = this.target;
    if (target.kind !== 'presence') return undefined;
    return this.#sip.engine.dialplan.hint(target.context, target.exten)?.extension.hint?.application;
  }

  // transmit_notify_with_mwi(): `sip:<vmexten>@<fromdomain or our IP>[:port]`.
  #messageAccount(): string {
    const general = this.#sip.general;
    const domain = general.fromdomain?.host ?? formatHost(this.#start.local.address);
    const port = general.fromdomain !== undefined && general.fromdomain.port !== 5060 ? general.fromdomain.port : this.#start.local.port;
    const transport = this.#start.source.transport;
    const standard = transport === 'tls' ? 5061 : 5060;
    const suffix = transport === 'udp' ? '' : `;transport=${transport}`;
    return `sip:${this.#start.vmexten}@${domain}${port !== standard ? `:${port}` : ''}${suffix}`;
  }

  // Like a call's in-dialog requests: the route or Contact, or the packet source with force_rport.
  #destination(): Destination {
    const source = this.#start.source;
    if (this.#start.useSource && this.dialog.routeSet.length === 0) return source;
    const hop = this.dialog.nextHop;
    const address = hop.host.replace(/^\[|\]$/g, '');
    if (ipFamily(address) === 0) return source;
    return { ...source, address, port: hop.port ?? (source.transport === 'tls' ? 5061 : 5060) };
  }
}
