import type { EventSubscription } from '../chan-sip/event-subscription.js';
import { ExtensionState } from '../chan-sip/presence-documents.js';
import type { Pbx } from '../pbx.js';
import { cliOk } from './cli-registry.js';

/** main/extension_state.c extension_state_mappings[]. */
const STATE_NAMES: ReadonlyMap<number, string> = new Map([
  [ExtensionState.notInUse, 'Idle'],
  [ExtensionState.inUse, 'InUse'],
  [ExtensionState.busy, 'Busy'],
  [ExtensionState.unavailable, 'Unavailable'],
  [ExtensionState.ringing, 'Ringing'],
  [ExtensionState.inUse | ExtensionState.ringing, 'InUse&Ringing'],
  [ExtensionState.onHold, 'Hold'],
  [ExtensionState.inUse | ExtensionState.onHold, 'InUse&Hold'],
]);

/** chan_sip subscription_types[] `text`. */
const TYPE_NAMES = { 'dialog-info': 'dialog-info+xml', pidf: 'pidf+xml', 'cpim-pidf': 'cpim-pidf+xml', xpidf: 'xpidf+xml' } as const;

function column(text: string, width: number): string {
  return text.slice(0, width).padEnd(width);
}

/**
 * `sip show subscriptions` (chan_sip sip_show_channels(), FORMAT3/FORMAT4): peer address,
 * user, Call-ID, `exten@context`, last state, body type, mailboxes and expiry of each
 * subscription a device made.
 */
export function renderSipShowSubscriptions(subscriptions: readonly EventSubscription[]): string {
  const row = (peer: string, user: string, callId: string, exten: string, state: string, type: string, mailbox: string, expiry: string): string =>
    `${column(peer, 15)}  ${column(user, 15)}  ${column(callId, 15)}  ${column(exten, 15)}  ${column(state, 13)}  ${column(type, 15)} ${column(mailbox, 10)} ${column(expiry, 6)}`;
  const lines = [row('Peer', 'User', 'Call ID', 'Extension', 'Last state', 'Type', 'Mailbox', 'Expiry')];
  for (const subscription of subscriptions) {
    const target = subscription.target;
    const mwi = target.kind === 'mwi';
    lines.push(
      row(
        subscription.remoteAddress,
        subscription.subscriber,
        subscription.dialog.callId,
        mwi ? '--' : subscription.label,
        mwi ? '<none>' : (STATE_NAMES.get(subscription.lastState) ?? 'Unknown'),
        mwi ? 'mwi' : TYPE_NAMES[target.format],
        mwi ? target.peer.settings.mailboxes.join(',') || '<none>' : '<none>',
        String(subscription.expiry).padStart(6, '0'),
      ),
    );
  }
  lines.push(`${subscriptions.length} active SIP subscription${subscriptions.length === 1 ? '' : 's'}`);
  return lines.join('\n');
}

/** Registers `sip show subscriptions`. */
export function registerSipShowSubscriptions(pbx: Pbx): void {
  pbx.cli.register({
    words: ['sip', 'show', 'subscriptions'],
    usage: 'sip show subscriptions',
    summary: 'Lists active SIP subscriptions',
    handler: () => cliOk(renderSipShowSubscriptions(pbx.chanSip.subscriptions.list())),
  });
}
