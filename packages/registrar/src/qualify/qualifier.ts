import { buildRequest, generateCallId, generateTag, type Destination } from '@tandem/sip';
import { formatAddressPort } from '../internal/ip-address.js';
import { Listeners } from '../internal/listeners.js';
import { hostWithPort, ourAddressFor } from '../addressing/our-address.js';
import type { RequestSender } from '../internal/request-sender.js';
import { TimerQueue, type TimerHandle } from '../internal/timer-queue.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Peer } from '../peers/peer.js';
import type { PeerDirectory } from '../peers/peer-directory.js';
import { registrationFamily } from '../realtime/registration-columns.js';
import type { Registrar } from '../registrar/registrar.js';

/** chan_sip DEFAULT_FREQ_NOTOK: how often an unreachable peer is tried again. */
const RETRY_UNREACHABLE_MS = 10_000;

/** How a `Qualifier` is built. */
export interface QualifierOptions {
  readonly directory: PeerDirectory;
  /** Sends the OPTIONS (a `SipEndpoint`). */
  readonly sender: RequestSender;
  /** When given, peers are qualified as they register and forgotten as they unregister. */
  readonly registrar?: Registrar;
  readonly logger?: Logger;
}

/** A peer's qualify status changed (chan_sip's Reachable / Lagged / UNREACHABLE transitions). */
export interface QualifyStatusEvent {
  readonly peer: Peer;
  /** `sip show peers` status before and after (`OK (12 ms)`, `LAGGED (2500 ms)`, `UNREACHABLE`, ...). */
  readonly previous: string;
  readonly status: string;
  /** chan_sip `lastms`: the RTT, or -1 when unreachable. */
  readonly lastMs: number;
}

/** Events of the qualifier. */
export interface QualifierEvents extends Record<string, unknown> {
  /** Reachability changed (the PBX updates device state and hints). */
  status: QualifyStatusEvent;
}

interface PokeState {
  timer: TimerHandle | undefined;
  /** The poke in flight: answers to older pokes are ignored (chan_sip destroys that dialog). */
  generation: number;
  inFlight: boolean;
}

/**
 * chan_sip's qualify (sip_poke_peer(), handle_response_peerpoke(), sip_poke_noanswer()):
 * an OPTIONS to each peer with `qualify=` every `qualifyfreq` while reachable and every 10 s
 * while not; no answer within 2 x maxms makes it UNREACHABLE; an answer slower than maxms
 * is LAGGED. Start-up pokes are spread `qualifypeers` at a time, `qualifygap` ms apart. The
 * measured RTT (at least t1min) becomes the peer's T1.
 */
export class Qualifier {
  readonly #directory: PeerDirectory;
  readonly #sender: RequestSender;
  readonly #logger: Logger;
  readonly #timers = new TimerQueue();
  readonly #states = new Map<Peer, PokeState>();
  readonly #events = new Listeners<QualifierEvents>();
  readonly #unsubscribe: (() => void)[] = [];
  #running = false;

  constructor(options: QualifierOptions) {
    this.#directory = options.directory;
    this.#sender = options.sender;
    this.#logger = options.logger ?? silentLogger;
    const registrar = options.registrar;
    if (registrar !== undefined) {
      this.#unsubscribe.push(
        // parse_register_contact() pokes at once; reg_source_db() within qualifyfreq.
        registrar.on('registered', ({ peer, restored }) => {
          if (!this.#running || peer.maxMs === 0) return;
          if (restored) this.#schedule(peer, Math.floor(Math.random() * this.#frequency(peer)) + 1);
          else void this.#poke(peer, false);
        }),
        registrar.on('unregistered', ({ peer }) => this.#clear(peer)),
        registrar.on('expired', ({ peer }) => this.#clear(peer)),
      );
    }
    this.#unsubscribe.push(this.#directory.on('removed', ({ peer }) => this.#forget(peer)));
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof QualifierEvents>(name: K, listener: (event: QualifierEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  /**
   * Starts qualifying every peer in memory with `qualify=` (chan_sip sip_poke_all_peers()):
   * `qualifypeers` at once, then `qualifypeers + 1` every `qualifygap` ms (chan_sip's count).
   * Also what a reload calls again.
   */
  start(): void {
    this.#running = true;
    const general = this.#directory.general;
    let delay = 0;
    let inGroup = 0;
    for (const peer of this.#directory.peers()) {
      if (peer.maxMs === 0) {
        this.#clear(peer);
        continue;
      }
      if (inGroup === general.qualifypeers) {
        delay += general.qualifygap;
        inGroup = 0;
      } else {
        inGroup++;
      }
      this.#schedule(peer, delay);
    }
  }

  /**
   * `sip qualify peer NAME`: sends an OPTIONS now, even when qualify is off, and resolves
   * with the peer's `lastms` once it answered or was declared unreachable (chan_sip
   * sip_poke_peer(peer, 1)). Resolves 0 at once when the peer has no address.
   */
  async qualifyNow(peer: Peer): Promise<number> {
    await this.#poke(peer, true);
    return peer.lastMs;
  }

  /** Pokes in flight or scheduled (for tests and `sip show sched`-like counts). */
  get scheduled(): number {
    let count = 0;
    for (const state of this.#states.values()) if (state.timer?.pending === true || state.inFlight) count++;
    return count;
  }

  /** Stops every timer and detaches from the registrar and directory. */
  stop(): void {
    this.#running = false;
    this.#timers.stop();
    this.#states.clear();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  #frequency(peer: Peer): number {
    return peer.settings.qualifyfreq > 0 ? peer.settings.qualifyfreq : 60_000;
  }

  #state(peer: Peer): PokeState {
    let state = this.#states.get(peer);
    if (state === undefined) {
      state = { timer: undefined, generation: 0, inFlight: false };
      this.#states.set(peer, state);
    }
    return state;
  }

  #schedule(peer: Peer, delayMs: number): void {
    const state = this.#state(peer);
    state.timer?.cancel();
    state.timer = this.#timers.after(delayMs, () => {
      state.timer = undefined;
      if (this.#directory.get(peer.name) === peer) void this.#poke(peer, false);
    });
  }

  // The peer has no address any more: chan_sip's next poke clears lastms and stops.
  #clear(peer: Peer): void {
    const state = this.#states.get(peer);
    state?.timer?.cancel();
    if (state !== undefined) {
      state.generation++;
      state.inFlight = false;
    }
    this.#states.delete(peer);
    if (peer.lastMs !== 0) {
      const previous = peer.status;
      peer.lastMs = 0;
      peer.t1Ms = peer.settings.timerT1;
      if (peer.maxMs > 0) this.#events.emit('status', { peer, previous, status: peer.status, lastMs: 0 });
    }
  }

  #forget(peer: Peer): void {
    this.#states.get(peer)?.timer?.cancel();
    this.#states.delete(peer);
  }

  // chan_sip sip_poke_peer().
  async #poke(peer: Peer, force: boolean): Promise<void> {
    const target = peer.target();
    if ((peer.maxMs === 0 && !force) || target === undefined) {
      this.#clear(peer);
      return;
    }
    const state = this.#state(peer);
    state.timer?.cancel();
    state.timer = undefined;
    const generation = ++state.generation;
    state.inFlight = true;
    const general = this.#directory.general;
    const destination: Destination = {
      transport: target.transport,
      address: target.address,
      port: target.port,
      ...(target.connectionId === undefined ? {} : { connectionId: target.connectionId }),
    };
    let started: number;
    let answered: Promise<'answer' | 'failure'>;
    try {
      const ours = await ourAddressFor(this.#sender, general, destination);
      const ourHost = hostWithPort(ours.address, ours.port, destination.transport);
      const fromUser = peer.settings.fromuser !== '' ? peer.settings.fromuser : general.callerid;
      const fromDomain = peer.settings.fromdomain?.host ?? general.fromdomain?.host ?? ourHost;
      const requestUri = target.contact ?? `sip:${peer.defaultUser === '' ? '' : `${peer.defaultUser}@`}${peer.settings.host?.kind === 'static' ? peer.settings.host.host : target.address}${peer.settings.port === undefined ? '' : `:${target.port}`}`;
      const transportParam = destination.transport === 'udp' ? '' : `;transport=${destination.transport}`;
      // initreqprep() + transmit_invite(SIP_OPTIONS): Date, Allow and Supported after User-Agent.
      const request = buildRequest({
        method: 'OPTIONS',
        uri: requestUri,
        maxForwards: peer.settings.maxforwards,
        from: `"${fromUser}" <sip:${fromUser}@${fromDomain}>;tag=${generateTag()}`,
        to: `<${requestUri}>`,
        contact: `<sip:${fromUser}@${formatAddressPort(ours.address, ours.port)}${transportParam}>`,
        callId: generateCallId(peer.settings.fromdomain?.host ?? general.fromdomain?.host ?? ours.address),
        cseq: 102,
        ...(general.useragent === '' ? {} : { userAgent: general.useragent }),
        headers: [
          ['Date', new Date().toUTCString()],
          ['Allow', 'INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE'],
          ['Supported', peer.settings.sessionTimers.mode === 'refuse' ? 'replaces' : 'replaces, timer'],
        ],
      });
      started = Date.now();
      const transaction = this.#sender.sendRequest(request, destination, { rport: peer.settings.nat.forceRport });
      answered = new Promise((resolve) => {
        transaction.once('response', () => resolve('answer'));
        transaction.once('failure', (failure) => resolve(failure.reason === 'transport-error' ? 'failure' : 'answer'));
      });
    } catch (error) {
      this.#logger.warn({ err: error, peer: peer.name }, `cannot qualify '${peer.name}': ${String(error)}`);
      this.#noAnswer(peer, state, generation, force);
      return;
    }
    // No answer within 2 x maxms: UNREACHABLE (a `sip qualify` of an unmonitored peer waits 2 s x 2).
    const deadlineMs = 2 * (peer.maxMs > 0 ? peer.maxMs : 2000);
    const outcome = await new Promise<'answer' | 'failure' | 'timeout'>((resolve) => {
      const timer = this.#timers.after(deadlineMs, () => resolve('timeout'));
      void answered.then((result) => {
        timer.cancel();
        resolve(result);
      });
    });
    if (state.generation !== generation) return;
    if (outcome === 'answer') {
      // handle_response_peerpoke(); the transaction's failure with a timeout cannot come first.
      this.#answer(peer, state, Math.max(Date.now() - started, 1), force);
    } else {
      this.#noAnswer(peer, state, generation, force);
    }
  }

  #answer(peer: Peer, state: PokeState, pingMs: number, force: boolean): void {
    state.inFlight = false;
    const maxMs = peer.maxMs;
    const previous = peer.status;
    if (maxMs === 0) {
      // A forced qualify of an unmonitored peer: chan_sip drops the answer.
      return;
    }
    const wasReachable = peer.lastMs > 0 && peer.lastMs <= maxMs;
    const isReachable = pingMs <= maxMs;
    const changed = peer.lastMs === 0 || wasReachable !== isReachable;
    peer.lastMs = pingMs;
    peer.t1Ms = Math.max(pingMs, this.#directory.general.t1min);
    if (changed) {
      const word = isReachable ? 'Reachable' : 'Lagged';
      this.#logger.info({ asteriskLevel: 'NOTICE', peer: peer.name }, `Peer '${peer.name}' is now ${word}. (${pingMs}ms / ${maxMs}ms)`);
      this.#writeLastMs(peer, String(pingMs));
      this.#events.emit('status', { peer, previous, status: peer.status, lastMs: pingMs });
    }
    if (!force || this.#running) this.#schedule(peer, isReachable ? this.#frequency(peer) : RETRY_UNREACHABLE_MS);
  }

  // chan_sip sip_poke_noanswer().
  #noAnswer(peer: Peer, state: PokeState, generation: number, force: boolean): void {
    if (state.generation !== generation) return;
    state.inFlight = false;
    if (peer.maxMs === 0 && force) return;
    const previous = peer.status;
    if (peer.lastMs > -1) {
      this.#logger.info({ asteriskLevel: 'NOTICE', peer: peer.name }, `Peer '${peer.name}' is now UNREACHABLE!  Last qualify: ${peer.lastMs}`);
      this.#writeLastMs(peer, '-1');
      peer.lastMs = -1;
      peer.t1Ms = this.#directory.general.t1min;
      this.#events.emit('status', { peer, previous, status: peer.status, lastMs: -1 });
    }
    this.#schedule(peer, RETRY_UNREACHABLE_MS);
  }

  // chan_sip: `lastms` goes to realtime when rtupdate is on.
  #writeLastMs(peer: Peer, lastMs: string): void {
    const realtime = this.#directory.realtime;
    if (realtime === undefined || peer.origin !== 'realtime' || !this.#directory.general.rtupdate) return;
    realtime
      .update(registrationFamily(realtime), 'name', peer.name, [{ name: 'lastms', value: lastMs }])
      .catch((error: unknown) => this.#logger.warn({ err: error, peer: peer.name }, `cannot store lastms of '${peer.name}': ${String(error)}`));
  }
}
