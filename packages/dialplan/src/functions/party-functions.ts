/**
 * CONNECTEDLINE() and REDIRECTING() (Asterisk 20, funcs/func_callerid.c): party information
 * kept per channel. The host reads it with `connectedLineOf()` / `redirectingOf()` when it
 * builds technology messages (SIP: P-Asserted-Identity updates, Diversion).
 */
import type { CallerPresentation, DialplanChannel } from '../channel.js';
import { DialplanError } from '../dialplan-error.js';
import type { DialplanFunction } from '../engine/function-registry.js';
import { splitArgs } from '../internal/split-args.js';
import { mergeCallerId, parseCallerId } from './channel-functions.js';

/** A party (name, number, presentation, tag). */
export interface PartyId {
  name: string;
  number: string;
  presentation: CallerPresentation;
  tag: string;
}

/** REDIRECTING() data. */
export interface RedirectingInfo {
  readonly from: PartyId;
  readonly to: PartyId;
  readonly original: PartyId;
  /** Q.931-style reason name (`unknown`, `cfu`, `cfb`, `cfnr`, ...). */
  reason: string;
  count: number;
}

const PRESENTATIONS: readonly CallerPresentation[] = [
  'allowed_not_screened', 'allowed_passed_screen', 'allowed_failed_screen', 'allowed',
  'prohib_not_screened', 'prohib_passed_screen', 'prohib_failed_screen', 'prohib', 'unavailable',
];

const REASONS = ['unknown', 'cfu', 'cfb', 'cfnr', 'cf_dte', 'away', 'unavailable', 'deflection', 'time_of_day', 'dnd', 'follow_me', 'out_of_order', 'send_to_vm', 'callee_directed'];

function emptyParty(): PartyId {
  return { name: '', number: '', presentation: 'allowed_not_screened', tag: '' };
}

const connected = new WeakMap<DialplanChannel, PartyId>();
const redirecting = new WeakMap<DialplanChannel, RedirectingInfo>();

/** The connected line party of a channel (created empty on first use). */
export function connectedLineOf(channel: DialplanChannel): PartyId {
  let party = connected.get(channel);
  if (!party) {
    party = emptyParty();
    connected.set(channel, party);
  }
  return party;
}

/** The redirecting information of a channel (created empty on first use). */
export function redirectingOf(channel: DialplanChannel): RedirectingInfo {
  let info = redirecting.get(channel);
  if (!info) {
    info = { from: emptyParty(), to: emptyParty(), original: emptyParty(), reason: 'unknown', count: 0 };
    redirecting.set(channel, info);
  }
  return info;
}

function usage(message: string): never {
  throw new DialplanError('invalid-argument', message);
}

function readParty(party: PartyId, item: string): string {
  switch (item) {
    case 'all':
      return mergeCallerId(party.name, party.number);
    case 'name':
      return party.name;
    case 'num':
    case 'number':
      return party.number;
    case 'pres':
    case 'name-pres':
    case 'num-pres':
      return party.presentation;
    case 'tag':
      return party.tag;
    default:
      usage(`Unknown party data type '${item}'.`);
  }
}

function writeParty(party: PartyId, item: string, value: string): void {
  switch (item) {
    case 'all':
      Object.assign(party, parseCallerId(value));
      return;
    case 'name':
      party.name = value;
      return;
    case 'num':
    case 'number':
      party.number = value;
      return;
    case 'pres':
    case 'name-pres':
    case 'num-pres': {
      const presentation = PRESENTATIONS.find((name) => name === value.trim().toLowerCase());
      if (!presentation) usage(`Unknown presentation '${value}', value unchanged`);
      party.presentation = presentation;
      return;
    }
    case 'tag':
      party.tag = value;
      return;
    default:
      usage(`Unknown party data type '${item}'.`);
  }
}

const connectedLine: DialplanFunction = {
  name: 'CONNECTEDLINE',
  synopsis: 'Gets or sets Connected Line data on the channel.',
  syntax: 'CONNECTEDLINE(datatype[,i])',
  read: (session, args) => readParty(connectedLineOf(session.channel), (splitArgs(args)[0] ?? '').trim().toLowerCase()),
  write(session, args, value) {
    writeParty(connectedLineOf(session.channel), (splitArgs(args)[0] ?? '').trim().toLowerCase(), value);
  },
};

/** `from-name` -> ['from', 'name']; `reason`, `count` stand alone. */
function splitRedirectingItem(item: string): [keyof Pick<RedirectingInfo, 'from' | 'to' | 'original'> | undefined, string] {
  const match = /^(from|to|orig)-(.+)$/.exec(item);
  if (!match) return [undefined, item];
  return [match[1] === 'orig' ? 'original' : (match[1] as 'from' | 'to'), match[2] as string];
}

const redirectingFunction: DialplanFunction = {
  name: 'REDIRECTING',
  synopsis: 'Gets or sets Redirecting data on the channel.',
  syntax: 'REDIRECTING(datatype[,i])',
  read(session, args) {
    const item = (splitArgs(args)[0] ?? '').trim().toLowerCase();
    const info = redirectingOf(session.channel);
    if (item === 'reason') return info.reason;
    if (item === 'count') return String(info.count);
    const [which, field] = splitRedirectingItem(item);
    if (!which) usage(`Unknown redirecting data type '${item}'.`);
    return readParty(info[which], field);
  },
  write(session, args, value) {
    const item = (splitArgs(args)[0] ?? '').trim().toLowerCase();
    const info = redirectingOf(session.channel);
    if (item === 'reason') {
      const reason = value.trim().toLowerCase();
      if (!REASONS.includes(reason)) usage(`Unknown redirecting reason '${value}', value unchanged`);
      info.reason = reason;
      return;
    }
    if (item === 'count') {
      info.count = Math.max(0, Number.parseInt(value, 10) || 0);
      return;
    }
    const [which, field] = splitRedirectingItem(item);
    if (!which) usage(`Unknown redirecting data type '${item}'.`);
    writeParty(info[which], field, value);
  },
};

/** CONNECTEDLINE and REDIRECTING. */
export const partyFunctions: readonly DialplanFunction[] = [connectedLine, redirectingFunction];
