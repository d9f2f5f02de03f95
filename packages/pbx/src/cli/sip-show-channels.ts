import type { Pbx } from '../pbx.js';
import { SipChannel } from '../chan-sip/sip-channel.js';

const column = (text: string, width: number): string => text.slice(0, width).padEnd(width);

/**
 * `sip show channels` (chan_sip (Asterisk 20) sip_show_channels(), FORMAT
 * `%-15.15s  %-15.15s  %-15.15s  %-15.15s  %-7.7s  %-15.15s  %-10.10s  %-10.10s`).
 */
export function sipShowChannels(pbx: Pbx): string {
  const line = (cells: readonly string[]): string =>
    `${column(cells[0] ?? '', 15)}  ${column(cells[1] ?? '', 15)}  ${column(cells[2] ?? '', 15)}  ${column(cells[3] ?? '', 15)}  ${column(cells[4] ?? '', 7)}  ${column(cells[5] ?? '', 15)}  ${column(cells[6] ?? '', 10)}  ${column(cells[7] ?? '', 10)}`.trimEnd();
  const rows = [line(['Peer', 'User/ANR', 'Call ID', 'Format', 'Hold', 'Last Message', 'Expiry', 'Peer'])];
  let count = 0;
  for (const channel of pbx.channels.list()) {
    if (!(channel instanceof SipChannel)) continue;
    count += 1;
    const codec = channel.session.primaryCodec;
    rows.push(
      line([
        channel.session.remote?.address ?? '',
        channel.callerId.number === '' ? '(None)' : channel.callerId.number,
        channel.callId,
        codec === undefined ? '(nothing)' : `(${codec})`,
        channel.session.remoteDirection === 'sendrecv' ? 'No' : 'Yes',
        channel.direction === 'inbound' ? 'Rx: INVITE' : 'Tx: INVITE',
        '',
        channel.peer?.name ?? '<guest>',
      ]),
    );
  }
  rows.push(`${count} active SIP dialog${count === 1 ? '' : 's'}`);
  return `${rows.join('\n')}\n`;
}
