import type { AccessControl, SipGeneral, SipRealmAuth } from '@tandem/config';
import type { PbxEngine } from '@tandem/dialplan';
import type { Logger, Peer } from '@tandem/registrar';
import type { LocalEndpoint, SipEndpoint, SipRequest, TransportProtocol } from '@tandem/sip';
import type { MusicChoice } from '../channels/music-on-hold.js';
import type { MailboxStates } from './mailbox-states.js';
import type { OutboundRequest } from './outbound-request.js';
import type { OutboundPlan, SipChannel } from './sip-channel.js';

/** What a SIP channel needs from the SIP channel driver that owns it. */
export interface ChanSipServices {
  readonly endpoint: SipEndpoint;
  /** sip.conf `[general]` in force. */
  readonly general: SipGeneral;
  readonly logger: Logger;
  /** Mailbox counts learnt from MWI NOTIFYs. */
  readonly mailboxes: MailboxStates;
  /** sip.conf `[authentication]` credentials by realm (for challenges to our requests). */
  readonly authentication: readonly SipRealmAuth[];
  /** The dialplan engine (a transferred party runs the dialplan at the transfer target). */
  readonly engine: PbxEngine;
  /** Applies an ACL with its named ACLs (directmediaacl and friends). */
  readonly namedAcls: { allows(control: AccessControl, address: string): Promise<boolean> };
  /** Routes in-dialog requests with this dialog id to the channel. */
  addDialog(id: string, channel: SipChannel): void;
  /** The call is over: forget its dialog, release its media, update peer counters. */
  channelEnded(channel: SipChannel): void;
  /** A peer's call counters changed (ast_devstate_changed("SIP/peer")): NOTIFY hint subscribers now. */
  deviceStateChanged(peer: Peer): void;
  /** The files of the music class chosen for a channel (musiconhold.conf), none when no class fits. */
  musicOnHold(choice: MusicChoice): readonly string[];
  /** A tone name (`ring`, `busy`, ...) as the tone list of a zone, or the list as given. */
  toneList(zone: string, nameOrList: string): string;
  /** Our Contact (`<sip:user@ourip:port>`, `;transport=` when not UDP). */
  contactFor(user: string, transport: TransportProtocol, local: LocalEndpoint | undefined): string;
  /** Resolves where an outbound call goes (a Q.850 cause when it cannot). */
  planOutbound(channel: SipChannel, request: OutboundRequest): Promise<OutboundPlan | { cause: number }>;
  /** Builds the outbound INVITE of a channel (chan_sip transmit_invite()). */
  buildInvite(channel: SipChannel, plan: OutboundPlan, fromTag: string, cseq: number, authorization?: readonly [string, string]): Promise<SipRequest>;
}
