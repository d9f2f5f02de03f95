/**
 * Applications about other channels and the system (Asterisk 20, apps/app_chanisavail.c,
 * apps/app_transfer.c, apps/app_system.c).
 */
import { spawn } from 'node:child_process';
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
import type { ChannelState } from '../channel.js';
import type { DeviceState } from '../host.js';
import { splitArgs } from '../internal/split-args.js';

/** enum ast_device_state numbers (AVAILSTATUS prints them). */
const DEVICE_STATE_NUMBERS: Readonly<Record<DeviceState, number>> = {
  UNKNOWN: 0,
  NOT_INUSE: 1,
  INUSE: 2,
  BUSY: 3,
  INVALID: 4,
  UNAVAILABLE: 5,
  RINGING: 6,
  RINGINUSE: 7,
  ONHOLD: 8,
};

/** main/devicestate.c chan2dev[]: the device state a channel in this state gives. */
const CHANNEL_DEVICE_STATES: Readonly<Record<ChannelState, DeviceState>> = {
  down: 'NOT_INUSE',
  reserved: 'INUSE',
  offhook: 'INUSE',
  dialing: 'INUSE',
  ring: 'INUSE',
  ringing: 'RINGING',
  up: 'INUSE',
  busy: 'BUSY',
};

/**
 * ast_parse_device_state(): the state of the first live channel named `<device>-...`
 * (UNKNOWN when there is none).
 */
function channelDeviceState(session: DialplanSession, device: string): DeviceState {
  const channel = session.host.findChannelByPrefix?.(`${device}-`);
  return channel === undefined ? 'UNKNOWN' : CHANNEL_DEVICE_STATES[channel.state];
}

const chanIsAvail: DialplanApplication = {
  name: 'ChanIsAvail',
  synopsis: 'Check channel availability',
  syntax: 'ChanIsAvail(Technology/Resource[&Technology2/Resource2...][,options])',
  description:
    'Requests each channel in turn (without calling it) and stops at the first that could be created, unless `a` (all). Options: s (skip devices whose device state is in use), t (skip devices with a live channel). Sets AVAILCHAN (the channel names, e.g. SIP/peer-0000000a), AVAILORIGCHAN, AVAILSTATUS (device states as numbers) and AVAILCAUSECODE.',
  async execute(session, data): Promise<ApplicationResult> {
    // apps/app_chanisavail.c chanavail_exec()
    const [peers = '', options = ''] = splitArgs(data, { max: 2 });
    const allAvailable = options.includes('a');
    const checkDeviceState = options.includes('s');
    const checkChannels = options.includes('t');
    const available: string[] = [];
    const original: string[] = [];
    const states: string[] = [];
    const causes: string[] = [];
    for (const item of peers.split('&')) {
      const peer = item.trim();
      const slash = peer.indexOf('/');
      if (slash < 0) {
        if (peer !== '') session.log('warning', `Invalid ChanIsAvail technology/resource argument: '${peer}'`);
        states.push(String(DEVICE_STATE_NUMBERS.INVALID));
        continue;
      }
      let state: DeviceState = 'UNKNOWN';
      if (checkChannels) state = channelDeviceState(session, peer);
      else if (checkDeviceState) state = session.host.deviceState(peer);
      states.push(String(DEVICE_STATE_NUMBERS[state]));
      // Without s/t every device is tried; with them only those not in use.
      if ((checkChannels || checkDeviceState) && DEVICE_STATE_NUMBERS[state] > DEVICE_STATE_NUMBERS.NOT_INUSE) continue;
      const request = await session.host.requestChannel(peer.slice(0, slash), peer.slice(slash + 1), session.channel);
      if (!request.ok) continue;
      available.push(request.channel.name);
      original.push(peer);
      causes.push('0');
      // Only asked whether it could be made: drop it at once.
      request.channel.hangup();
      if (!allAvailable) break;
    }
    await session.setVariable('AVAILCHAN', available.join('&'));
    await session.setVariable('AVAILORIGCHAN', original.join('&'));
    await session.setVariable('AVAILSTATUS', states.join('&'));
    await session.setVariable('AVAILCAUSECODE', causes.join('&'));
    return 'continue';
  },
};

const transfer: DialplanApplication = {
  name: 'Transfer',
  synopsis: 'Transfer caller to remote extension.',
  syntax: 'Transfer([Tech/]destination)',
  description: 'SIP: 302 before answer, REFER after. Sets TRANSFERSTATUS (SUCCESS, FAILURE, UNSUPPORTED) and TRANSFERSTATUSPROTOCOL.',
  async execute(session, data): Promise<ApplicationResult> {
    const channel = session.channel;
    let destination = data.trim();
    // app_transfer.c sets TRANSFERSTATUSPROTOCOL (0) on every early exit too.
    const fail = async (): Promise<ApplicationResult> => {
      await session.setVariable('TRANSFERSTATUS', 'FAILURE');
      await session.setVariable('TRANSFERSTATUSPROTOCOL', '0');
      return 'continue';
    };
    if (destination === '') {
      session.log('warning', 'Transfer requires an argument ([Tech/]destination)');
      return fail();
    }
    const slash = destination.indexOf('/');
    if (slash > 0) {
      if (destination.slice(0, slash).toLowerCase() !== channel.tech.toLowerCase()) return fail();
      destination = destination.slice(slash + 1);
    }
    if (!channel.transfer) {
      await session.setVariable('TRANSFERSTATUS', 'UNSUPPORTED');
      await session.setVariable('TRANSFERSTATUSPROTOCOL', '0');
      return 'continue';
    }
    const result = await channel.transfer(destination);
    await session.setVariable('TRANSFERSTATUS', result.status);
    await session.setVariable('TRANSFERSTATUSPROTOCOL', result.protocolStatus);
    return 'continue';
  },
};

/** Runs a shell command; resolves its exit code, or undefined when it could not run. */
function runCommand(command: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'ignore' });
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code ?? undefined));
  });
}

function system(name: 'System' | 'TrySystem'): DialplanApplication {
  return {
    name,
    synopsis: name === 'System' ? 'Execute a system command.' : 'Try executing a system command.',
    syntax: `${name}(command)`,
    description: 'Sets SYSTEMSTATUS (SUCCESS, FAILURE, APPERROR). Refused (FAILURE) unless the host allows system commands.',
    async execute(session: DialplanSession, data: string): Promise<ApplicationResult> {
      const failure: ApplicationResult = name === 'System' ? 'hangup' : 'continue';
      if (data.trim() === '') {
        session.log('warning', `${name} requires an argument(command)`);
        await session.setVariable('SYSTEMSTATUS', 'FAILURE');
        return failure;
      }
      if (!session.host.allowSystem) {
        session.log('warning', `${name}(${data}) refused: system commands are not allowed by this host's configuration`);
        await session.setVariable('SYSTEMSTATUS', 'FAILURE');
        return failure;
      }
      const code = await runCommand(data);
      if (code === undefined || code === 127) {
        session.log('warning', `Unable to execute '${data}'`);
        await session.setVariable('SYSTEMSTATUS', 'FAILURE');
        return failure;
      }
      await session.setVariable('SYSTEMSTATUS', code === 0 ? 'SUCCESS' : 'APPERROR');
      return 'continue';
    },
  };
}

/** The channel and system applications. */
export const channelApplications: readonly DialplanApplication[] = [chanIsAvail, transfer, system('System'), system('TrySystem')];
