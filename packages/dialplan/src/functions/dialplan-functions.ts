/**
 * Functions about the dialplan and device state (Asterisk 20, funcs/func_dialplan.c,
 * func_devstate.c, func_extstate.c, main/pbx.c HINT).
 */
import { DialplanError } from '../dialplan-error.js';
import type { DialplanFunction } from '../engine/function-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import type { DeviceState } from '../host.js';
import { splitArgs } from '../internal/split-args.js';

function usage(message: string): never {
  throw new DialplanError('invalid-argument', message);
}

/** `exten[@context]` (context defaults to the channel's). */
function extenAtContext(session: DialplanSession, text: string): [string, string] {
  const at = text.indexOf('@');
  return at < 0 ? [text, session.context] : [text.slice(0, at), text.slice(at + 1) || session.context];
}

function hintOf(session: DialplanSession, exten: string, context: string): string | undefined {
  return session.dialplan.hint(context, exten, { callerId: session.callerNumber, now: session.host.now() })?.extension.hint?.application;
}

/**
 * ast_devstate_aggregate(): the state of a hint's device list (ringing and in-use combine
 * to RINGINUSE; otherwise the "busiest" state wins).
 */
export function aggregateDeviceStates(states: readonly DeviceState[]): DeviceState {
  if (states.length === 0) return 'INVALID';
  const has = (state: DeviceState): boolean => states.includes(state);
  const ringing = has('RINGING') || has('RINGINUSE');
  const inUse = has('INUSE') || has('BUSY') || has('ONHOLD') || has('RINGINUSE');
  if (ringing && inUse) return 'RINGINUSE';
  if (ringing) return 'RINGING';
  if (has('BUSY')) return 'BUSY';
  if (has('INUSE')) return 'INUSE';
  if (has('ONHOLD')) return 'ONHOLD';
  if (has('NOT_INUSE')) return 'NOT_INUSE';
  if (states.every((state) => state === 'UNAVAILABLE' || state === 'INVALID')) return 'UNAVAILABLE';
  return 'UNKNOWN';
}

const deviceState: DialplanFunction = {
  name: 'DEVICE_STATE',
  synopsis: 'Get or Set a device state.',
  syntax: 'DEVICE_STATE(device)',
  read(session, args) {
    if (args.trim() === '') usage('DEVICE_STATE function needs an argument!');
    return session.host.deviceState(args.trim());
  },
};

const hint: DialplanFunction = {
  name: 'HINT',
  synopsis: 'Get the devices set for a dialplan hint.',
  syntax: 'HINT(extension[@context][,options])',
  read(session, args) {
    const [target = '', options = ''] = splitArgs(args, { max: 2 });
    if (target === '') usage('The HINT function requires an extension');
    const [exten, context] = extenAtContext(session, target);
    const value = hintOf(session, exten, context) ?? '';
    const [devices = '', name = ''] = value.split(',', 2);
    return options.includes('n') ? name : devices;
  },
};

const extensionState: DialplanFunction = {
  name: 'EXTENSION_STATE',
  synopsis: 'Get an extension\'s state.',
  syntax: 'EXTENSION_STATE(extension[@context])',
  read(session, args) {
    if (args.trim() === '') usage('EXTENSION_STATE requires an extension');
    const [exten, context] = extenAtContext(session, args.trim());
    const value = hintOf(session, exten, context);
    if (value === undefined) return 'UNKNOWN';
    const devices = (value.split(',', 1)[0] ?? '').split('&').filter((device) => device !== '');
    const state = aggregateDeviceStates(devices.map((device) => session.host.deviceState(device)));
    return state === 'INVALID' ? 'UNKNOWN' : state === 'ONHOLD' ? 'HOLDINUSE' : state;
  },
};

const dialplanExists: DialplanFunction = {
  name: 'DIALPLAN_EXISTS',
  synopsis: 'Checks the existence of a dialplan target.',
  syntax: 'DIALPLAN_EXISTS(context[,extension[,priority]])',
  read(session, args) {
    const [context = '', exten, priority] = splitArgs(args, { max: 3 });
    if (context === '') usage('DIALPLAN_EXISTS() requires an argument');
    if (exten === undefined) return session.dialplan.context(context) ? '1' : '0';
    const target = priority === undefined || priority === '' ? 1 : /^\d+$/.test(priority) ? Number(priority) : priority;
    return session.exists(context, exten, target) ? '1' : '0';
  },
};

const validExten: DialplanFunction = {
  name: 'VALID_EXTEN',
  synopsis: 'Determine whether an extension exists or not.',
  syntax: 'VALID_EXTEN([context],extension,[priority])',
  read(session, args) {
    const [context = '', exten = '', priority = ''] = splitArgs(args, { max: 3 });
    if (exten === '') usage('Syntax: VALID_EXTEN([<context>],<extension>[,<priority>]) - missing argument <extension>!');
    const target = priority === '' ? 1 : Number.parseInt(priority, 10) || 1;
    return session.exists(context || session.context, exten, target) ? '1' : '0';
  },
};

/** The dialplan and device state functions. */
export const dialplanFunctions: readonly DialplanFunction[] = [deviceState, hint, extensionState, dialplanExists, validExten];
