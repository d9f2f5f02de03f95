import { lookup, Resolver } from 'node:dns/promises';
import { SipError } from '../sip-error.js';
import { getParam } from '../message/generic-param.js';
import { uriHostAddress, type SipUri } from '../message/sip-uri.js';
import { ipFamily } from '../transport/address-family.js';
import { defaultPort, type TransportProtocol } from '../transport/transport-types.js';
import { sortNaptr, type NaptrRecord } from './naptr.js';
import { orderSrvChanSip, orderSrvRfc2782, type RandomSource, type SrvRecord } from './srv-order.js';

/** One place to send to, in try order. */
export interface ResolvedTarget {
  readonly transport: TransportProtocol;
  /** IP address (no brackets). */
  readonly address: string;
  readonly port: number;
  /** The name the address was found for (the SRV target, or the host itself). */
  readonly host: string;
}

/** Options of {@link SipResolver}. */
export interface SipResolverOptions {
  /**
   * DNS servers (`127.0.0.1:5353`, `[::1]:53`); Tandem's own config points resolution here. Without
   * servers, SRV/NAPTR use the system resolver and A/AAAA use getaddrinfo (so /etc/hosts works,
   * as for chan_sip).
   */
  readonly servers?: readonly string[];
  /** Per-query timeout in ms (default 2000) and attempts (default 2). */
  readonly timeoutMs?: number;
  readonly tries?: number;
  /** Random source for SRV weights (tests inject one). */
  readonly random?: RandomSource;
}

/** Which addresses to return: chan_sip follows the family of the bound socket. */
export type AddressFamilyPreference = 4 | 6 | 'any';

const srvPrefix: Record<TransportProtocol, string> = {
  udp: '_sip._udp',
  tcp: '_sip._tcp',
  tls: '_sips._tcp',
  ws: '_sip._ws',
  wss: '_sips._wss',
};

/** RFC 3263 §4.1 / RFC 7118 §6 NAPTR services. */
const naptrServices: Record<string, TransportProtocol> = {
  'sip+d2u': 'udp',
  'sip+d2t': 'tcp',
  'sips+d2t': 'tls',
  'sip+d2w': 'ws',
  'sips+d2w': 'wss',
};

/**
 * Resolves SIP targets: chan_sip's rule (`srvlookup`: one SRV target, A/AAAA fallback, no NAPTR)
 * and RFC 3263 (NAPTR, SRV ordering, A/AAAA, an ordered list for fail-over); NAPTR for ENUM.
 * Failures reject with {@link SipError} `dns-failed`.
 */
export class SipResolver {
  readonly #resolver: Resolver;
  readonly #useSystemLookup: boolean;
  readonly #random: RandomSource;

  constructor(options: SipResolverOptions = {}) {
    this.#resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
    this.#useSystemLookup = options.servers === undefined;
    if (options.servers !== undefined) this.#resolver.setServers([...options.servers]);
    this.#random = options.random ?? Math.random;
  }

  /**
   * chan_sip's `create_addr()`: an IP literal as is; with `srvLookup` and no port, the first SRV
   * record of `_sip._udp`/`_sip._tcp`/`_sips._tcp` in chan_sip's order (its port, target `.`
   * ignored), no fail-over; otherwise (or without SRV) the first A/AAAA address of the wanted
   * family with the given port or 5060/5061.
   * @throws {@link SipError} `dns-failed` ("No such host").
   */
  async resolveChanSip(
    target: { readonly host: string; readonly port?: number; readonly transport: TransportProtocol },
    options: { readonly srvLookup: boolean; readonly family?: AddressFamilyPreference },
  ): Promise<ResolvedTarget> {
    const host = uriHostAddress(target);
    if (ipFamily(host) !== 0) return { transport: target.transport, address: host, port: target.port ?? defaultPort(target.transport), host };
    let name = host;
    let port = target.port;
    if (target.port === undefined && options.srvLookup) {
      const records = orderSrvChanSip(await this.#srv(`${srvPrefix[target.transport]}.${host}`), this.#random);
      const first = records.find((record) => record.name !== '.' && record.name !== '');
      if (first !== undefined) {
        name = first.name;
        port = first.port;
      }
    }
    const addresses = await this.addresses(name, options.family ?? 'any');
    const address = addresses[0];
    if (address === undefined) throw new SipError('dns-failed', `No such host: ${host}`, { status: 503 });
    return { transport: target.transport, address, port: port ?? defaultPort(target.transport), host: name };
  }

  /**
   * RFC 3263 §4: the ordered targets for a URI. Transport: the `transport` parameter, else NAPTR
   * (services this side supports, by order and preference), else SRV for each supported
   * transport, else UDP (TLS for sips:). Port: explicit, else SRV, else the default. Every address
   * of every SRV target is listed, so the caller can fail over on timeout or 503 (§4.3).
   * @throws {@link SipError} `dns-failed` when nothing resolves.
   */
  async resolveRfc3263(
    uri: Pick<SipUri, 'scheme' | 'host' | 'port' | 'params'>,
    options: { readonly transports?: readonly TransportProtocol[]; readonly family?: AddressFamilyPreference } = {},
  ): Promise<ResolvedTarget[]> {
    const secure = uri.scheme === 'sips';
    const supported = (options.transports ?? ['udp', 'tcp', 'tls']).filter((transport) => !secure || transport === 'tls' || transport === 'wss');
    const family = options.family ?? 'any';
    const host = uriHostAddress(uri);
    const param = getParam(uri.params, 'transport')?.toLowerCase() as TransportProtocol | undefined;
    const explicit = param === 'tcp' && secure ? 'tls' : param;
    const fallbackTransport: TransportProtocol = explicit ?? (secure ? 'tls' : 'udp');
    if (ipFamily(host) !== 0) {
      return [{ transport: fallbackTransport, address: host, port: uri.port ?? defaultPort(fallbackTransport), host }];
    }
    if (uri.port !== undefined) return this.#hostTargets(host, uri.port, fallbackTransport, family);

    let plan: { transport: TransportProtocol; srvName: string }[] = [];
    if (explicit !== undefined) {
      plan = [{ transport: explicit, srvName: `${srvPrefix[explicit]}.${host}` }];
    } else {
      const naptr = sortNaptr(await this.naptr(host)).flatMap((record) => {
        const transport = naptrServices[record.service.toLowerCase()];
        return transport !== undefined && supported.includes(transport) && record.flags.toLowerCase() === 's'
          ? [{ transport, srvName: record.replacement }]
          : [];
      });
      plan = naptr.length > 0 ? naptr : supported.map((transport) => ({ transport, srvName: `${srvPrefix[transport]}.${host}` }));
    }
    const targets: ResolvedTarget[] = [];
    for (const step of plan) {
      for (const record of orderSrvRfc2782(await this.#srv(step.srvName), this.#random)) {
        if (record.name === '.' || record.name === '') continue;
        targets.push(...(await this.#hostTargets(record.name, record.port, step.transport, family).catch(() => [])));
      }
    }
    if (targets.length > 0) return targets;
    return this.#hostTargets(host, defaultPort(fallbackTransport), fallbackTransport, family);
  }

  /** NAPTR records of `name` by order and preference (ENUM, RFC 3263); empty when there are none. */
  async naptr(name: string): Promise<NaptrRecord[]> {
    try {
      return sortNaptr(await this.#resolver.resolveNaptr(name));
    } catch (error) {
      return emptyOnMissing(error, name, 'NAPTR');
    }
  }

  /** A/AAAA addresses of `name` (IPv4 first for `any`); empty when there are none. */
  async addresses(name: string, family: AddressFamilyPreference = 'any'): Promise<string[]> {
    if (this.#useSystemLookup) {
      try {
        const found = await lookup(name, { all: true, family: family === 'any' ? 0 : family });
        return found.sort((a, b) => a.family - b.family).map((entry) => entry.address);
      } catch (error) {
        return emptyOnMissing(error, name, 'A/AAAA');
      }
    }
    const v4 = family === 6 ? [] : await this.#resolver.resolve4(name).catch((error: unknown) => emptyOnMissing(error, name, 'A'));
    const v6 = family === 4 ? [] : await this.#resolver.resolve6(name).catch((error: unknown) => emptyOnMissing(error, name, 'AAAA'));
    return [...v4, ...v6];
  }

  async #srv(name: string): Promise<SrvRecord[]> {
    try {
      return await this.#resolver.resolveSrv(name);
    } catch (error) {
      return emptyOnMissing(error, name, 'SRV');
    }
  }

  async #hostTargets(host: string, port: number, transport: TransportProtocol, family: AddressFamilyPreference): Promise<ResolvedTarget[]> {
    const addresses = ipFamily(host) !== 0 ? [host] : await this.addresses(host, family);
    if (addresses.length === 0) throw new SipError('dns-failed', `No such host: ${host}`, { status: 503 });
    return addresses.map((address) => ({ transport, address, port, host }));
  }
}

/** "No such name / no data" is an empty answer; timeouts and refusals are failures. */
function emptyOnMissing(error: unknown, name: string, type: string): never[] {
  const code = (error as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NXDOMAIN' || code === 'EAI_NONAME' || code === 'EAI_NODATA') return [];
  throw new SipError('dns-failed', `${type} lookup of ${name} failed: ${code ?? (error as Error).message}`, { cause: error, status: 503 });
}
