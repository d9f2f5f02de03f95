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

/** printf's `%-W.Ws`: at most `width` characters, padded to `width`. */
function column(text: string, width: number): string {
  return text.slice(0, width).padEnd(width);
}

/** `HH:MM:SS` of the verbose layout. */
function clock(seconds: number): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

/** The totals every layout but `concise` ends with. */
function channelTotals(pbx: Pbx, channels: number): string {
  return `${plural(channels, 'active channel')}\n${plural(activeCalls(pbx), 'active call')}\n${plural(pbx.callsProcessed, 'call')} processed\n`;
}

/** `core show channels [concise|verbose|count]` (Asterisk 20 main/cli.c handle_chanlist()). */
function coreShowChannels(pbx: Pbx, mode: string | undefined): string {
  const channels = pbx.channels.list();
  if (mode === 'count') return channelTotals(pbx, channels.length);
  const seconds = (createdAt: number): number => Math.floor((Date.now() - createdAt) / 1000);
  if (mode === 'concise') {
    // CONCISE_FORMAT_STRING: name!context!exten!priority!state!app!data!cid!account!peeraccount!amaflags!duration!bridge!uniqueid
    return channels
      .map((channel) => {
        const location = channel.location;
        return `${[
          channel.name,
          location.context,
          location.exten,
          location.priority,
          channelStateName(channel.state),
          location.application === '' ? '(None)' : location.application,
          location.data,
          channel.callerId.number,
          channel.accountCode,
          channel.bridgedWith?.accountCode ?? '',
          3,
          seconds(channel.createdAt),
          channel.bridgeId,
          channel.uniqueId,
        ].join('!')}\n`;
      })
      .join('');
  }
  if (mode === 'verbose') {
    // VERBOSE_FORMAT_STRING(2): %-80.80s %-24.24s %-24.24s %4d %-7.7s %-12.12s %-25.25s %-15.15s %8.8s %-11.11s %-11.11s %-20.20s
    const line = (cells: readonly string[], priority: string): string =>
      `${column(cells[0] ?? '', 80)} ${column(cells[1] ?? '', 24)} ${column(cells[2] ?? '', 24)} ${priority} ${column(cells[3] ?? '', 7)} ${column(cells[4] ?? '', 12)} ${column(cells[5] ?? '', 25)} ${column(cells[6] ?? '', 15)} ${(cells[7] ?? '').slice(0, 8).padStart(8)} ${column(cells[8] ?? '', 11)} ${column(cells[9] ?? '', 11)} ${column(cells[10] ?? '', 20)}\n`;
    let text = line(['Channel', 'Context', 'Extension', 'State', 'Application', 'Data', 'CallerID', 'Duration', 'Accountcode', 'PeerAccount', 'BridgeID'], 'Prio');
    for (const channel of channels) {
      const location = channel.location;
      text += line(
        [
          channel.name,
          location.context,
          location.exten,
          channelStateName(channel.state),
          location.application === '' ? '(None)' : location.application,
          location.data === '' ? '(Empty)' : location.data,
          channel.callerId.number,
          clock(seconds(channel.createdAt)),
          channel.accountCode,
          channel.bridgedWith?.accountCode ?? '',
          channel.bridgeId,
        ],
        String(location.priority).padStart(4),
      );
    }
    return text + channelTotals(pbx, channels.length);
  }
  // FORMAT_STRING: %-64.64s %-32.32s %-7.7s %-30.30s; location and application(data) are
  // built in 40-byte buffers, so they stop at 39 characters.
  const row = (a: string, b: string, c: string, d: string): string => `${column(a, 64)} ${column(b, 32)} ${column(c, 7)} ${column(d, 30)}\n`;
  let text = row('Channel', 'Location', 'State', 'Application(Data)');
  for (const channel of channels) {
    const location = channel.location;
    const where = location.context === '' || location.exten === '' ? '(None)' : `${location.exten}@${location.context}:${location.priority}`.slice(0, 39);
    const application = location.application === '' ? '(None)' : `${location.application}(${location.data})`.slice(0, 39);
    text += row(channel.name, where, channelStateName(channel.state), application);
  }
  return text + channelTotals(pbx, channels.length);
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
