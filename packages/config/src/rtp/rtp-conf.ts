import type { AccessControl } from '../acl/access-control.js';
import { appendAccessLine, OPEN_ACCESS } from '../acl/access-control.js';
import type { ConfDocument, Diagnostic } from '../conf-types.js';
import { firstCategory } from '../document/category-lookup.js';
import type { FieldReader } from '../document/section-reader.js';
import { readSection } from '../document/section-reader.js';
import { valueContext } from '../document/value-context.js';
import { errorAt, warningAt } from '../diagnostics/diagnostic.js';
import { ParsedOnlyOptions } from '../diagnostics/parsed-only-options.js';
import type { HostPort, SocketAddress } from '../values/ip-address.js';
import { parseHostPort, parseSocketAddress } from '../values/ip-address.js';
import { invalid, readBool, readInteger } from '../values/value-readers.js';

/** An `[ice_host_candidates]` line: `local = advertised[,include_local_address]`. */
export interface IceHostCandidate {
  readonly local: SocketAddress;
  readonly advertised: SocketAddress;
  readonly includeLocalAddress: boolean;
}

/** rtp.conf, with res_rtp_asterisk's defaults (Asterisk 20 `rtp_reload()`). */
export interface RtpConf {
  /** First RTP port (even; default 5000). */
  readonly rtpStart: number;
  /** Last RTP port (default 31000). */
  readonly rtpEnd: number;
  /** Milliseconds between RTCP reports (default 5000; 0 = off). */
  readonly rtcpInterval: number;
  /** UDP checksums on RTP sockets (default yes). */
  readonly rtpChecksums: boolean;
  /** RFC 4733 end-of-event timeout in samples (default 1200 = 150 ms at 8 kHz). */
  readonly dtmfTimeout: number;
  /** `strictrtp`: lock onto the first source after `probation` packets (default yes). */
  readonly strictRtp: 'yes' | 'no' | 'seqno';
  /** Sequential packets needed to learn a source (default 4). */
  readonly probation: number;
  readonly srtpReplayProtection: boolean;
  readonly iceSupport: boolean;
  readonly stunSoftwareAttribute: boolean;
  /** STUN server (port default 3478). */
  readonly stunAddress?: HostPort;
  readonly stunaddrReresolveTtl0: boolean;
  readonly turnAddress?: HostPort;
  readonly turnUsername?: string;
  readonly turnPassword?: string;
  readonly dtlsMtu: number;
  readonly iceHostCandidates: readonly IceHostCandidate[];
  /** `ice_permit`/`ice_deny`/`ice_acl`/`ice_blacklist`. */
  readonly iceAcl: AccessControl;
  /** `stun_permit`/`stun_deny`/`stun_acl`/`stun_blacklist`. */
  readonly stunAcl: AccessControl;
}

/**
 * The rtp.conf options Tandem acts on: the media engine's port range. The native relay has its
 * own RTCP, DTMF, strict-RTP and ICE behaviour, which these settings do not change yet.
 */
const ACTED_ON: readonly string[] = ['rtpstart', 'rtpend'];

/** res_rtp_asterisk's settings when rtp.conf is absent. */
export const DEFAULT_RTP_CONF: RtpConf = {
  rtpStart: 5000,
  rtpEnd: 31000,
  rtcpInterval: 5000,
  rtpChecksums: true,
  dtmfTimeout: 1200,
  strictRtp: 'yes',
  probation: 4,
  srtpReplayProtection: true,
  iceSupport: true,
  stunSoftwareAttribute: true,
  stunaddrReresolveTtl0: false,
  dtlsMtu: 1200,
  iceHostCandidates: [],
  iceAcl: OPEN_ACCESS,
  stunAcl: OPEN_ACCESS,
};

type Draft = { -readonly [K in keyof RtpConf]: RtpConf[K] };

function accessReader(list: 'iceAcl' | 'stunAcl', sense: 'permit' | 'deny' | 'acl', draft: Draft): FieldReader {
  return (value, context) => {
    const result = appendAccessLine(draft[list], sense, value);
    if (result.ok) draft[list] = result.control;
    else context.error(`bad ACL entry '${value}': ${result.reason}`);
  };
}

function hostPortReader(apply: (address: HostPort) => void, defaultPort: number): FieldReader {
  return (value, context) => {
    const address = parseHostPort(value);
    if (address === undefined) invalid(context, 'host[:port]');
    else apply(address.port === undefined ? { host: address.host, port: defaultPort } : address);
  };
}

/**
 * Builds the rtp.conf model like res_rtp_asterisk `rtp_reload()`: `[general]` options are
 * looked up by name (the first line counts), `[ice_host_candidates]` maps addresses.
 */
export function buildRtpConf(doc: ConfDocument): { config: RtpConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const draft: Draft = { ...DEFAULT_RTP_CONF };
  const general = firstCategory(doc, 'general');
  const integer = (key: 'rtpStart' | 'rtpEnd' | 'dtmfTimeout' | 'dtlsMtu', min: number, max?: number): FieldReader => (value, context) => {
    const parsed = readInteger(value, context, max === undefined ? { min } : { min, max });
    if (parsed !== undefined) draft[key] = parsed;
  };
  const bool = (key: 'rtpChecksums' | 'srtpReplayProtection' | 'iceSupport' | 'stunSoftwareAttribute' | 'stunaddrReresolveTtl0'): FieldReader => (value, context) => {
    const parsed = readBool(value, context);
    if (parsed !== undefined) draft[key] = parsed;
  };
  const readers: Record<string, FieldReader> = {
    rtpstart: integer('rtpStart', 1024, 65535),
    rtpend: integer('rtpEnd', 1024, 65535),
    rtcpinterval: (value, context) => {
      const parsed = readInteger(value, context, { min: 0, max: 60_000 });
      if (parsed === undefined) return;
      // rtp_reload(): 0 disables RTCP; other values below 500 ms are raised to 500.
      if (parsed !== 0 && parsed < 500) context.warning(`rtcpinterval ${parsed} is below the minimum; 500 ms is used`);
      draft.rtcpInterval = parsed !== 0 && parsed < 500 ? 500 : parsed;
    },
    rtpchecksums: bool('rtpChecksums'),
    dtmftimeout: integer('dtmfTimeout', 0),
    strictrtp: (value, context) => {
      const lower = value.toLowerCase();
      const parsed = lower === 'seqno' ? 'seqno' : readBool(value, context);
      if (parsed !== undefined) draft.strictRtp = parsed === 'seqno' ? 'seqno' : parsed ? 'yes' : 'no';
    },
    probation: (value, context) => {
      const parsed = readInteger(value, context, { min: 2 });
      if (parsed !== undefined) draft.probation = parsed;
    },
    srtpreplayprotection: bool('srtpReplayProtection'),
    icesupport: bool('iceSupport'),
    stun_software_attribute: bool('stunSoftwareAttribute'),
    stunaddr_reresolve_ttl_0: bool('stunaddrReresolveTtl0'),
    stunaddr: hostPortReader((address) => {
      draft.stunAddress = address;
    }, 3478),
    turnaddr: hostPortReader((address) => {
      draft.turnAddress = address;
    }, 3478),
    turnusername: (value) => {
      draft.turnUsername = value;
    },
    turnpassword: (value) => {
      draft.turnPassword = value;
    },
    dtls_mtu: integer('dtlsMtu', 256),
  };
  for (const prefix of ['ice', 'stun'] as const) {
    const list = prefix === 'ice' ? 'iceAcl' : 'stunAcl';
    readers[`${prefix}_permit`] = accessReader(list, 'permit', draft);
    readers[`${prefix}_deny`] = accessReader(list, 'deny', draft);
    readers[`${prefix}_blacklist`] = accessReader(list, 'deny', draft);
    readers[`${prefix}_acl`] = accessReader(list, 'acl', draft);
  }
  const parsedOnly = new ParsedOnlyOptions();
  if (general !== undefined) {
    // The ACL lines are read one by one (every line counts); the rest by first match.
    const repeatable = Object.keys(readers).filter((name) => /^(ice|stun)_(permit|deny|blacklist|acl)$/.test(name));
    const names = Object.keys(readers).filter((name) => !ACTED_ON.includes(name));
    readSection(general, readers, diagnostics, { fileName: 'rtp.conf', firstWins: true, repeatable, parsedOnly: { names, noted: parsedOnly } });
  }
  const candidates = firstCategory(doc, 'ice_host_candidates');
  for (const variable of candidates?.variables ?? []) {
    parsedOnly.note('[ice_host_candidates]', variable);
    const context = valueContext(variable, diagnostics);
    const local = parseSocketAddress(variable.name);
    const comma = variable.value.indexOf(',');
    const advertised = parseSocketAddress(comma < 0 ? variable.value : variable.value.slice(0, comma));
    if (local === undefined) context.error(`invalid local ICE host address: ${variable.name}`);
    else if (advertised === undefined) context.error(`invalid advertised ICE host address: ${variable.value}`);
    else {
      const includeLocalAddress = comma >= 0 && variable.value.slice(comma + 1).trim() === 'include_local_address';
      draft.iceHostCandidates = [...draft.iceHostCandidates, { local, advertised, includeLocalAddress }];
    }
  }
  // rtp_reload(): an odd start is rounded up; a start at or after the end is rejected.
  if (draft.rtpStart % 2 === 1) {
    draft.rtpStart++;
    diagnostics.push(warningAt(general ?? { file: doc.file, line: 0 }, `odd start value for RTP port in rtp.conf, rounding up to ${draft.rtpStart}`));
  }
  const parsedOnlyWarning = parsedOnly.warning();
  if (parsedOnlyWarning !== undefined) diagnostics.push(parsedOnlyWarning);
  if (draft.rtpStart >= draft.rtpEnd) {
    diagnostics.push(errorAt(general ?? { file: doc.file, line: 0 }, `rtpstart (${draft.rtpStart}) must be below rtpend (${draft.rtpEnd})`));
  }
  return { config: draft, diagnostics };
}
