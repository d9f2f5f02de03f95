import type { Logger, PeerDirectory } from '@tandem/registrar';
import type { SipEndpoint } from '@tandem/sip';

/** chan_sip's keepalive packet: one CRLF (RFC 5626 §4.4.1 allows it on every transport). */
const KEEPALIVE = Buffer.from('\r\n');

/**
 * `keepalive=N` (chan_sip (Asterisk 20) sip_send_keepalive()): every N seconds a bare CRLF to
 * each peer that has an address, over UDP or the peer's TCP/TLS connection, which keeps NAT
 * bindings open. Unlike chan_sip, a peer that registers after start-up is kept alive too
 * (chan_sip stops a peer's keepalives while it has no address, until the next reload).
 */
export class PeerKeepalives {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly directory: PeerDirectory,
    private readonly endpoint: Pick<SipEndpoint, 'transport'>,
    private readonly logger: Logger,
  ) {}

  /** Starts (or, after a reload, restarts) the keepalives of every peer with `keepalive` set. */
  start(): void {
    this.stop();
    for (const peer of this.directory.sorted()) {
      const seconds = peer.settings.keepalive;
      if (seconds <= 0) continue;
      const name = peer.name;
      const send = (): void => {
        const target = this.directory.get(name)?.target();
        if (target === undefined) return;
        this.endpoint.transport.send(KEEPALIVE, target).catch((error: unknown) => {
          this.logger.warn({ asteriskLevel: 'WARNING' }, `sip_send_keepalive to ${target.address}:${target.port} returned -1: ${error instanceof Error ? error.message : String(error)}`);
        });
      };
      send();
      const timer = setInterval(send, seconds * 1000);
      timer.unref();
      this.#timers.set(name, timer);
    }
  }

  /** Stops every keepalive. */
  stop(): void {
    for (const timer of this.#timers.values()) clearInterval(timer);
    this.#timers.clear();
  }
}
