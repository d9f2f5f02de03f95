/**
 * Applications about other channels and the system (Asterisk 20, apps/app_chanisavail.c,
 * apps/app_transfer.c, apps/app_system.c).
 */
import { spawn } from 'node:child_process';
import type { ApplicationResult, DialplanApplication } from '../engine/application-registry.js';
import type { DialplanSession } from '../engine/dialplan-session.js';
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

const chanIsAvail: DialplanApplication = {
  name: 'ChanIsAvail',
  synopsis: 'Check channel availability',
  syntax: 'ChanIsAvail(Technology/Resource[&Technology2/Resource2...][,options])',
  description: 'Options: a (all available channels), s (consider in-use devices unavailable), t (device state only, no channel request). Sets AVAILCHAN, AVAILORIGCHAN, AVAILSTATUS, AVAILCAUSECODE.',
  async execute(session, data): Promise<ApplicationResult> {
    const [peers = '', options = ''] = splitArgs(data, { max: 2 });
    if (peers === '') {
      session.log('warning', 'ChanIsAvail requires an argument (DAHDI/1&DAHDI/2)');
      return 'hangup';
    }
    const available: string[] = [];
    const original: string[] = [];
    const states: string[] = [];
    const causes: string[] = [];
    for (const peer of peers.split('&').map((item) => item.trim()).filter((item) => item !== '')) {
      const slash = peer.indexOf('/');
      if (slash < 0) {
        session.log('notice', `ChanIsAvail argument takes format ([technology]/[device])`);
        continue;
      }
      const state = session.host.deviceState(peer);
      const stateNumber = String(DEVICE_STATE_NUMBERS[state]);
      if ((options.includes('s') || options.includes('t')) && state !== 'NOT_INUSE' && state !== 'UNKNOWN') {
        states.push(stateNumber);
        continue;
      }
      if (options.includes('t')) {
        if (state === 'UNAVAILABLE' || state === 'INVALID') continue;
        available.push(peer);
        original.push(peer);
        states.push(stateNumber);
        causes.push('0');
      } else {
        const request = await session.host.requestChannel(peer.slice(0, slash), peer.slice(slash + 1), session.channel);
        if (!request.ok) {
          causes.push(String(request.cause));
          states.push(stateNumber);
          continue;
        }
        available.push(request.channel.name);
        original.push(peer);
        states.push(stateNumber);
        causes.push('0');
        // Only asked whether it could be made: drop it at once.
        request.channel.hangup();
      }
      if (!options.includes('a')) break;
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
    if (destination === '') {
      session.log('warning', 'Transfer requires an argument ([Tech/]destination)');
      await session.setVariable('TRANSFERSTATUS', 'FAILURE');
      return 'continue';
    }
    const slash = destination.indexOf('/');
    if (slash >= 0) {
      if (destination.slice(0, slash).toLowerCase() !== channel.tech.toLowerCase()) {
        await session.setVariable('TRANSFERSTATUS', 'FAILURE');
        return 'continue';
      }
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
