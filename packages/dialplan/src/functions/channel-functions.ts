/**
 * Functions about the channel and its variables (Asterisk 20, funcs/func_callerid.c,
 * func_channel.c, func_logic.c, func_global.c, func_timeout.c, func_hangupcause.c,
 * apps/app_stack.c LOCAL).
 */
import type { CallerId, CallerPresentation, ChannelState, DialplanChannel } from '../channel.js';
import { DialplanError } from '../dialplan-error.js';
import type { DialplanFunction } from '../engine/function-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import { checkCondition } from '../applications/flow.js';
import { splitArgs } from '../internal/split-args.js';
import { readVariable, writeVariable, MapVariables } from '../variables/channel-variables.js';
import { hangupCauseRecords } from '../engine/hangup-cause-records.js';
import { hangupHandlers } from '../engine/hangup-handlers.js';

function usage(message: string): never {
  throw new DialplanError('invalid-argument', message);
}

const ifFunction: DialplanFunction = {
  name: 'IF',
  synopsis: 'Check for an expression.',
  syntax: 'IF(expression?[true]:[false])',
  read(_session, args) {
    const [expression = '', rest] = splitArgs(args, { delimiter: '?', max: 2 });
    const [ifTrue, ifFalse] = rest === undefined ? [] : splitArgs(rest, { delimiter: ':', max: 2 });
    if (expression.trim() === '' || (ifTrue === undefined && ifFalse === undefined)) {
      usage('Syntax IF(<expr>?[<true>][:<false>])  (expr must be non-null, and either <true> or <false> must be non-null)');
    }
    return checkCondition(expression.trim()) ? (ifTrue ?? '').trim() : (ifFalse ?? '').trim();
  },
};

const isNull: DialplanFunction = {
  name: 'ISNULL',
  synopsis: 'Check if a value is NULL.',
  syntax: 'ISNULL(data)',
  read: (_session, args) => (args === '' ? '1' : '0'),
};

const exists: DialplanFunction = {
  name: 'EXISTS',
  synopsis: 'Test the existence of a value.',
  syntax: 'EXISTS(data)',
  read: (_session, args) => (args === '' ? '0' : '1'),
};

const set: DialplanFunction = {
  name: 'SET',
  synopsis: 'SET assigns a value to a channel variable.',
  syntax: 'SET(varname=[value])',
  async read(session, args) {
    const equals = args.indexOf('=');
    if (equals < 0) usage('Syntax SET(<varname>=[<value>])');
    const name = args.slice(0, equals).trim();
    const value = args.slice(equals + 1).trim();
    await session.setVariable(name, value);
    return value;
  },
};

function findChannel(session: DialplanSession, name: string): DialplanChannel | undefined {
  if (name === session.channel.name) return session.channel;
  return session.host.findChannel?.(name);
}

const importFunction: DialplanFunction = {
  name: 'IMPORT',
  synopsis: 'Retrieve the value of a variable from another channel.',
  syntax: 'IMPORT(channel,variable)',
  read(session, args) {
    const [channelName = '', variable = ''] = splitArgs(args, { max: 2 });
    const other = findChannel(session, channelName);
    if (!other) return '';
    return readVariable(other.variables, variable) ?? '';
  },
};

const global: DialplanFunction = {
  name: 'GLOBAL',
  synopsis: 'Gets or sets the global variable specified.',
  syntax: 'GLOBAL(varname)',
  read: (session, args) => readVariable(session.engine.globals, args) ?? '',
  write(session, args, value) {
    writeVariable(session.engine.globals, args, value);
  },
};

const sharedStores = new WeakMap<DialplanChannel, MapVariables>();

function sharedStore(channel: DialplanChannel): MapVariables {
  let store = sharedStores.get(channel);
  if (!store) {
    store = new MapVariables();
    sharedStores.set(channel, store);
  }
  return store;
}

const shared: DialplanFunction = {
  name: 'SHARED',
  synopsis: 'Gets or sets the shared variable specified.',
  syntax: 'SHARED(varname[,channel])',
  read(session, args) {
    const [name = '', channelName] = splitArgs(args, { max: 2 });
    const channel = channelName ? findChannel(session, channelName) : session.channel;
    if (!channel) return '';
    return sharedStores.get(channel)?.get(name) ?? '';
  },
  write(session, args, value) {
    const [name = '', channelName] = splitArgs(args, { max: 2 });
    const channel = channelName ? findChannel(session, channelName) : session.channel;
    if (!channel) usage(`Channel '${channelName}' not found!  Variable '${name}' will be lost.`);
    sharedStore(channel).set(name, value);
  },
};

const local: DialplanFunction = {
  name: 'LOCAL',
  synopsis: 'Manage variables local to the gosub stack frame.',
  syntax: 'LOCAL(varname)',
  read: (session, args) => session.getVariable(args) ?? '',
  write(session, args, value) {
    const frame = session.stack.at(-1);
    if (!frame) {
      session.log('warning', 'No gosub stack allocated.');
      return;
    }
    if (!frame.savedLocals.has(args)) frame.savedLocals.set(args, session.channel.variables.get(args));
    writeVariable(session.channel.variables, args, value);
  },
};

const PRESENTATIONS: readonly CallerPresentation[] = [
  'allowed_not_screened',
  'allowed_passed_screen',
  'allowed_failed_screen',
  'allowed',
  'prohib_not_screened',
  'prohib_passed_screen',
  'prohib_failed_screen',
  'prohib',
  'unavailable',
];

/** ast_callerid_merge(): `"name" <number>`, or whichever exists. */
export function mergeCallerId(name: string, number: string): string {
  if (name !== '' && number !== '') return `"${name}" <${number}>`;
  return name !== '' ? name : number;
}

/** ast_callerid_parse(): `"Name" <number>` / `Name <number>` / `number` / `name`. */
export function parseCallerId(text: string): { name: string; number: string } {
  const angle = /^(.*)<([^>]*)>/.exec(text);
  if (angle) {
    const name = (angle[1] as string).trim().replace(/^"(.*)"$/, '$1');
    return { name, number: (angle[2] as string).trim() };
  }
  const trimmed = text.trim().replace(/^"(.*)"$/, '$1');
  return /^[0-9+*#() .-]+$/.test(trimmed) ? { name: '', number: trimmed.replace(/[() .-]/g, '') } : { name: trimmed, number: '' };
}

const callerId: DialplanFunction = {
  name: 'CALLERID',
  synopsis: 'Gets or sets Caller*ID data on the channel.',
  syntax: 'CALLERID(datatype[,CID])',
  read(session, args) {
    const [item = '', cid] = splitArgs(args, { max: 2 });
    const source = cid === undefined ? session.channel.callerId : { ...session.channel.callerId, ...parseCallerId(cid) };
    switch (item.trim().toLowerCase()) {
      case 'all':
        return mergeCallerId(source.name, source.number);
      case 'name':
        return source.name;
      case 'num':
      case 'number':
        return source.number;
      case 'pres':
      case 'name-pres':
      case 'num-pres':
        return source.presentation;
      case 'tag':
        return source.tag;
      case 'ani':
      case 'ani-num':
        return source.ani;
      case 'dnid':
      case 'dnid-num':
        return source.dnid;
      case 'rdnis':
        return source.rdnis;
      case 'ton':
      case 'ani2':
        return '0';
      default:
        usage(`Unknown callerid data type '${item}'.`);
    }
  },
  write(session, args, value) {
    const [item = ''] = splitArgs(args, { max: 2 });
    const current: CallerId = session.channel.callerId;
    let next: CallerId;
    switch (item.trim().toLowerCase()) {
      case 'all':
        next = { ...current, ...parseCallerId(value) };
        break;
      case 'name':
        next = { ...current, name: value };
        break;
      case 'num':
      case 'number':
        next = { ...current, number: value };
        break;
      case 'pres':
      case 'name-pres':
      case 'num-pres': {
        const presentation = PRESENTATIONS.find((name) => name === value.trim().toLowerCase());
        if (!presentation) usage(`Unknown calling number presentation '${value}', value unchanged`);
        next = { ...current, presentation };
        break;
      }
      case 'tag':
        next = { ...current, tag: value };
        break;
      case 'ani':
      case 'ani-num':
        next = { ...current, ani: value };
        break;
      case 'dnid':
      case 'dnid-num':
        next = { ...current, dnid: value };
        break;
      case 'rdnis':
        next = { ...current, rdnis: value };
        break;
      default:
        usage(`Unknown callerid data type '${item}'.`);
    }
    session.channel.callerId = next;
  },
};

const STATE_NAMES: Readonly<Record<ChannelState, string>> = {
  down: 'Down',
  reserved: 'Rsrvd',
  offhook: 'OffHook',
  dialing: 'Dialing',
  ring: 'Ring',
  ringing: 'Ringing',
  up: 'Up',
  busy: 'Busy',
};

/** ast_state2str(): `Up`, `Ring`, ... as `core show channels` and CHANNEL(state) print them. */
export function channelStateName(state: ChannelState): string {
  return STATE_NAMES[state];
}

/** CHANNEL(musicclass) per channel (kept out of the channel's variables). */
const musicClasses = new WeakMap<DialplanChannel, string>();

/** The music class set with Set(CHANNEL(musicclass)=...), or '' (res_musiconhold prefers it). */
export function channelMusicClass(channel: DialplanChannel): string {
  return musicClasses.get(channel) ?? '';
}

const channel: DialplanFunction = {
  name: 'CHANNEL',
  synopsis: 'Gets/sets various pieces of information about the channel.',
  syntax: 'CHANNEL(item)',
  description: 'Items: name, channeltype, language, accountcode, musicclass, state, uniqueid, linkedid, hangupcause, context, exten; hangup_handler_push/pop/wipe (write). Technology items are added by the host.',
  read(session, args) {
    const item = args.trim();
    const current = session.channel;
    switch (item) {
      case 'name':
        return current.name;
      case 'channeltype':
      case 'type':
        return current.tech;
      case 'language':
        return current.language;
      case 'accountcode':
        return current.accountCode;
      case 'musicclass':
        return musicClasses.get(current) ?? '';
      case 'state':
        return channelStateName(current.state);
      case 'uniqueid':
        return current.uniqueId;
      case 'linkedid':
        return current.linkedId;
      case 'hangupcause':
        return String(current.hangupCause);
      case 'context':
        return session.context;
      case 'exten':
        return session.exten;
      default:
        usage(`Unknown or unavailable item requested: '${item}'`);
    }
  },
  write(session, args, value) {
    const item = args.trim();
    switch (item) {
      case 'language':
        session.channel.language = value;
        return;
      case 'accountcode':
        session.channel.accountCode = value;
        return;
      case 'musicclass':
        musicClasses.set(session.channel, value);
        return;
      case 'hangupcause':
        session.channel.hangupCause = Number.parseInt(value, 10) || 0;
        return;
      case 'hangup_handler_push':
        if (value.trim() !== '') hangupHandlers(session.channel).push(value);
        return;
      case 'hangup_handler_pop': {
        const stack = hangupHandlers(session.channel);
        stack.pop();
        if (value.trim() !== '') stack.push(value);
        return;
      }
      case 'hangup_handler_wipe': {
        const stack = hangupHandlers(session.channel);
        stack.length = 0;
        if (value.trim() !== '') stack.push(value);
        return;
      }
      default:
        usage(`Unknown or unavailable item requested: '${item}'`);
    }
  },
};

const timeout: DialplanFunction = {
  name: 'TIMEOUT',
  synopsis: 'Gets or sets timeouts on the channel. Timeout values are in seconds.',
  syntax: 'TIMEOUT(timeouttype)',
  read(session, args) {
    switch (args.trim()[0]?.toLowerCase()) {
      case 'a':
        if (session.absoluteTimeoutAt === undefined) return '0';
        return ((session.absoluteTimeoutAt - session.host.now().getTime()) / 1000).toFixed(3);
      case 'r':
        return (session.responseTimeoutMs / 1000).toFixed(3);
      case 'd':
        return (session.digitTimeoutMs / 1000).toFixed(3);
      default:
        usage('Unknown timeout type specified.');
    }
  },
  write(session, args, value) {
    const seconds = Number.parseFloat(value);
    const valid = Number.isFinite(seconds) && seconds >= 0 ? seconds : 0;
    switch (args.trim()[0]?.toLowerCase()) {
      case 'a':
        session.setAbsoluteTimeout(valid);
        return;
      case 'r':
        session.responseTimeoutMs = Math.round(valid * 1000);
        return;
      case 'd':
        session.digitTimeoutMs = Math.round(valid * 1000);
        return;
      default:
        usage('Unknown timeout type specified.');
    }
  },
};

const exception: DialplanFunction = {
  name: 'EXCEPTION',
  synopsis: 'Retrieve the details of the current dialplan exception.',
  syntax: 'EXCEPTION(field)',
  read(session, args) {
    const current = session.exception;
    if (!current) return '';
    switch (args.trim().toLowerCase()) {
      case 'reason':
        return current.reason;
      case 'context':
        return current.location.context;
      case 'exten':
        return current.location.exten;
      case 'priority':
        return String(current.location.priority);
      default:
        usage(`Unknown EXCEPTION field '${args}'`);
    }
  },
};

const hangupCause: DialplanFunction = {
  name: 'HANGUPCAUSE',
  synopsis: 'Gets per-channel hangupcause information from the channel.',
  syntax: 'HANGUPCAUSE(channel,type)',
  read(session, args) {
    const [name = '', type = ''] = splitArgs(args, { max: 2 });
    const record = hangupCauseRecords(session.channel).get(name.trim());
    if (!record) usage(`Unable to find information for channel ${name}`);
    switch (type.trim().toLowerCase()) {
      case 'ast':
        return String(record.cause);
      case 'tech':
        return record.technologyCause;
      default:
        usage(`Information type not recognized (${type})`);
    }
  },
};

const hangupCauseKeys: DialplanFunction = {
  name: 'HANGUPCAUSE_KEYS',
  synopsis: 'Gets the list of channels for which hangup causes are available.',
  syntax: 'HANGUPCAUSE_KEYS()',
  read: (session) => [...hangupCauseRecords(session.channel).keys()].join(','),
};

/** The channel, variable and logic functions. */
export const channelFunctions: readonly DialplanFunction[] = [
  ifFunction,
  isNull,
  exists,
  set,
  importFunction,
  global,
  shared,
  local,
  callerId,
  channel,
  timeout,
  exception,
  hangupCause,
  hangupCauseKeys,
];
