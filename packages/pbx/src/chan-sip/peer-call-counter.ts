import type { Peer } from '@tandem/registrar';

/**
 * One call leg's share of its peer's call counters (chan_sip update_call_counter() and
 * sip_peer_hold(), with the SIP_INC_COUNT / SIP_INC_RINGING / SIP_PAGE2_CALL_ONHOLD flags of
 * the dialog): each counter is raised at most once per leg and lowered only by the leg that
 * raised it, so a leg that ends in any state leaves the peer's counts right. Device state
 * (DEVICE_STATE(SIP/peer), hints, presence NOTIFYs) is read from these counts.
 */
export class PeerCallCounter {
  #inUse = false;
  #ringing = false;
  #onHold = false;

  constructor(
    private readonly peer: Peer | undefined,
    /** ast_devstate_changed("SIP/peer"): subscribers of the peer's hints learn the new state. */
    private readonly changed: (peer: Peer) => void,
  ) {}

  /** Whether this leg counts in the peer's in-use calls. */
  get countsInUse(): boolean {
    return this.#inUse;
  }

  /** Whether this leg counts in the peer's ringing calls. */
  get countsRinging(): boolean {
    return this.#ringing;
  }

  /** Whether this leg counts in the peer's calls on hold. */
  get countsOnHold(): boolean {
    return this.#onHold;
  }

  /**
   * INC_CALL_LIMIT (`ringing` false: an inbound call) or INC_CALL_RINGING (an outbound call
   * being placed). Only peers with a `call-limit` are counted (chan_sip's SIP_CALL_LIMIT flag).
   * False when the peer is at its limit: the call is refused.
   */
  start(ringing: boolean): boolean {
    const peer = this.peer;
    if (peer === undefined || peer.settings.callLimit <= 0) return true;
    if (!this.#inUse && peer.inUse >= peer.settings.callLimit) return false;
    if (ringing && !this.#ringing) {
      peer.ringing += 1;
      this.#ringing = true;
    }
    if (!this.#inUse) {
      peer.inUse += 1;
      this.#inUse = true;
    }
    this.changed(peer);
    return true;
  }

  /** DEC_CALL_RINGING: our outbound call was answered. */
  answered(): void {
    const peer = this.peer;
    if (peer === undefined || !this.#ringing) return;
    peer.ringing = Math.max(0, peer.ringing - 1);
    this.#ringing = false;
    this.changed(peer);
  }

  /**
   * change_hold_state(): the party put the call on hold (`held`) or took it off. The peer's
   * on-hold count only follows with `notifyhold=yes`, as in chan_sip.
   */
  hold(held: boolean, notifyHold: boolean): void {
    const peer = this.peer;
    if (peer === undefined || !notifyHold || held === this.#onHold) return;
    peer.onHold = held ? peer.onHold + 1 : Math.max(0, peer.onHold - 1);
    this.#onHold = held;
    this.changed(peer);
  }

  /** DEC_CALL_LIMIT: the call is over; whatever this leg counted is given back. */
  release(): void {
    const peer = this.peer;
    if (peer === undefined || (!this.#inUse && !this.#ringing && !this.#onHold)) return;
    if (this.#inUse) peer.inUse = Math.max(0, peer.inUse - 1);
    if (this.#ringing) peer.ringing = Math.max(0, peer.ringing - 1);
    if (this.#onHold) peer.onHold = Math.max(0, peer.onHold - 1);
    this.#inUse = false;
    this.#ringing = false;
    this.#onHold = false;
    this.changed(peer);
  }
}
