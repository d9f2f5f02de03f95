import type { SipDevice } from '@tandem/config';
import type { TransportProtocol } from '@tandem/sip';
import { hasAccessRules } from './access-check.js';

/** Where a peer's definition came from. */
export type PeerOrigin = 'config' | 'realtime' | 'autocreated';

/** A registration of a peer: where requests to it go, and until when. */
export interface PeerBinding {
  /** The Contact URI as registered (chan_sip `peer->fullcontact`). */
  readonly contact: string;
  /** Where requests go: the Contact's host and port, or the packet source with NAT. */
  readonly address: string;
  readonly port: number;
  readonly transport: TransportProtocol;
  /** The connection the REGISTER came over (TCP/TLS/WS), reused to reach the peer. */
  readonly connectionId?: string;
  /** The expiry granted, in seconds. */
  readonly expirySeconds: number;
  /** Epoch ms at which the registration lapses (the binding is removed 10 s later). */
  readonly expiresAt: number;
  /** Epoch ms of the REGISTER that made (or refreshed) it. */
  readonly registeredAt: number;
  readonly userAgent: string;
  /** Path header values (RFC 3327) kept when the peer has `supportpath=yes`. */
  readonly path: readonly string[];
  /** The socket source of the REGISTER (what chan_sip logs and `sip show peer` calls Addr). */
  readonly source?: { readonly address: string; readonly port: number };
}

/** A peer's address when it is not registered: its `host=` IP/name resolved, or `defaultip`. */
export interface PeerStaticAddress {
  readonly address: string;
  readonly port: number;
}

/** Device states of DEVICE_STATE(SIP/peer) (main/devicestate.c names). */
export type PeerDeviceState = 'NOT_INUSE' | 'INUSE' | 'BUSY' | 'UNAVAILABLE' | 'RINGING' | 'RINGINUSE' | 'ONHOLD';

/** Where to send a request to a peer now. */
export interface PeerTarget {
  readonly address: string;
  readonly port: number;
  readonly transport: TransportProtocol;
  readonly connectionId?: string;
  /** The registered Contact, when the target comes from a registration. */
  readonly contact?: string;
}

/**
 * The runtime state of one sip.conf (or realtime) device: its settings, its registration,
 * its qualify result and the call counters the PBX keeps (chan_sip `struct sip_peer`).
 */
export class Peer {
  readonly name: string;
  /** The device's settings; replaced by `PeerDirectory.reload()`. */
  settings: SipDevice;
  readonly origin: PeerOrigin;
  /** The current registration, if any. */
  binding: PeerBinding | undefined;
  /**
   * The user used to reach the peer without a dialled extension (chan_sip `peer->username`):
   * `defaultuser=`, else learnt from the registered Contact's user part.
   */
  defaultUser: string;
  /** Address from `host=` (resolved) or `defaultip=`, used while not registered. */
  staticAddress: PeerStaticAddress | undefined;
  /** Last qualify round trip in ms: 0 = no result yet, -1 = unreachable (chan_sip `lastms`). */
  lastMs = 0;
  /** Timer T1 for this peer in ms (qualify RTT feeds it, never below t1min). */
  t1Ms: number;
  /** Calls in progress (chan_sip `inuse`), ringing and on hold; maintained by the PBX. */
  inUse = 0;
  ringing = 0;
  onHold = 0;
  /**
   * NAT was detected on the peer's last REGISTER (chan_sip set_peer_nat()): with
   * `nat=auto_force_rport`/`auto_comedia` this decides force_rport/comedia for the peer.
   */
  natDetected = false;
  /** Realtime peers whose address came from the row's `fullcontact` (chan_sip `rt_fromcontact`). */
  fromRealtimeContact = false;

  constructor(settings: SipDevice, origin: PeerOrigin) {
    this.name = settings.name;
    this.settings = settings;
    this.origin = origin;
    this.defaultUser = settings.defaultuser;
    this.t1Ms = settings.timerT1;
  }

  /** `host=dynamic`. */
  get isDynamic(): boolean {
    return this.settings.host?.kind === 'dynamic';
  }

  /** Qualify's limit in ms (`qualify=`); 0 when not monitored. */
  get maxMs(): number {
    return this.settings.qualify;
  }

  /** force_rport in effect: configured, or `auto_force_rport` with NAT detected. */
  get forceRport(): boolean {
    const nat = this.settings.nat;
    return nat.forceRport || (nat.autoForceRport && this.natDetected);
  }

  /** comedia (symmetric RTP) in effect: configured, or `auto_comedia` with NAT detected. */
  get comedia(): boolean {
    const nat = this.settings.nat;
    return nat.comedia || (nat.autoComedia && this.natDetected);
  }

  /** Whether `permit`/`deny`/`acl` rules exist (the `A` column of `sip show peers`). */
  get hasAcl(): boolean {
    return hasAccessRules(this.settings.acl);
  }

  /** Where requests to the peer go: the registration, else the static address. */
  target(): PeerTarget | undefined {
    const binding = this.binding;
    if (binding !== undefined) {
      return {
        address: binding.address,
        port: binding.port,
        transport: binding.transport,
        contact: binding.contact,
        ...(binding.connectionId === undefined ? {} : { connectionId: binding.connectionId }),
      };
    }
    if (this.staticAddress !== undefined) {
      return { ...this.staticAddress, transport: this.settings.transports[0] ?? 'udp' };
    }
    return undefined;
  }

  /**
   * Qualify status as `sip show peers` prints it (chan_sip peer_status()): `Unmonitored`,
   * `UNKNOWN`, `OK (N ms)`, `LAGGED (N ms)`, `UNREACHABLE`.
   */
  get status(): string {
    if (this.maxMs === 0) return 'Unmonitored';
    if (this.lastMs < 0) return 'UNREACHABLE';
    if (this.lastMs > this.maxMs) return `LAGGED (${this.lastMs} ms)`;
    if (this.lastMs > 0) return `OK (${this.lastMs} ms)`;
    return 'UNKNOWN';
  }

  /**
   * True when qualify says the peer cannot take calls (UNREACHABLE or LAGGED): chan_sip
   * refuses to dial it (cause 20, CHANUNAVAIL).
   */
  get unreachable(): boolean {
    return this.maxMs > 0 && (this.lastMs < 0 || this.lastMs > this.maxMs);
  }

  /** DEVICE_STATE(SIP/name) (chan_sip sip_devicestate()). */
  get deviceState(): PeerDeviceState {
    if (this.target() === undefined) return 'UNAVAILABLE';
    const limit = this.settings.callLimit;
    if (this.onHold > 0) return 'ONHOLD';
    if (this.ringing > 0) return this.ringing === this.inUse ? 'RINGING' : 'RINGINUSE';
    if (limit > 0 && this.inUse === limit) return 'BUSY';
    if (limit > 0 && this.settings.busylevel > 0 && this.inUse >= this.settings.busylevel) return 'BUSY';
    if (limit > 0 && this.inUse > 0) return 'INUSE';
    if (this.unreachable) return 'UNAVAILABLE';
    return 'NOT_INUSE';
  }
}
