import type { SipGeneral } from '@tandem/config';
import { externalAddressFor, type Logger } from '@tandem/registrar';
import type { Destination, LocalEndpoint, SipEndpoint, SipResolver } from '@tandem/sip';

/** What {@link OurAddress} works from. */
export interface OurAddressOptions {
  readonly endpoint: Pick<SipEndpoint, 'transport'>;
  /** sip.conf `[general]` in force (it changes on reload). */
  readonly general: () => SipGeneral;
  readonly resolver: Pick<SipResolver, 'addresses'>;
  readonly logger: Logger;
}

/**
 * The address Tandem writes in Via, Contact, From, Call-ID and SDP toward a party (chan_sip
 * (Asterisk 20) ast_sip_ouraddrfor()): the local address the transports send from, remapped
 * to `externaddr` (or the current address of `externhost`, looked up again every
 * `externrefresh` seconds) for parties outside `localnet`.
 */
export class OurAddress {
  readonly #options: OurAddressOptions;
  #externalHost: { readonly name: string; address: string | undefined; refreshAt: number } | undefined;

  constructor(options: OurAddressOptions) {
    this.#options = options;
  }

  /** Our endpoint toward `destination`, as written in Via and Contact. */
  async toward(destination: Pick<Destination, 'transport' | 'address' | 'connectionId'>): Promise<LocalEndpoint> {
    return this.remap(destination, await this.#options.endpoint.transport.localEndpointFor(destination));
  }

  /** `local` (the endpoint the transports send from) as written toward `destination`. */
  async remap(destination: Pick<Destination, 'transport' | 'address'>, local: LocalEndpoint): Promise<LocalEndpoint> {
    const general = this.#options.general();
    const externalHost = general.externaddr === undefined && general.externhost !== undefined ? await this.#externalHostAddress(general) : undefined;
    const ours = externalAddressFor(general, destination, local, externalHost);
    return { transport: local.transport, address: ours.address, port: ours.port };
  }

  /** The address our SDP offers for media: `media_address` when set, else our SIP address. */
  mediaAddress(ours: LocalEndpoint): string {
    return this.#options.general().mediaAddress?.host ?? ours.address;
  }

  // chan_sip: externhost is resolved at load and again once externexpire has passed.
  async #externalHostAddress(general: SipGeneral): Promise<string | undefined> {
    const name = general.externhost ?? '';
    const now = Date.now();
    if (this.#externalHost?.name === name && now < this.#externalHost.refreshAt) return this.#externalHost.address;
    const previous = this.#externalHost?.name === name ? this.#externalHost.address : undefined;
    let address: string | undefined;
    try {
      address = (await this.#options.resolver.addresses(name, 4))[0];
    } catch {
      address = undefined;
    }
    if (address === undefined) {
      this.#options.logger.info({ asteriskLevel: 'NOTICE' }, `Warning: Re-lookup of '${name}' failed!`);
      address = previous;
    }
    this.#externalHost = { name, address, refreshAt: now + general.externrefresh * 1000 };
    return address;
  }
}
