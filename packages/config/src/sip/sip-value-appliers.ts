import { appendAccessLine } from '../acl/access-control.js';
import type { AccessControl } from '../acl/access-control.js';
import { isAstFalse, isAstTrue, parseAstBool } from '../values/ast-bool.js';
import { parseInteger, parsePort } from '../values/integers.js';
import { parseSocketAddress, splitHostPort } from '../values/ip-address.js';
import type { HostPort, SocketAddress } from '../values/ip-address.js';
import { applyAllowDisallow } from './codec-preferences.js';
import type { Applier, OptionContext } from './option-appliers.js';
import { commaItems } from './option-appliers.js';
import { invalid, readInteger } from '../values/value-readers.js';
import type { OutboundProxy, SipRealmAuth, SipTransport } from './sip-conf-types.js';
import type { GeneralDraft, PeerDraft } from './sip-drafts.js';

/**
 * chan_sip (Asterisk 20): sip/config_parser.c sip_parse_nat_option(). A section's nat lines
 * start from no flags (the device value replaces the general one) and add up.
 */
export const applyNat: Applier<PeerDraft> = (target, value, context) => {
  let nat = context.pass.natSeen ? { ...target.nat } : { forceRport: false, comedia: false, autoForceRport: false, autoComedia: false };
  context.pass.natSeen = true;
  for (const word of value.split(',')) {
    const lower = word.trim().toLowerCase();
    if (isAstFalse(lower)) {
      nat = { forceRport: false, comedia: false, autoForceRport: false, autoComedia: false };
      break;
    } else if (lower === 'yes') {
      context.warning('nat=yes is deprecated, use nat=force_rport,comedia instead');
      nat = { forceRport: true, comedia: true, autoForceRport: false, autoComedia: false };
      break;
    } else if (lower === 'force_rport') {
      if (!nat.autoForceRport) nat.forceRport = true;
    } else if (lower === 'comedia') {
      if (!nat.autoComedia) nat.comedia = true;
    } else if (lower === 'auto_force_rport') {
      nat = { ...nat, autoForceRport: true, forceRport: false };
    } else if (lower === 'auto_comedia') {
      nat = { ...nat, autoComedia: true, comedia: false };
    } else {
      invalid(context, 'a comma list of no, force_rport, comedia, auto_force_rport, auto_comedia (or yes)');
      return;
    }
  }
  target.nat = nat;
};

/** chan_sip: handle_common_options() "directmedia" / "canreinvite". */
export const applyDirectMedia: Applier<PeerDraft> = (target, value, context) => {
  const outgoing = target.directmedia.outgoing;
  if (isAstTrue(value)) {
    target.directmedia = { enabled: true, evenBehindNat: true, method: 'invite', outgoing };
    return;
  }
  const next = { enabled: false, evenBehindNat: false, method: 'invite' as 'invite' | 'update', outgoing };
  if (!isAstFalse(value)) {
    for (const word of commaItems(value)) {
      const lower = word.toLowerCase();
      if (lower === 'update') {
        next.enabled = true;
        next.method = 'update';
      } else if (lower === 'nonat') {
        next.enabled = true;
        next.evenBehindNat = false;
      } else if (lower === 'outgoing') {
        next.enabled = true;
        next.outgoing = true;
      } else {
        invalid(context, 'yes, no, nonat, update, outgoing (or a comma list of the last three)');
        return;
      }
    }
  }
  target.directmedia = next;
};

/** chan_sip: set_insecure_flags(). */
export const applyInsecure: Applier<PeerDraft> = (target, value, context) => {
  const insecure = { port: false, invite: false };
  if (value !== '' && !isAstFalse(value)) {
    for (const word of commaItems(value)) {
      const lower = word.toLowerCase();
      if (lower === 'port') insecure.port = true;
      else if (lower === 'invite') insecure.invite = true;
      else return invalid(context, 'port, invite, port,invite or no');
    }
  }
  target.insecure = insecure;
};

/** chan_sip: handle_common_options() "sendrpid". */
export const applySendRpid: Applier<PeerDraft> = (target, value, context) => {
  const lower = value.toLowerCase();
  if (lower === 'pai') target.sendrpid = 'pai';
  else if (lower === 'rpid' || isAstTrue(value)) target.sendrpid = 'rpid';
  else if (isAstFalse(value)) target.sendrpid = 'no';
  else invalid(context, 'yes, rpid, pai or no');
};

/** chan_sip: handle_common_options() "faxdetect": cng/t38 words add up within a section. */
export const applyFaxDetect: Applier<PeerDraft> = (target, value, context) => {
  const bool = parseAstBool(value);
  if (bool !== undefined) {
    target.faxdetect = { cng: bool, t38: bool };
  } else {
    const detect = context.pass.faxdetectSeen ? { ...target.faxdetect } : { cng: false, t38: false };
    for (const word of commaItems(value)) {
      const lower = word.toLowerCase();
      if (lower === 'cng') detect.cng = true;
      else if (lower === 't38') detect.t38 = true;
      else return invalid(context, 'yes, no, cng, t38 or cng,t38');
    }
    target.faxdetect = detect;
  }
  context.pass.faxdetectSeen = true;
};

/** chan_sip: handle_t38_options() "t38pt_udptl". */
export const applyT38Udptl: Applier<PeerDraft> = (target, value, context) => {
  let support = target.t38.support;
  let maxDatagram = target.t38.maxDatagram;
  for (const word of commaItems(value)) {
    const lower = word.toLowerCase();
    if (isAstTrue(word) || lower === 'fec') support = 'fec';
    else if (lower === 'redundancy') support = 'redundancy';
    else if (lower === 'none') support = 'none';
    else if (isAstFalse(word)) support = 'no';
    else if (lower.startsWith('maxdatagram=')) {
      const parsed = parseInteger(word.slice('maxdatagram='.length));
      if (parsed === undefined || parsed < 0) return invalid(context, 'maxdatagram=<bytes>');
      maxDatagram = parsed;
    } else return invalid(context, 'yes, no, fec, redundancy or none, optionally with maxdatagram=N');
  }
  target.t38 = { support, useRtpSource: target.t38.useRtpSource, ...(maxDatagram === undefined ? {} : { maxDatagram }) };
};

/** chan_sip: build_peer()/reload_config() "allow" and "disallow". */
export function codecListApplier(allowing: boolean): Applier<PeerDraft> {
  return (target, value, context) => {
    const { codecs, problems } = applyAllowDisallow(target.codecs, value, allowing);
    for (const problem of problems) context.error(`${problem} (${context.variable.name} = ${value})`);
    target.codecs = codecs;
  };
}

const TRANSPORT_PREFIXES: readonly [string, SipTransport][] = [
  ['udp', 'udp'],
  ['wss', 'wss'],
  ['ws', 'ws'],
  ['tcp', 'tcp'],
  ['tls', 'tls'],
];

/**
 * `transport=` (chan_sip: prefix match of each item, first item = default outbound);
 * tcp/tls are dropped with a warning while not enabled in `[general]`.
 */
export const applyTransports: Applier<PeerDraft> = (target, value, context) => {
  const transports: SipTransport[] = [];
  const inGeneral = context.section === 'general';
  for (const item of commaItems(value)) {
    const lower = item.toLowerCase();
    const match = TRANSPORT_PREFIXES.find(([prefix]) => lower.startsWith(prefix));
    if (match === undefined) return invalid(context, 'a comma list of udp, tcp, tls, ws, wss');
    const transport = match[1];
    const enabled = transport === 'tcp' ? context.general.tcpEnabled : transport === 'tls' ? context.general.tls.enabled : true;
    if (!inGeneral && !enabled) {
      context.warning(`'${transport}' is not a valid transport type when ${transport}enable=no; it is left out`);
      continue;
    }
    if (!transports.includes(transport)) transports.push(transport);
  }
  if (transports.length > 0) target.transports = transports;
  else if (!inGeneral) context.warning('no usable transport listed; the [general] transports apply');
};

/** chan_sip: "qualify" (device: yes = the general qualify time, else 2000 ms). */
export const applyQualify: Applier<PeerDraft> = (target, value, context) => {
  const lower = value.toLowerCase();
  if (lower === 'no') target.qualify = 0;
  else if (lower === 'yes') {
    const generalQualify = context.general.deviceDefaults.qualify;
    target.qualify = context.section !== 'general' && generalQualify > 0 ? generalQualify : 2000;
  } else if (/^\d+$/.test(value)) {
    target.qualify = Number(value);
  } else {
    invalid(context, "'yes', 'no', or a number of milliseconds");
  }
};

/** chan_sip: "keepalive" (yes = 60 s). */
export const applyKeepalive: Applier<PeerDraft> = (target, value, context) => {
  const lower = value.toLowerCase();
  if (lower === 'no') target.keepalive = 0;
  else if (lower === 'yes') target.keepalive = 60;
  else if (/^\d+$/.test(value)) target.keepalive = Number(value);
  else invalid(context, "'yes', 'no', or a number of seconds");
};

/** `session-timers` mode. */
export const applySessionTimerMode: Applier<PeerDraft> = (target, value, context) => {
  const mode = value.toLowerCase();
  if (mode === 'accept' || mode === 'originate' || mode === 'refuse') target.sessionTimers = { ...target.sessionTimers, mode };
  else invalid(context, 'originate, accept or refuse');
};

/** `session-expires` seconds. */
export const applySessionExpires: Applier<PeerDraft> = (target, value, context) => {
  const expires = readInteger(value, context, { min: 1 });
  if (expires !== undefined) target.sessionTimers = { ...target.sessionTimers, expires };
};

/** `session-minse` seconds, not below 90 (RFC 4028 §4). */
export const applySessionMinSe: Applier<PeerDraft> = (target, value, context) => {
  const minSe = readInteger(value, context, { min: 90 });
  if (minSe !== undefined) target.sessionTimers = { ...target.sessionTimers, minSe };
};

/** `session-refresher`. */
export const applySessionRefresher: Applier<PeerDraft> = (target, value, context) => {
  const refresher = value.toLowerCase();
  if (refresher === 'uac' || refresher === 'uas') target.sessionTimers = { ...target.sessionTimers, refresher };
  else invalid(context, 'uac or uas');
};

/** chan_sip: build_peer() "timert1": at least 200 ms and at least t1min. */
export const applyDeviceTimerT1: Applier<PeerDraft> = (target, value, context) => {
  context.pass.timert1Set = true;
  const t1 = readInteger(value, context, { min: Math.max(200, context.general.t1min) });
  target.timerT1 = t1 ?? context.general.t1min;
};

/** chan_sip: build_peer() "timerb": at least 200 ms. */
export const applyDeviceTimerB: Applier<PeerDraft> = (target, value, context) => {
  context.pass.timerbSet = true;
  const timerB = readInteger(value, context, { min: 200 });
  if (timerB !== undefined) target.timerB = timerB;
};

/** chan_sip: reload_config() "timert1" (atoi, checked against t1min after the loop). */
export const applyGeneralTimerT1: Applier<GeneralDraft> = (target, value, context) => {
  const t1 = readInteger(value, context, { min: 1 });
  if (t1 !== undefined) target.deviceDefaults.timerT1 = t1;
};

/** chan_sip: reload_config() "timerb": parsed, but in Asterisk 20 never stored (quirk kept). */
export const applyGeneralTimerB: Applier<GeneralDraft> = (target, value, context) => {
  const timerB = readInteger(value, context, { min: 1 });
  context.pass.timerbSet = true;
  if (timerB !== undefined && timerB < 500) {
    target.deviceDefaults.timerB = target.deviceDefaults.timerT1 * 64;
    context.warning(`timerb ${timerB} is below 500 ms: Timer B set to 64 x T1 = ${target.deviceDefaults.timerB} ms`);
  } else {
    context.warning('timerb in [general] is parsed but not stored by Asterisk 20: Timer B stays 64 x T1 (set timerb per device)');
  }
};

/**
 * `[proto://]host[:port][,force]` (chan_sip `proxy_from_config()` / `sip_parse_host()`).
 * Returns `undefined` after reporting a malformed value.
 */
export function parseOutboundProxy(value: string, context: OptionContext): OutboundProxy | undefined {
  const comma = value.indexOf(',');
  const force = comma >= 0 && value.slice(comma + 1).trim().toLowerCase().startsWith('force');
  let text = (comma >= 0 ? value.slice(0, comma) : value).trim();
  let transport: OutboundProxy['transport'] = 'udp';
  const scheme = text.indexOf('://');
  if (scheme >= 0) {
    const prefix = text.slice(0, 3).toLowerCase();
    if (prefix === 'tcp' || prefix === 'tls' || prefix === 'udp') transport = prefix;
    else {
      invalid(context, '[udp|tcp|tls://]host[:port][,force]');
      return undefined;
    }
    text = text.slice(scheme + 3);
  }
  const at = text.lastIndexOf('@');
  const split = splitHostPort(at >= 0 ? text.slice(at + 1) : text);
  if (split === undefined) {
    invalid(context, '[udp|tcp|tls://]host[:port][,force]');
    return undefined;
  }
  if (split.port === undefined) return { transport, host: split.host, force };
  const port = parsePort(split.port);
  if (port === undefined) {
    invalid(context, 'a port from 1 to 65535 after the proxy host');
    return undefined;
  }
  return { transport, host: split.host, port, force };
}

/** `fromdomain = host[:port]` (the port defaults to 5060). */
export function parseFromDomain(value: string, context: OptionContext): (HostPort & { port: number }) | undefined {
  const colon = value.indexOf(':');
  if (colon < 0) return { host: value, port: 5060 };
  const port = parsePort(value.slice(colon + 1));
  if (port === undefined) {
    invalid(context, 'host[:port] with a port from 1 to 65535');
    return undefined;
  }
  return { host: value.slice(0, colon), port };
}

/** An IP literal with an optional port, for bind-style options. */
export function readSocketAddress(value: string, context: OptionContext): SocketAddress | undefined {
  const address = parseSocketAddress(value);
  if (address === undefined) invalid(context, 'an IP address with an optional port, e.g. 0.0.0.0:5060 or [::]:5062');
  return address;
}

/** Adds a `permit`/`deny`/`acl` style line to one of a draft's access lists. */
export function accessLineApplier<T>(
  get: (target: T) => AccessControl,
  set: (target: T, control: AccessControl) => void,
  sense: 'permit' | 'deny' | 'acl',
): Applier<T> {
  return (target, value, context) => {
    // chan_sip: an empty permit/deny/acl value is skipped.
    if (value === '') return;
    const result = appendAccessLine(get(target), sense, value);
    if (result.ok) set(target, result.control);
    else context.error(`bad ACL entry '${value}': ${result.reason}`);
  };
}

/**
 * `auth = user[:secret]@realm` or `user#md5secret@realm` (chan_sip
 * `add_realm_authentication()`); `undefined` after reporting a malformed value.
 */
export function parseRealmAuth(value: string, context: OptionContext): SipRealmAuth | undefined {
  if (value === '') return undefined;
  const at = value.lastIndexOf('@');
  const userPart = at >= 0 ? value.slice(0, at) : value;
  const realm = at >= 0 ? value.slice(at + 1) : '';
  if (userPart === '' || realm === '') {
    context.error(`format for authentication entry is user[:secret]@realm (got '${value}')`);
    return undefined;
  }
  const { file, line, column } = context.variable;
  const where = column === undefined ? { file, line } : { file, line, column };
  const colon = userPart.indexOf(':');
  if (colon >= 0) return { ...where, user: userPart.slice(0, colon), secret: userPart.slice(colon + 1), realm };
  const hash = userPart.indexOf('#');
  if (hash >= 0) return { ...where, user: userPart.slice(0, hash), md5secret: userPart.slice(hash + 1), realm };
  return { ...where, user: userPart, realm };
}

/** `callerid = "Name" <number>` split like main/callerid.c `ast_callerid_split()`. */
export function splitCallerId(value: string): { name: string; number: string } {
  let text = value.trim();
  let quotesStripped = false;
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    text = text.slice(1, -1);
    quotesStripped = true;
  }
  const open = text.lastIndexOf('<');
  if (open >= 0) {
    const close = text.indexOf('>', open);
    const location = text.slice(open + 1, close >= 0 ? close : undefined);
    return { name: unescapeQuoted(stripQuoted(text.slice(0, open))), number: shrinkPhoneNumber(location) };
  }
  const shrunk = shrinkPhoneNumber(text);
  if (!quotesStripped && /^[0-9*#+]+$/.test(shrunk)) return { name: '', number: shrunk };
  return { name: unescapeQuoted(stripQuoted(text)), number: '' };
}

function stripQuoted(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

function unescapeQuoted(text: string): string {
  return text.replace(/\\(.)/g, '$1').replace(/\\$/, '');
}

/** main/callerid.c `ast_shrink_phone_number()`: drops `( )`, spaces, `-` outside brackets, inner dots. */
export function shrinkPhoneNumber(number: string): string {
  let bracketed = 0;
  let result = '';
  for (let index = 0; index < number.length; index++) {
    const char = number.charAt(index);
    if (char === '[') bracketed++;
    else if (char === ']') bracketed--;
    if (char === '-' && bracketed === 0) continue;
    if (char === '.' && index < number.length - 1) continue;
    if (char === '(' || char === ')' || char === ' ') continue;
    result += char;
  }
  return result;
}

const PRESENTATIONS: Readonly<Record<string, number>> = {
  allowed_not_screened: 0x00,
  allowed_passed_screen: 0x01,
  allowed_failed_screen: 0x02,
  allowed: 0x03,
  prohib_not_screened: 0x20,
  prohib_passed_screen: 0x21,
  prohib_failed_screen: 0x22,
  prohib: 0x23,
  unavailable: 0x43,
};

/** `callingpres`: a name from main/callerid.c `pres_types[]` or a number. */
export function parseCallingPres(value: string, context: OptionContext): number | undefined {
  const named = PRESENTATIONS[value.toLowerCase()];
  if (named !== undefined) return named;
  const numeric = parseInteger(value);
  if (numeric === undefined || numeric < 0 || numeric > 255) {
    invalid(context, `${Object.keys(PRESENTATIONS).join(', ')} or a number`);
    return undefined;
  }
  return numeric;
}

/** `callgroup`/`pickupgroup`: `1,3-5` into group numbers 0–63 (main/channel.c `ast_get_group()`). */
export function parseGroups(value: string, context: OptionContext): number[] | undefined {
  const groups = new Set<number>();
  if (value === '') return [];
  for (const piece of commaItems(value)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(piece);
    if (range === null) {
      invalid(context, 'group numbers 0-63 and ranges like 1,3-5');
      return undefined;
    }
    const start = Number(range[1]);
    const finish = range[2] === undefined ? start : Number(range[2]);
    for (let group = start; group <= finish; group++) {
      if (group > 63) {
        invalid(context, 'group numbers 0-63 and ranges like 1,3-5');
        return undefined;
      }
      groups.add(group);
    }
  }
  return [...groups].sort((a, b) => a - b);
}

const DSCP_CODEPOINTS: Readonly<Record<string, number>> = {
  cs0: 0x00, cs1: 0x08, cs2: 0x10, cs3: 0x18, cs4: 0x20, cs5: 0x28, cs6: 0x30, cs7: 0x38,
  af11: 0x0a, af12: 0x0c, af13: 0x0e, af21: 0x12, af22: 0x14, af23: 0x16,
  af31: 0x1a, af32: 0x1c, af33: 0x1e, af41: 0x22, af42: 0x24, af43: 0x26, ef: 0x2e,
};

/** main/acl.c `ast_str2tos()`: a number (decimal, 0x hex or 0 octal) or a DSCP name. */
export function parseTos(value: string, context: OptionContext): number | undefined {
  const named = DSCP_CODEPOINTS[value.toLowerCase()];
  if (named !== undefined) return named << 2;
  const text = value.trim();
  const numeric = /^0x[0-9a-f]+$/i.test(text)
    ? parseInt(text, 16)
    : /^0[0-7]+$/.test(text)
      ? parseInt(text, 8)
      : parseInteger(text);
  if (numeric === undefined || Number.isNaN(numeric)) {
    invalid(context, 'a number or a DSCP name such as cs3, af41, ef');
    return undefined;
  }
  return numeric & 0xff;
}

/** main/acl.c `ast_str2cos()`: 0–7. */
export function parseCos(value: string, context: OptionContext): number | undefined {
  return readInteger(value, context, { min: 0, max: 7 });
}

/** `disallowed_methods`: known SIP methods, upper-cased (unknown ones are skipped by chan_sip). */
export function parseMethods(value: string, context: OptionContext): string[] {
  const known = ['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE', 'REFER', 'SUBSCRIBE', 'NOTIFY', 'INFO', 'PUBLISH', 'MESSAGE', 'UPDATE', 'PRACK', 'REGISTER'];
  const methods: string[] = [];
  for (const item of commaItems(value)) {
    if (item === '') continue;
    const method = item.toUpperCase();
    if (!known.includes(method)) context.warning(`unknown SIP method '${item}' in ${context.variable.name}, ignored`);
    else if (!methods.includes(method)) methods.push(method);
  }
  return methods;
}
