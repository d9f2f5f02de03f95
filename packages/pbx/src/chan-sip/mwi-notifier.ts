import type { Peer, PeerDirectory, Registrar } from '@tandem/registrar';
import { buildRequest, formatHost, generateCallId, generateTag, timersFromT1 } from '@tandem/sip';
import { mailboxKey } from './mailbox-states.js';
import { messageSummary } from './presence-documents.js';
import { encodeSipUser, escapeQuoted } from './outbound-headers.js';
import { resolveRequestTarget, targetRequestUri } from './request-target.js';
import type { MwiSubscribing } from './mwi-subscription.js';
import type { SubscriptionWatch } from './subscription-watch.js';

/** What MWI to devices needs from the SIP channel driver. */
export interface MwiNotifying extends MwiSubscribing {
  readonly directory: PeerDirectory;
  readonly registrar: Pick<Registrar, 'on'>;
  readonly subscriptions: SubscriptionWatch;
}

/**
 * Message-waiting NOTIFYs to devices with `mailbox=` (chan_sip sip_send_mwi_to_peer()), sent
 * when one of their mailboxes changes and when they register: inside their message-summary
 * subscription when they have one, otherwise as an unsolicited NOTIFY to their address —
 * unless `subscribemwi=yes`, which limits MWI to subscribers.
 */
export class MwiNotifier {
  readonly #sip: MwiNotifying;
  readonly #stops: (() => void)[] = [];

  constructor(sip: MwiNotifying) {
    this.#sip = sip;
    this.#stops.push(
      sip.mailboxes.onChange((mailbox) => {
        for (const peer of sip.directory.peers()) {
          if (peer.settings.mailboxes.some((box) => mailboxKey(box) === mailbox)) this.notifyPeer(peer);
        }
      }),
      sip.registrar.on('registered', ({ peer, restored }) => {
        // register_verify(): the 200 OK to the REGISTER leaves first, then the MWI NOTIFY.
        if (!restored && peer.settings.mailboxes.length > 0) setImmediate(() => this.notifyPeer(peer));
      }),
    );
  }

  /** Stops listening. */
  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }

  /** Sends `peer` its mailbox counts now. */
  notifyPeer(peer: Peer): void {
    const subscription = this.#sip.subscriptions.mailboxSubscriptionOf(peer.name);
    if (subscription !== undefined) {
      subscription.notify(true);
      return;
    }
    if (peer.settings.subscribemwi || peer.settings.mailboxes.length === 0 || peer.target() === undefined) return;
    void this.#sendUnsolicited(peer).catch((error: unknown) => this.#sip.logger.warn({ err: error }, `MWI NOTIFY to ${peer.name} failed`));
  }

  // transmit_notify_with_mwi() on a new dialog: From is fromuser, else mwi_from, else callerid=.
  async #sendUnsolicited(peer: Peer): Promise<void> {
    const sip = this.#sip;
    const general = sip.general;
    const target = await resolveRequestTarget(sip, peer.name, '');
    if (target === undefined) return;
    const settings = peer.settings;
    const name = settings.mwiFrom !== '' ? settings.mwiFrom : general.callerid;
    const user = target.fromUser ?? name;
    const domain = target.fromDomain?.host ?? general.fromdomain?.host ?? formatHost(target.local.address);
    const standardPort = target.destination.transport === 'tls' ? 5061 : 5060;
    const port = target.local.port !== standardPort ? `:${target.local.port}` : '';
    const uri = targetRequestUri(target);
    const counts = sip.mailboxes.total(settings.mailboxes);
    const transport = target.destination.transport === 'udp' ? '' : `;transport=${target.destination.transport}`;
    const account = `sip:${settings.vmexten}@${domain}${port}${transport}`;
    const request = buildRequest({
      method: 'NOTIFY',
      uri,
      maxForwards: target.maxForwards,
      from: `"${escapeQuoted(name)}" <sip:${encodeSipUser(user)}@${domain}${port}>;tag=${generateTag()}`,
      to: `<${uri}>`,
      contact: sip.contactFor(user, target.destination.transport, target.local),
      callId: generateCallId(domain),
      cseq: 102,
      userAgent: general.useragent,
      headers: [['Event', 'message-summary']],
      contentType: general.notifymimetype,
      body: messageSummary(counts.newMessages, counts.oldMessages, account, settings.buggymwi),
    });
    sip.endpoint.sendRequest(request, target.destination, { timers: timersFromT1(target.t1), rport: target.rport });
  }
}
