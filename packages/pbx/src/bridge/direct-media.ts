import type { SipChannel } from '../chan-sip/sip-channel.js';

/** What a party's answered re-INVITE changed, as chan_sip queues it to the bridge. */
export type MediaChange = 'hold' | 'unhold' | 'update';

const bridges = new WeakMap<SipChannel, DirectMediaBridge>();

/** The direct-media bridge a SIP channel is in, if any. */
export function directMediaOf(channel: SipChannel): DirectMediaBridge | undefined {
  return bridges.get(channel);
}

/**
 * Asterisk's native RTP bridge between two SIP channels (main/bridge_native_rtp.c with chan_sip's
 * RTP glue): while both sides allow it, each party is re-INVITEd to send its media straight to
 * the other (sip_set_rtp_peer(), redirip), and brought back to our relay when that stops
 * holding — a party holds (the other is brought back), the bridge ends, or the codecs, NAT,
 * ACLs or a T.38 switch forbid it. Only what changes is re-INVITEd (chan_sip compares redirip).
 */
export class DirectMediaBridge {
  readonly #legs: readonly [SipChannel, SipChannel];
  readonly #needsMedia: boolean;
  #stopped = false;

  constructor(a: SipChannel, b: SipChannel, needsMedia: boolean) {
    this.#legs = [a, b];
    this.#needsMedia = needsMedia;
    bridges.set(a, this);
    bridges.set(b, this);
  }

  /** The bridge starts (native_rtp_bridge_start() without a target): both sides go direct when allowed. */
  async start(): Promise<void> {
    // The ACL check may wait on a realtime ACL: the bridge can have ended meanwhile.
    if (!(await this.#remoteAllowed()) || this.#stopped) return;
    const [a, b] = this.#legs;
    this.#point(a, b);
    this.#point(b, a);
  }

  /**
   * A party's re-INVITE was answered (chan_sip queues HOLD/UNHOLD and UPDATE_RTP_PEER, which the
   * bridge writes to the other side): a hold brings the other side back to the relay, an unhold
   * or a new media address points it at the party again when direct media is allowed.
   */
  async partyChanged(party: SipChannel, change: MediaChange): Promise<void> {
    const other = this.#other(party);
    if (other === undefined || this.#stopped) return;
    if (change === 'hold') {
      this.#bringBack(other);
      return;
    }
    if (await this.#remoteAllowed()) {
      if (!this.#stopped) this.#point(other, party);
      return;
    }
    // native_rtp_bridge_start(): "Bring any remaining channels back to us".
    for (const leg of this.#legs) this.#bringBack(leg);
  }

  /** The bridge ends (native_rtp_bridge_stop()): whoever is still up gets its media back through us. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const leg of this.#legs) {
      if (bridges.get(leg) === this) bridges.delete(leg);
      this.#bringBack(leg);
    }
  }

  #other(party: SipChannel): SipChannel | undefined {
    const [a, b] = this.#legs;
    return party === a ? b : party === b ? a : undefined;
  }

  /** chan_sip sip_set_rtp_peer(chan, other's RTP): redirip = the other party's media address. */
  #point(leg: SipChannel, toward: SipChannel): void {
    if (leg.isHungUp) return;
    // nat_active: a party behind NAT (symmetric RTP) is only reached directly by a directmedia=yes leg.
    if (toward.session.symmetric && !leg.settings.directmedia.evenBehindNat) return;
    leg.redirectMedia(toward.session.directTarget);
  }

  #bringBack(leg: SipChannel): void {
    if (leg.isHungUp) return;
    leg.redirectMedia(undefined);
  }

  async #remoteAllowed(): Promise<boolean> {
    if (this.#stopped) return false;
    const [a, b] = this.#legs;
    return directMediaAllowed(a, b, this.#needsMedia);
  }
}

/**
 * The RTP glue result of two SIP legs (ast_rtp_instance get_rtp_peer()/allow_rtp_remote() and
 * native_rtp_bridge_compatible()): both allow directmedia, neither is in T.38, nothing needs
 * the audio (DTMF features), they share a codec, and each side's directmediapermit/deny
 * accepts the address it would be sent to.
 */
export async function directMediaAllowed(a: SipChannel, b: SipChannel, needsMedia: boolean): Promise<boolean> {
  if (needsMedia) return false;
  for (const leg of [a, b]) {
    if (leg.isHungUp || !leg.settings.directmedia.enabled || leg.t38Active) return false;
  }
  const theirs = codecNames(b);
  const shared = codecNames(a).some((name) => theirs.includes(name));
  if (!shared) return false;
  return (await a.allowsDirectMediaTo(b.session.remote)) && (await b.allowsDirectMediaTo(a.session.remote));
}

/**
 * directrtpsetup=yes (ast_rtp_instance_early_bridge_make_compatible() before the call, then
 * early_bridge()): the outbound leg's INVITE already offers the caller's media address, and
 * once the callee answers the caller's answer carries the callee's, so the bridge finds the
 * media direct and re-INVITEs nobody.
 */
export async function earlyDirectMedia(outbound: SipChannel, caller: SipChannel): Promise<boolean> {
  if (!(await directMediaAllowed(outbound, caller, false))) return false;
  outbound.redirectMedia(caller.session.directTarget);
  return true;
}

/** The leg's negotiated codecs, or before any SDP (an INVITE not sent yet) the ones it may offer. */
function codecNames(leg: SipChannel): string[] {
  if (leg.session.codecs.length > 0) return leg.session.codecs.map((entry) => entry.codec.name);
  return leg.session.allow.map((entry) => entry.split(':')[0] ?? entry);
}
