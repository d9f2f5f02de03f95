import { parsePort } from '../values/integers.js';
import { separateArgs, stripQuotes } from '../values/separate-args.js';
import type { Applier, OptionContext } from './option-appliers.js';
import type { SipMwiSubscription, SipRegistration } from './sip-conf-types.js';
import type { GeneralDraft } from './sip-drafts.js';

const REGISTER_FORMAT = '[peer?][transport://]user[@domain][:secret[:authuser]]@host[:port][/extension][~expiry]';

/** A parsed `register =>` value, or why it was rejected. */
export type RegisterLineResult =
  | { readonly ok: true; readonly registration: Omit<SipRegistration, 'file' | 'line' | 'column'> }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses a `register =>` value like chan_sip (Asterisk 20) sip/config_parser.c
 * `sip_parse_register_line()`, including the 4-field `user@domain:domainport:secret:authuser`
 * form, `peer?`, `transport://`, `/extension` and `~expiry`.
 */
export function parseRegisterLine(value: string, defaultExpiry: number): RegisterLineResult {
  const lastAt = value.lastIndexOf('@');
  const userpart = lastAt >= 0 ? value.slice(0, lastAt) : '';
  const hostpart = lastAt >= 0 ? value.slice(lastAt + 1) : '';
  if (userpart === '' || hostpart === '') return { ok: false, reason: `format for registration is ${REGISTER_FORMAT}` };

  const [first = '', afterPeer] = separateArgs(userpart, '?', 2);
  const peer = afterPeer === undefined || afterPeer === '' ? undefined : first;
  const withTransport = peer === undefined ? first : afterPeer ?? '';

  const pre2 = separateArgs(withTransport, '/', 3);
  let transportText: string | undefined;
  let credentials: string;
  if (pre2[2] === undefined || pre2[2] === '') {
    credentials = pre2[0] ?? '';
  } else {
    transportText = (pre2[0] ?? '').slice(0, -1);
    credentials = pre2[2];
  }
  if (pre2[1] !== undefined && pre2[1] !== '') return { ok: false, reason: `format for registration is ${REGISTER_FORMAT}` };

  const user1 = separateArgs(credentials, ':', 3);
  const host1 = separateArgs(hostpart, '~', 2);
  const host2 = separateArgs(host1[0] ?? '', '/', 2);
  const host3 = separateArgs(host2[0] ?? '', ':', 2);
  const user2 = separateArgs(user1[0] ?? '', '@', 2);
  const user3 = user1[2] === undefined ? [] : separateArgs(user1[2], ':', 2);
  let secret = user1[1];
  let authuser = user3[0];
  let domainPortText: string | undefined;
  if (user3.length === 2) {
    // "Reordering needed due to fields being [(:secret[:username])|(:regdomainport:secret:username)]".
    domainPortText = user1[1];
    secret = user3[0];
    authuser = user3[1];
  }

  let transport: SipRegistration['transport'] = 'udp';
  if (transportText !== undefined) {
    const prefix = transportText.slice(0, 3).toLowerCase();
    if (prefix === 'tcp' || prefix === 'tls' || prefix === 'udp') transport = prefix;
    else return { ok: false, reason: `'${transportText.slice(0, 3)}' is not a valid transport type (udp, tcp or tls)` };
  }
  let port = transport === 'tls' ? 5061 : 5060;
  const portText = host3[1];
  if (portText !== undefined) {
    const parsed = parsePort(portText);
    if (parsed === undefined) return { ok: false, reason: `'${portText}' is not a valid port number` };
    port = parsed;
  }
  let domainPort: number | undefined;
  if (domainPortText !== undefined && domainPortText !== '') {
    domainPort = parsePort(domainPortText);
    if (domainPort === undefined) return { ok: false, reason: `'${domainPortText}' is not a valid domain port number` };
  }
  let expiry = defaultExpiry;
  if (host1[1] !== undefined) {
    const expiryText = stripQuotes(host1[1]);
    if (!/^\d+$/.test(expiryText)) return { ok: false, reason: `'${expiryText}' is not a valid expiry (seconds)` };
    // sip_register(): an expiry of 0 falls back to the default.
    expiry = Number(expiryText) === 0 ? defaultExpiry : Number(expiryText);
  }
  const domain = stripQuotes(user2[1] ?? '');
  const host = stripQuotes(host3[0] ?? '');
  if (host === '') return { ok: false, reason: `no registrar host: format for registration is ${REGISTER_FORMAT}` };
  const extension = stripQuotes(host2[1] ?? '');
  const peerName = peer === undefined ? '' : stripQuotes(peer);
  return {
    ok: true,
    registration: {
      configValue: value,
      ...(peerName === '' ? {} : { peer: peerName }),
      transport,
      user: stripQuotes(user2[0] ?? ''),
      ...(domain === '' ? {} : { domain }),
      ...(domainPort === undefined ? {} : { domainPort }),
      secret: stripQuotes(secret ?? ''),
      authuser: stripQuotes(authuser ?? ''),
      host,
      port,
      portGiven: portText !== undefined,
      extension: extension === '' ? 's' : extension,
      expiry,
    },
  };
}

/** Location fields of the line being read. */
function where(context: OptionContext): { file: string; line: number; column?: number } {
  const { file, line, column } = context.variable;
  return column === undefined ? { file, line } : { file, line, column };
}

/**
 * Adds a registration unless an identical line was already registered (chan_sip
 * `sip_register()` finds it by its text and keeps the first).
 */
export function addRegistration(
  registrations: SipRegistration[],
  value: string,
  defaultExpiry: number,
  context: OptionContext,
): void {
  if (registrations.some((existing) => existing.configValue === value)) return;
  const parsed = parseRegisterLine(value, defaultExpiry);
  if (!parsed.ok) context.error(`register => ${value}: ${parsed.reason}`);
  else registrations.push({ ...where(context), ...parsed.registration });
}

/** `register =>` in `[general]`, expiring by the `defaultexpiry` read so far. */
export const applyGeneralRegister: Applier<GeneralDraft> = (target, value, context) => {
  addRegistration(target.registrations, value, target.defaultexpiry, context);
};

/** Parses `mwi => user[:secret[:authuser]]@host[:port]/mailbox` (chan_sip `sip_subscribe_mwi()`). */
export function parseMwiLine(value: string): { ok: true; subscription: Omit<SipMwiSubscription, 'file' | 'line' | 'column'> } | { ok: false; reason: string } {
  const format = 'format for MWI subscription is user[:secret[:authuser]]@host[:port]/mailbox';
  const at = value.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: format };
  const userText = value.slice(0, at);
  let hostText = value.slice(at + 1);
  const [user = '', secret, authuser] = splitOnce(userText, ':', 3);
  const slash = hostText.indexOf('/');
  const mailbox = slash < 0 ? '' : hostText.slice(slash + 1);
  if (slash >= 0) hostText = hostText.slice(0, slash);
  if (user === '' || hostText === '' || mailbox === '') return { ok: false, reason: format };
  const colon = hostText.indexOf(':');
  let port: number | undefined;
  if (colon >= 0) {
    port = parsePort(hostText.slice(colon + 1));
    if (port === undefined) return { ok: false, reason: `${hostText.slice(colon + 1)} is not a valid port number` };
    hostText = hostText.slice(0, colon);
  }
  return {
    ok: true,
    subscription: {
      user,
      ...(secret === undefined ? {} : { secret }),
      ...(authuser === undefined ? {} : { authuser }),
      host: hostText,
      ...(port === undefined ? {} : { port }),
      mailbox,
    },
  };
}

/** `strchr`-style split into at most `parts` pieces. */
function splitOnce(text: string, separator: string, parts: number): string[] {
  const pieces = text.split(separator);
  return pieces.length <= parts ? pieces : [...pieces.slice(0, parts - 1), pieces.slice(parts - 1).join(separator)];
}

/** `mwi =>` in `[general]`. */
export const applyGeneralMwi: Applier<GeneralDraft> = (target, value, context) => {
  const parsed = parseMwiLine(value);
  if (!parsed.ok) context.error(`mwi => ${value}: ${parsed.reason}`);
  else target.mwiSubscriptions.push({ ...where(context), ...parsed.subscription });
};
