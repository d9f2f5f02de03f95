import type { SipGeneral, SipMwiSubscription, SipRealmAuth } from '@tandem/config';
import type { Logger } from '@tandem/registrar';
import {
  buildRequest,
  createResponse,
  formatHost,
  generateCallId,
  generateTag,
  getTag,
  type LocalEndpoint,
  type ServerTransaction,
  type SipRequest,
  type TransportProtocol,
} from '@tandem/sip';
import { sendAuthenticated } from './authenticated-request.js';
import type { MailboxStates } from './mailbox-states.js';
import { answerNotify } from './notify-events.js';
import { encodeSipUser } from './outbound-headers.js';
import { resolveRequestTarget, type RequestTarget, type TargetResolution } from './request-target.js';
import type { SubscriptionDialog, SubscriptionDialogs } from './subscription-dialogs.js';

/** What an outbound MWI subscription needs from the SIP channel driver. */
export interface MwiSubscribing extends TargetResolution {
  readonly logger: Logger;
  readonly authentication: readonly SipRealmAuth[];
  readonly mailboxes: MailboxStates;
  readonly subscriptionDialogs: SubscriptionDialogs;
  contactFor(user: string, transport: TransportProtocol, local: LocalEndpoint | undefined): string;
}

/** Timer handle of the next (re-)SUBSCRIBE. */
type Timer = ReturnType<typeof setTimeout>;

/**
 * One `mwi => user[:secret[:authuser]]@host[:port]/mailbox` line of sip.conf (chan_sip
 * `struct sip_subscription_mwi`, __sip_subscribe_mwi_do()): SUBSCRIBEs to `Event:
 * message-summary` at the mailbox server, answers its challenges, SUBSCRIBEs again in the same
 * dialog after `mwiexpiry` seconds, and records the counts its NOTIFYs carry for `mailbox` in
 * context `SIP_Remote`. A refused or unanswered subscription is not retried, as in chan_sip.
 */
export class OutboundMwiSubscription implements SubscriptionDialog {
  readonly #line: SipMwiSubscription;
  readonly #sip: MwiSubscribing;
  #target: RequestTarget | undefined;
  #callId = '';
  readonly #fromTag = generateTag();
  #remoteTag: string | undefined;
  #remoteTarget: string | undefined;
  #cseq = 101;
  #timer: Timer | undefined;
  #stopped = false;
  /** Subscribed (a 2xx came back) and not stopped. */
  subscribed = false;

  constructor(line: SipMwiSubscription, sip: MwiSubscribing) {
    this.#line = line;
    this.#sip = sip;
  }

  /** `user@host[:port]/mailbox`, for logs. */
  get label(): string {
    return `${this.#line.user}@${this.#line.host}${this.#line.port === undefined ? '' : `:${this.#line.port}`}/${this.#line.mailbox}`;
  }

  /** Sends the first SUBSCRIBE after `delayMs` (chan_sip starts every mwi => line 1 ms after load). */
  start(delayMs = 1): void {
    this.#schedule(delayMs);
  }

  /** Stops refreshing and forgets the dialog (sip reload, shutdown). */
  stop(): void {
    this.#stopped = true;
    this.subscribed = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#callId !== '') this.#sip.subscriptionDialogs.remove(this.#callId, this.#fromTag, this);
  }

  /** A request inside the subscription dialog: the mailbox server's NOTIFY. */
  handleRequest(request: SipRequest, transaction: ServerTransaction): void {
    if (this.#remoteTag === undefined) this.#remoteTag = getTag(request.from);
    const answer =
      request.method.toUpperCase() === 'NOTIFY'
        ? answerNotify(request, this.#line.mailbox, this.#sip.mailboxes)
        : { status: 405, reason: 'Method Not Allowed' };
    const response = createResponse(request, answer.status, answer.reason);
    response.headers.add('Server', this.#sip.general.useragent);
    try {
      transaction.respond(response);
    } catch {
      // Answered meanwhile.
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.#subscribe().catch((error: unknown) => this.#sip.logger.warn({ err: error }, `MWI subscription ${this.label} failed`));
    }, delayMs);
    this.#timer.unref?.();
  }

  async #subscribe(): Promise<void> {
    const sip = this.#sip;
    const general: SipGeneral = sip.general;
    const line = this.#line;
    this.#target ??= await resolveRequestTarget(sip, `${line.host}${line.port === undefined ? '' : `:${line.port}`}`, line.user);
    const target = this.#target;
    if (target === undefined || this.#stopped) {
      sip.logger.warn({ asteriskLevel: 'WARNING' }, `Unable to resolve the MWI server of ${this.label}`);
      return;
    }
    if (this.#callId === '') {
      this.#callId = generateCallId(general.fromdomain?.host ?? formatHost(target.local.address));
      sip.subscriptionDialogs.add(this.#callId, this.#fromTag, this);
    }
    // __sip_subscribe_mwi_do(): the From user (and digest user) is authuser, else user.
    const fromUser = line.authuser !== undefined && line.authuser !== '' ? line.authuser : line.user;
    const requestUri = this.#remoteTarget ?? `sip:${encodeSipUser(line.user)}@${target.toHost}${target.portInUri ? `:${target.destination.port}` : ''}`;
    const domain = general.fromdomain?.host ?? formatHost(target.local.address);
    const standardPort = target.destination.transport === 'tls' ? 5061 : 5060;
    const portText = target.local.port !== standardPort ? `:${target.local.port}` : '';
    const from = `"${general.callerid}" <sip:${encodeSipUser(fromUser)}@${domain}${portText}>;tag=${this.#fromTag}`;
    const to = `<sip:${encodeSipUser(line.user)}@${target.toHost}${target.portInUri ? `:${target.destination.port}` : ''}>${this.#remoteTag === undefined ? '' : `;tag=${this.#remoteTag}`}`;
    const contact = sip.contactFor(fromUser, target.destination.transport, target.local);
    const response = await sendAuthenticated(
      {
        endpoint: sip.endpoint,
        destination: target.destination,
        t1: target.t1,
        rport: target.rport,
        credentials: { realmAuth: [], globalAuth: sip.authentication, authUser: fromUser, secret: line.secret ?? '', md5secret: '' },
        build: (cseq, authorization) => {
          this.#cseq = cseq;
          return buildRequest({
            method: 'SUBSCRIBE',
            uri: requestUri,
            maxForwards: target.maxForwards,
            from,
            to,
            contact,
            callId: this.#callId,
            cseq,
            userAgent: general.useragent,
            headers: [
              ...(authorization === undefined ? [] : [authorization]),
              ['Date', new Date().toUTCString()],
              ['Event', 'message-summary'],
              ['Accept', 'application/simple-message-summary'],
              ['Expires', String(general.mwiexpiry)],
            ],
          });
        },
      },
      this.#cseq + 1,
    );
    if (this.#stopped) return;
    if (response.status >= 200 && response.status < 300) {
      // handle_response_subscribe(): subscribed; SUBSCRIBE again after mwiexpiry.
      this.subscribed = true;
      this.#remoteTag ??= getTag(response.to);
      const contactUri = response.contact?.uri;
      if (contactUri !== undefined) this.#remoteTarget = `${contactUri.scheme}:${contactUri.user === undefined ? '' : `${contactUri.user}@`}${formatHost(contactUri.host)}${contactUri.port === undefined ? '' : `:${contactUri.port}`}`;
      this.#schedule(general.mwiexpiry * 1000);
      return;
    }
    this.subscribed = false;
    if (response.status === 401 || response.status === 407) {
      sip.logger.info({ asteriskLevel: 'NOTICE' }, `Failed to authenticate on SUBSCRIBE to '${from}'`);
    } else {
      sip.logger.warn({ asteriskLevel: 'WARNING' }, `Subscription failed for MWI. The remote side said that a mailbox may not have been configured (${this.label}: ${response.status} ${response.reason}).`);
    }
    sip.subscriptionDialogs.remove(this.#callId, this.#fromTag, this);
  }
}
