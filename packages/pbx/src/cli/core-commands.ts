import { channelStateName } from '@tandem/dialplan';
import { renderDatabaseDel, renderDatabaseDeltree, renderDatabaseGet, renderDatabasePut, renderDatabaseShow } from '@tandem/registrar';
import type { Pbx } from '../pbx.js';
import { formatReloadResult } from './reload-result.js';
import { originate } from './channel-originate.js';
import { cliError, cliOk } from './cli-registry.js';

const VERSION = 'Tandem 0.1.0';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `core show channels` (Asterisk 20 main/cli.c handle_chanlist()). */
function coreShowChannels(pbx: Pbx, mode: string | undefined): string {
  const channels = pbx.channels.list();
  if (mode === 'count') {
    return `${plural(channels.length, 'active channel')}\n${plural(activeCalls(pbx), 'active call')}\n${plural(pbx.callsProcessed, 'call')} processed\n`;
  }
  if (mode === 'concise') {
    return channels
      .map((channel) => {
        const location = channel.location;
        const seconds = Math.floor((Date.now() - channel.createdAt) / 1000);
        return [
          channel.name,
          location.context,
          location.exten,
          location.priority,
          channelStateName(channel.state),
          location.application,
          location.data,
          channel.callerId.number,
          channel.accountCode,
          '',
          3,
          seconds,
          channel.bridgedWith?.name ?? '(None)',
          channel.uniqueId,
        ].join('!');
      })
      .map((line) => `${line}\n`)
      .join('');
  }
  const row = (a: string, b: string, c: string, d: string) => `${a.padEnd(20).slice(0, 20)} ${b.padEnd(20).slice(0, 20)} ${c.padEnd(7).slice(0, 7)} ${d.padEnd(30).slice(0, 30)}\n`;
  let text = row('Channel', 'Location', 'State', 'Application(Data)');
  for (const channel of channels) {
    const location = channel.location;
    const where = location.context === '' ? '(None)' : `${location.exten}@${location.context}:${location.priority}`;
    const application = location.application === '' ? '(None)' : `${location.application}(${location.data})`;
    text += row(channel.name, where, channelStateName(channel.state), application);
  }
  text += `${plural(channels.length, 'active channel')}\n${plural(activeCalls(pbx), 'active call')}\n${plural(pbx.callsProcessed, 'call')} processed\n`;
  return text;
}

/** Calls = channels that are not the second half of a bridge or Local pair (main/cli.c counts ast_active_calls()). */
function activeCalls(pbx: Pbx): number {
  const seen = new Set<string>();
  let calls = 0;
  for (const channel of pbx.channels.list()) {
    if (seen.has(channel.linkedId)) continue;
    seen.add(channel.linkedId);
    calls += 1;
  }
  return calls;
}

/** core show ..., core reload, channel ..., database ... */
export function registerCoreCommands(pbx: Pbx): void {
  const { cli } = pbx;
  cli.register({
    words: ['core', 'show', 'channels'],
    usage: 'core show channels [concise|verbose|count]',
    summary: 'Display information on channels',
    handler: (args) => cliOk(coreShowChannels(pbx, args[0]?.toLowerCase())),
  });
  cli.register({
    words: ['core', 'show', 'version'],
    usage: 'core show version',
    summary: 'Display version info',
    handler: () => cliOk(`${VERSION} (SIP PBX compatible with Asterisk 20 chan_sip configurations)`),
  });
  cli.register({
    words: ['core', 'show', 'uptime'],
    usage: 'core show uptime [seconds]',
    summary: 'Show uptime information',
    handler: (args) => {
      const seconds = Math.floor((Date.now() - pbx.startedAt.getTime()) / 1000);
      return cliOk(args[0] === 'seconds' ? `System uptime: ${seconds}` : `System uptime: ${plural(seconds, 'second')}`);
    },
  });
  cli.register({
    words: ['core', 'show', 'help'],
    usage: 'core show help [topic]',
    summary: 'Display help list, or specific help on a command',
    handler: (args) => {
      const prefix = args.join(' ').toLowerCase();
      const lines = cli
        .list()
        .filter((command) => command.words.join(' ').startsWith(prefix))
        .map((command) => `${command.usage.padEnd(40)} -- ${command.summary}`);
      return cliOk(lines.join('\n'));
    },
  });
  cli.register({
    words: ['core', 'reload'],
    usage: 'core reload',
    summary: 'Global reload',
    handler: async () => formatReloadResult(await pbx.reload('all')),
  });
  cli.register({
    words: ['channel', 'originate'],
    usage: 'channel originate <tech/data> application <appname> [appdata] | extension [exten@][context]',
    summary: 'Originate a call',
    handler: (args) => originate(pbx, args),
  });
  cli.register({
    words: ['channel', 'request', 'hangup'],
    usage: 'channel request hangup <channel>|<all>',
    summary: 'Request a hangup on a given channel',
    handler: (args) => {
      const name = args[0];
      if (name === undefined) return cliError('Usage: channel request hangup <channel>|<all>');
      const targets = name === 'all' ? pbx.channels.list() : [pbx.channels.get(name)].filter((channel) => channel !== undefined);
      if (targets.length === 0) return cliError(`${name} is not a known channel`);
      for (const channel of targets) channel.hangup(16);
      return cliOk(targets.map((channel) => `Requested Hangup on channel '${channel.name}'`).join('\n'));
    },
  });
  const db = pbx.store.astDb;
  cli.register({
    words: ['database', 'show'],
    usage: 'database show [family [keytree]]',
    summary: 'Shows database contents',
    handler: (args) => cliOk(renderDatabaseShow(db, args[0], args[1])),
  });
  cli.register({
    words: ['database', 'get'],
    usage: 'database get <family> <key>',
    summary: 'Gets database value',
    handler: (args) => (args.length !== 2 ? cliError('Usage: database get <family> <key>') : cliOk(renderDatabaseGet(db, args[0] ?? '', args[1] ?? ''))),
  });
  cli.register({
    words: ['database', 'put'],
    usage: 'database put <family> <key> <value>',
    summary: 'Adds/updates database value',
    handler: (args) => (args.length !== 3 ? cliError('Usage: database put <family> <key> <value>') : cliOk(renderDatabasePut(db, args[0] ?? '', args[1] ?? '', args[2] ?? ''))),
  });
  cli.register({
    words: ['database', 'del'],
    usage: 'database del <family> <key>',
    summary: 'Removes database key/value',
    handler: (args) => (args.length !== 2 ? cliError('Usage: database del <family> <key>') : cliOk(renderDatabaseDel(db, args[0] ?? '', args[1] ?? ''))),
  });
  cli.register({
    words: ['database', 'deltree'],
    usage: 'database deltree <family> [keytree]',
    summary: 'Removes database keytree/values',
    handler: (args) => (args.length < 1 || args.length > 2 ? cliError('Usage: database deltree <family> [keytree]') : cliOk(renderDatabaseDeltree(db, args[0] ?? '', args[1]))),
  });
}
