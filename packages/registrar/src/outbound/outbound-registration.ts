import type { SipGeneral, SipRealmAuth, SipRegistration } from '@tandem/config';
import {
  buildRequest,
  createDigestAuthorization,
  generateCallId,
  generateTag,
  selectDigestChallenge,
  type AuthHeader,
  type Destination,
  type SipResponse,
} from '@tandem/sip';
import { formatAddressPort } from '../internal/ip-address.js';
import { ourAddressFor, type OurAddress } from '../addressing/our-address.js';
import type { RequestSender } from '../internal/request-sender.js';
import type { TimerHandle, TimerQueue } from '../internal/timer-queue.js';
import type { Logger } from '../logger.js';

/**
 * States of an outbound registration as `sip show registry` prints them (Asterisk 20
 * regstate2str(): a renewal in progress, REG_STATE_TIMEOUT, still prints `Registered`).
 */
export type RegistrationState =
  | 'Unregistered'
  | 'Request Sent'
  | 'Auth. Sent'
  | 'Registered'
  | 'Rejected'
  | 'No Authentication'
  | 'Failed';

/** What a registration needs from its owner. */
export interface RegistrationContext {
  readonly sender: RequestSender;
  readonly timers: TimerQueue;
  readonly logger: Logger;
  general(): SipGeneral;
  /** `[authentication]` entries and, for `peer?` lines, the peer's `auth=` entries (first). */
  credentialsFor(registration: SipRegistration): readonly SipRealmAuth[];
  /** The registrar address (peer host, outbound proxy, DNS); `undefined` when it cannot be found. */
  resolve(registration: SipRegistration): Promise<Destination | undefined>;
  /** `fromdomain` for this line (the peer's, else `[general]`'s). */
  fromDomain(registration: SipRegistration): { readonly host: string; readonly port: number } | undefined;
  /** Reports a state change. */
  changed(registration: OutboundRegistration, previous: RegistrationState): void;
}

/** chan_sip MAX_AUTHTRIES. */
const MAX_AUTH_TRIES = 3;

/**
 * One `register =>` line (chan_sip `struct sip_registry`): stable From tag and Call-ID for its
 * whole life, CSeq from 102, the state machine of transmit_register(),
 * handle_response_register(), sip_reg_timeout() and sip_reregister().
 */
export class OutboundRegistration {
  readonly line: SipRegistration;
  /** chan_sip shows the hidden renewing state (REG_STATE_TIMEOUT) as `Registered`. */
  #state: RegistrationState | 'Renewing' = 'Unregistered';
  readonly #context: RegistrationContext;
  #callId: string | undefined;
  readonly #tag = generateTag();
  #cseq = 101;
  #attempts = 0;
  #expiry: number;
  /** Seconds before a re-registration, as `sip show registry` shows it. */
  #refresh: number;
  #registeredAt: Date | undefined;
  #registeredUntil: number | undefined;
  #regTimeout: TimerHandle | undefined;
  #reregister: TimerHandle | undefined;
  /** The REGISTER exchange in progress; answers to older ones are ignored. */
  #generation = 0;
  #authTries = 0;
  #challenge: { challenge: AuthHeader; header: 'Authorization' | 'Proxy-Authorization'; nonceCount: number } | undefined;
  #ourContact = '';
  #requestUri = '';
  #destination: Destination | undefined;
  #stopped = false;

  constructor(line: SipRegistration, context: RegistrationContext) {
    this.line = line;
    this.#context = context;
    this.#expiry = line.expiry;
    this.#refresh = line.expiry;
  }

  /** The state as `sip show registry` prints it. */
  get state(): RegistrationState {
    return this.#state === 'Renewing' ? 'Registered' : this.#state;
  }

  /** Seconds between a 200 and the next REGISTER (the Refresh column). */
  get refresh(): number {
    return this.#refresh;
  }

  /** When the last REGISTER succeeded. */
  get registeredAt(): Date | undefined {
    return this.#registeredAt;
  }

  /** Epoch ms until which the provider holds our binding (last 200 + granted expiry). */
  get registeredUntil(): number | undefined {
    return this.#registeredUntil;
  }

  /** The Call-ID used for every REGISTER of this line. */
  get callId(): string | undefined {
    return this.#callId;
  }

  /** Where the last REGISTER went. */
  get destination(): Destination | undefined {
    return this.#destination;
  }

  /** REGISTER attempts since the last success (chan_sip `regattempts`). */
  get attempts(): number {
    return this.#attempts;
  }

  /** Registers after `delayMs` (chan_sip start_reregister_timeout()). */
  scheduleRegister(delayMs: number): void {
    this.#stopped = false;
    this.#reregister?.cancel();
    this.#reregister = this.#context.timers.after(delayMs, () => {
      this.#reregister = undefined;
      this.#reregisterNow();
    });
  }

  /** Stops every timer and ignores answers still to come (reload, shutdown). */
  stop(): void {
    this.#stopped = true;
    this.#generation++;
    this.#regTimeout?.cancel();
    this.#reregister?.cancel();
  }

  /** Starts again from `Unregistered` (a reload keeps the Call-ID, tag and CSeq). */
  restart(delayMs: number): void {
    this.stop();
    this.#setState('Unregistered');
    this.#attempts = 0;
    this.#expiry = this.line.expiry;
    this.scheduleRegister(delayMs);
  }

  // chan_sip sip_reregister().
  #reregisterNow(): void {
    this.#expiry = this.line.expiry;
    if (this.#state === 'Rejected' || this.#state === 'No Authentication' || this.#state === 'Failed') this.#setState('Unregistered');
    else if (this.#state === 'Registered' || this.#state === 'Renewing') this.#setState('Renewing');
    void this.#transmit(undefined);
  }

  // chan_sip transmit_register().
  async #transmit(auth: { header: string; value: string } | undefined): Promise<void> {
    if (this.#stopped) return;
    const line = this.line;
    if (auth === undefined && (this.#state === 'Request Sent' || this.#state === 'Auth. Sent')) {
      this.#context.logger.info({ asteriskLevel: 'NOTICE' }, `Strange, trying to register ${line.user}@${line.host} when registration already pending`);
      return;
    }
    const generation = auth === undefined ? ++this.#generation : this.#generation;
    if (auth === undefined) this.#authTries = 0;
    const general = this.#context.general();
    let destination: Destination | undefined;
    let ours: OurAddress | undefined;
    try {
      destination = await this.#context.resolve(line);
      ours = destination === undefined ? undefined : await ourAddressFor(this.#context.sender, general, destination);
    } catch {
      destination = undefined;
    }
    if (generation !== this.#generation || this.#stopped) return;
    if (destination === undefined || ours === undefined) {
      this.#context.logger.warn(
        { asteriskLevel: 'WARNING' },
        `Probably a DNS error for registration to ${line.user}@${line.host}, trying REGISTER again (after ${general.registertimeout} seconds)`,
      );
      this.#startRegisterTimeout(generation);
      this.#attempts++;
      return;
    }
    this.#destination = destination;
    const fromDomain = this.#context.fromDomain(line);
    this.#callId ??= generateCallId(fromDomain?.host ?? ours.address);
    if (auth === undefined) this.#startRegisterTimeout(generation);
    const request = this.#build(general, destination, ours, fromDomain, auth);
    this.#setState(auth === undefined ? 'Request Sent' : 'Auth. Sent');
    this.#attempts++;
    let transaction;
    try {
      transaction = this.#context.sender.sendRequest(request, destination, { rport: general.deviceDefaults.nat.forceRport });
    } catch (error) {
      this.#context.logger.warn({ err: error }, `cannot send REGISTER to ${line.host}: ${String(error)}`);
      return;
    }
    // Synthetic 408/503 (no answer, transport error) are left to registertimeout, as in chan_sip.
    transaction.on('response', (response) => {
      if (response.status >= 200 && generation === this.#generation && !this.#stopped) this.#handleResponse(response, generation);
    });
  }

  #build(
    general: SipGeneral,
    destination: Destination,
    ours: OurAddress,
    fromDomain: { readonly host: string; readonly port: number } | undefined,
    auth: { header: string; value: string } | undefined,
  ) {
    const line = this.line;
    const domain = line.domain ?? line.host;
    // R-URI: sip:<fromdomain|domain|host>[:port], the port from fromdomain, domain, or the registrar.
    const uriHost = fromDomain?.host ?? line.domain ?? line.host;
    const uriPort = fromDomain !== undefined ? fromDomain.port : line.domain !== undefined ? (line.domainPort ?? 5060) : destination.port;
    const requestUri = `sip:${uriHost}${uriPort !== 5060 ? `:${uriPort}` : ''}`;
    this.#requestUri = requestUri;
    const transportParam = line.transport === 'udp' ? '' : `;transport=${line.transport}`;
    this.#ourContact = `<sip:${line.extension}@${formatAddressPort(ours.address, ours.port)}${transportParam}>`;
    // chan_sip add_supported(): `path` when supportpath is on.
    const supported = `${general.deviceDefaults.sessionTimers.mode === 'refuse' ? 'replaces' : 'replaces, timer'}${general.deviceDefaults.supportPath ? ', path' : ''}`;
    const headers: [string, string][] = [['Supported', supported]];
    if (general.useragent !== '') headers.push(['User-Agent', general.useragent]);
    if (auth !== undefined) {
      headers.push([auth.header, auth.value]);
    } else if (this.#challenge !== undefined) {
      // chan_sip re-uses the last challenge (nonce count + 1) on a refresh.
      this.#challenge.nonceCount++;
      headers.push([this.#challenge.header, this.#authorization(requestUri, this.#challenge.challenge, this.#challenge.nonceCount)]);
    }
    headers.push(['Expires', String(this.#expiry)], ['Contact', this.#ourContact]);
    this.#cseq++;
    return buildRequest({
      method: 'REGISTER',
      uri: requestUri,
      maxForwards: general.deviceDefaults.maxforwards,
      from: `<sip:${line.user}@${domain}>;tag=${this.#tag}`,
      to: `<sip:${line.user}@${domain}>`,
      callId: this.#callId ?? '',
      cseq: this.#cseq,
      headers,
    });
  }

  // chan_sip build_reply_digest(): realm credentials of the peer, then [authentication], then the line's.
  #authorization(requestUri: string, challenge: AuthHeader, nonceCount: number): string {
    const realm = challenge.params['realm'] ?? '';
    const realmAuth = this.#context.credentialsFor(this.line).find((entry) => entry.realm === realm);
    const username = realmAuth?.user ?? (this.line.authuser !== '' ? this.line.authuser : this.line.user);
    return createDigestAuthorization({
      challenge,
      method: 'REGISTER',
      requestUri,
      secure: this.line.transport === 'tls',
      username,
      ...(realmAuth === undefined ? { secret: this.line.secret } : { ...(realmAuth.secret === undefined ? {} : { secret: realmAuth.secret }), ...(realmAuth.md5secret === undefined ? {} : { md5secret: realmAuth.md5secret }) }),
      nonceCount,
    });
  }

  // chan_sip handle_response_register().
  #handleResponse(response: SipResponse, generation: number): void {
    const line = this.line;
    const logger = this.#context.logger;
    const general = this.#context.general();
    const status = response.status;
    if (status === 401 || status === 407) {
      const selected = selectDigestChallenge(response);
      if (this.#authTries === MAX_AUTH_TRIES || selected === undefined) {
        logger.info(
          { asteriskLevel: 'NOTICE' },
          status === 401
            ? `Failed to authenticate on REGISTER to '${line.user}@${line.host}' (Tries ${this.#authTries})`
            : `Failed to authenticate on REGISTER to '<sip:${line.user}@${line.domain ?? line.host}>;tag=${this.#tag}' (tries '${this.#authTries}')`,
        );
        return;
      }
      this.#authTries++;
      this.#challenge = { challenge: selected.challenge, header: selected.authorizationHeader, nonceCount: 1 };
      void this.#transmit({ header: selected.authorizationHeader, value: this.#authorization(this.#requestUri, selected.challenge, 1) });
      return;
    }
    if (status === 403) {
      if (general.registerRetry403) {
        logger.info({ asteriskLevel: 'NOTICE' }, `Treating 403 response to REGISTER as non-fatal for ${line.user}@${line.host}`);
        this.#challenge = undefined;
        return;
      }
      logger.warn({ asteriskLevel: 'WARNING' }, `Forbidden - wrong password on authentication for REGISTER for '${line.user}' to '${line.host}'`);
      this.#end(generation, 'No Authentication');
      return;
    }
    if (status === 404) {
      logger.warn({ asteriskLevel: 'WARNING' }, `Got 404 Not found on SIP register to service ${line.user}@${line.host}, giving up`);
      this.#end(generation, 'Rejected');
      return;
    }
    if (status === 400 || status === 414 || status === 493 || status === 479) {
      logger.warn({ asteriskLevel: 'WARNING' }, `Got error ${status} on register to ${line.user}@${line.host}, giving up (check config)`);
      this.#end(generation, 'Rejected');
      return;
    }
    if (status === 408) {
      this.#attempts = 0;
      return;
    }
    if (status === 423) {
      this.#expiry = Number.parseInt(response.headers.get('Min-Expires') ?? '0', 10) || 0;
      logger.warn({ asteriskLevel: 'WARNING' }, `Got 423 Interval too brief for service ${line.user}@${line.host}, minimum is ${this.#expiry} seconds`);
      if (this.#expiry > general.maxexpiry) {
        logger.warn({ asteriskLevel: 'WARNING' }, `Required expiration time from ${line.user}@${line.host} is too high, giving up`);
        this.#expiry = line.expiry;
        this.#end(generation, 'Rejected');
      } else {
        this.#setState('Unregistered');
        void this.#transmit(undefined);
      }
      return;
    }
    if (status === 200) {
      this.#registered(response, generation);
    }
    // Other answers change nothing: registertimeout sends again.
  }

  #registered(response: SipResponse, generation: number): void {
    this.#regTimeout?.cancel();
    this.#regTimeout = undefined;
    this.#generation = generation + 1;
    this.#attempts = 0;
    this.#registeredAt = new Date();
    this.#setState('Registered');
    // RFC 3261 §10.2.4: the expires of our own Contact first, then Expires, then defaultexpiry.
    let expires = 0;
    const contacts = response.headers.getAll('Contact');
    const ours = contacts.find((contact) => contact.includes(this.#ourContact)) ?? contacts.at(-1);
    if (ours !== undefined) {
      const from = ours.includes(this.#ourContact) ? ours.slice(ours.indexOf(this.#ourContact)) : ours;
      const match = /expires=\s*(-?\d+)/i.exec(from);
      expires = match?.[1] === undefined ? 0 : Number.parseInt(match[1], 10);
    }
    if (expires === 0) expires = Number.parseInt(response.headers.get('Expires') ?? '0', 10) || 0;
    if (expires === 0) expires = this.#context.general().defaultexpiry;
    this.#registeredUntil = Date.now() + expires * 1000;
    // chan_sip EXPIRY_GUARD_*: 15 s early, or 20 % (at least 0.5 s) for 30 s and less.
    let refreshMs = expires * 1000;
    refreshMs -= expires <= 30 ? Math.max(refreshMs * 0.2, 500) : 15_000;
    this.#refresh = Math.trunc(refreshMs / 1000);
    this.scheduleRegister(refreshMs);
  }

  #end(generation: number, state: RegistrationState): void {
    this.#regTimeout?.cancel();
    this.#regTimeout = undefined;
    this.#generation = generation + 1;
    this.#setState(state);
  }

  // chan_sip start_register_timeout() / sip_reg_timeout().
  #startRegisterTimeout(generation: number): void {
    this.#regTimeout?.cancel();
    this.#regTimeout = this.#context.timers.after(this.#context.general().registertimeout * 1000, () => {
      this.#regTimeout = undefined;
      if (generation !== this.#generation || this.#stopped) return;
      const state = this.#state;
      if (state !== 'Unregistered' && state !== 'Request Sent' && state !== 'Auth. Sent' && state !== 'Renewing') return;
      const line = this.line;
      const max = this.#context.general().registerattempts;
      this.#generation++;
      if (max > 0 && this.#attempts >= max) {
        this.#context.logger.info(
          { asteriskLevel: 'NOTICE' },
          `   -- Last Registration Attempt #${this.#attempts} failed, Giving up forever trying to register '${line.user}@${line.host}'`,
        );
        this.#setState('Failed');
        return;
      }
      this.#setState('Unregistered');
      void this.#transmit(undefined).then(() => {
        this.#context.logger.info(
          { asteriskLevel: 'NOTICE' },
          `   -- Registration for '${line.user}@${line.host}' timed out, trying again (Attempt #${this.#attempts})`,
        );
      });
    });
  }

  #setState(state: RegistrationState | 'Renewing'): void {
    const previous = this.state;
    this.#state = state;
    if (previous !== this.state || state === 'Registered') this.#context.changed(this, previous);
  }
}
