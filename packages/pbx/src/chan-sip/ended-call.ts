import type { SipPeerSettings } from '@tandem/config';
import type { Logger, Peer } from '@tandem/registrar';
import { timersFromT1, type Destination, type Dialog, type SipRequest, type SipResponse } from '@tandem/sip';
import { addDialogContact } from './call-leg-signalling.js';
import type { ChanSipServices } from './chan-sip-services.js';
import { supportedExtensions } from './sip-constants.js';

/** Who the ended leg was (read from the `SipChannel` once, at its end). */
export interface EndedLeg {
  readonly name: string;
  readonly services: ChanSipServices;
  readonly settings: SipPeerSettings;
  readonly peer: Peer | undefined;
  /** The channel's TRANSFER_CONTEXT variable (a late REFER looks at that context). */
  readonly transferContext: string | undefined;
}

/** Where the leg's requests went. */
export interface EndedLegRoute {
  readonly destination: Destination;
  /** `;rport` on our Via of in-dialog requests. */
  readonly rport: boolean;
  /** `;rport` on the ACK of a 2xx (an outbound call's plan). */
  readonly ackRport: boolean;
}

/**
 * An ended call as chan_sip keeps its `sip_pvt` for 32 s after the hangup (sip_scheddestroy()):
 * enough to answer late and retransmitted requests of the dialog (its Call-ID, tags and CSeq
 * numbers, our Contact, the device's settings), to ACK a retransmitted 2xx, and to send a
 * REFER's NOTIFY — without the channel, its media session, messages and closures, which the
 * garbage collector can now take.
 */
export class EndedCall {
  constructor(
    readonly dialog: Dialog,
    readonly leg: EndedLeg,
    private readonly route: EndedLegRoute,
  ) {}

  get logger(): Logger {
    return this.leg.services.logger;
  }

  /**
   * What chan_sip's respprep() adds to a response in the dialog once the session timer has
   * stopped: Supported, and our Contact where RFC 3261 wants one.
   */
  decorateResponse(request: SipRequest, response: SipResponse): void {
    response.headers.add('Supported', supportedExtensions(this.leg.settings.sessionTimers.mode !== 'refuse'));
    addDialogContact(request.method.toUpperCase(), response, this.dialog);
  }

  /** Sends a request in the dialog (a REFER's NOTIFY) where the call's requests went. */
  sendInDialog(request: SipRequest): void {
    const t1 = this.leg.peer?.t1Ms ?? this.leg.settings.timerT1;
    this.leg.services.endpoint.sendRequest(request, this.route.destination, { timers: timersFromT1(t1), rport: this.route.rport });
  }

  /** A 2xx retransmission for our INVITE: ACK it again. */
  handleStray2xx(response: SipResponse): void {
    const ack = this.dialog.createAck(response.cseq.seq);
    void this.leg.services.endpoint.sendStateless(ack, this.route.destination, { rport: this.route.ackRport }).catch(() => undefined);
  }
}
