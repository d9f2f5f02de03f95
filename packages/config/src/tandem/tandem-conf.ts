import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { ConfDocument, Diagnostic } from '../conf-types.js';
import { firstCategory, sameName } from '../document/category-lookup.js';
import type { FieldReader } from '../document/section-reader.js';
import { readSection } from '../document/section-reader.js';
import { warningAt } from '../diagnostics/diagnostic.js';
import { ParsedOnlyOptions } from '../diagnostics/parsed-only-options.js';
import type { SocketAddress } from '../values/ip-address.js';
import { parseSocketAddress } from '../values/ip-address.js';
import { invalid, readBool, readInteger } from '../values/value-readers.js';

/** A DNS server Tandem queries (port 53 unless given). */
export interface DnsServer {
  readonly host: string;
  readonly port: number;
}

/**
 * tandem.conf: settings Asterisk has no place for.
 *
 * ```
 * [general]
 * dnsservers = 192.0.2.53, [2001:db8::53]:5353  ; DNS for SIP and ENUM (default: the system's)
 * soundsdir = sounds                             ; prompts, relative to the config dir (default: bundled)
 * [media]
 * threads = 2                                    ; RTP relay I/O threads (default: CPU cores)
 * [http]
 * enabled = yes                                  ; /metrics and the live view (default: no)
 * bindaddr = 127.0.0.1                           ; default 127.0.0.1
 * port = 8088                                    ; default 8088
 * [security]
 * authfailurelimit = 20                          ; failed authentications per source address
 *                                                ; before it is blocked (default 0 = never block)
 * authfailurewindow = 60                         ; seconds the failures are counted over
 * blockseconds = 600                             ; how long the address stays blocked
 * ```
 */
export interface TandemConf {
  /** Empty: use the system's resolvers. */
  readonly dnsServers: readonly DnsServer[];
  /** Absolute prompts directory; absent = the bundled prompts. */
  readonly soundsDir?: string;
  readonly media: { readonly threads: number };
  readonly http: { readonly enabled: boolean; readonly bindAddress: SocketAddress & { readonly port: number } };
  readonly security: {
    /** 0 disables blocking (Asterisk never blocks). */
    readonly authFailureLimit: number;
    readonly authFailureWindowSeconds: number;
    readonly blockSeconds: number;
  };
}

/** The model of an absent tandem.conf. */
export function defaultTandemConf(): TandemConf {
  return {
    dnsServers: [],
    media: { threads: availableParallelism() },
    http: { enabled: false, bindAddress: { host: '127.0.0.1', family: 'ipv4', port: 8088 } },
    security: { authFailureLimit: 0, authFailureWindowSeconds: 60, blockSeconds: 600 },
  };
}

const KNOWN_SECTIONS = ['general', 'media', 'http', 'security'];

/** Builds the tandem.conf model; `configDir` anchors a relative `soundsdir`. */
export function buildTandemConf(doc: ConfDocument, configDir: string): { config: TandemConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const defaults = defaultTandemConf();
  let dnsServers = defaults.dnsServers;
  let soundsDir: string | undefined;
  let threads = defaults.media.threads;
  let httpEnabled = defaults.http.enabled;
  let httpAddress: SocketAddress = defaults.http.bindAddress;
  let httpPort = defaults.http.bindAddress.port;
  const security = { ...defaults.security };
  const positive = (apply: (value: number) => void, min: number): FieldReader => (value, context) => {
    const parsed = readInteger(value, context, { min });
    if (parsed !== undefined) apply(parsed);
  };
  const sections: Record<string, Record<string, FieldReader>> = {
    general: {
      dnsservers: (value, context) => {
        const servers: DnsServer[] = [];
        for (const item of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
          const address = parseSocketAddress(item);
          if (address === undefined) return invalid(context, 'a comma list of ip[:port] (IPv6 as [addr]:port)');
          servers.push({ host: address.host, port: address.port !== undefined && address.port !== 0 ? address.port : 53 });
        }
        dnsServers = servers;
      },
      soundsdir: (value) => {
        soundsDir = isAbsolute(value) ? value : resolve(configDir, value);
      },
    },
    media: { threads: positive((value) => (threads = value), 1) },
    http: {
      enabled: (value, context) => {
        httpEnabled = readBool(value, context) ?? httpEnabled;
      },
      bindaddr: (value, context) => {
        const address = parseSocketAddress(value);
        if (address === undefined) return invalid(context, 'an IP address, optionally with a port');
        httpAddress = address;
        if (address.port !== undefined && address.port !== 0) httpPort = address.port;
      },
      port: (value, context) => {
        httpPort = readInteger(value, context, { min: 1, max: 65535 }) ?? httpPort;
      },
    },
    security: {
      authfailurelimit: positive((value) => (security.authFailureLimit = value), 0),
      authfailurewindow: positive((value) => (security.authFailureWindowSeconds = value), 1),
      blockseconds: positive((value) => (security.blockSeconds = value), 1),
    },
  };
  // [http] (metrics and the live view) is read and checked, but no HTTP listener exists yet.
  const parsedOnly = new ParsedOnlyOptions();
  for (const [name, readers] of Object.entries(sections)) {
    const category = firstCategory(doc, name);
    const notActedOn = name === 'http' ? { parsedOnly: { names: Object.keys(readers), noted: parsedOnly, prefix: '[http] ' } } : {};
    if (category !== undefined) readSection(category, readers, diagnostics, { fileName: 'tandem.conf', firstWins: true, ...notActedOn });
  }
  const parsedOnlyWarning = parsedOnly.warning();
  if (parsedOnlyWarning !== undefined) diagnostics.push(parsedOnlyWarning);
  for (const category of doc.categories) {
    if (!category.isTemplate && !KNOWN_SECTIONS.some((known) => sameName(known, category.name))) {
      diagnostics.push(warningAt(category, `unknown section [${category.name}] in tandem.conf, ignored`));
    }
  }
  return {
    config: {
      dnsServers,
      ...(soundsDir === undefined ? {} : { soundsDir }),
      media: { threads },
      http: { enabled: httpEnabled, bindAddress: { host: httpAddress.host, family: httpAddress.family, port: httpPort } },
      security,
    },
    diagnostics,
  };
}
