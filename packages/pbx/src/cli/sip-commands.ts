import {
  renderSipQualifyPeerNotFound,
  renderSipShowRegistry,
  renderSipPruneRealtime,
  renderSipShowInuse,
  renderSipShowPeer,
  renderSipShowPeers,
  renderSipShowUsers,
  renderSipUnregister,
} from '@tandem/registrar';
import type { Pbx } from '../pbx.js';
import { cliError, cliOk } from './cli-registry.js';
import { formatReloadResult } from './reload-result.js';
import { registerSipBlockedCommands } from './sip-blocked-commands.js';
import { registerSipShowSubscriptions } from './sip-show-subscriptions.js';
import { sipShowChannels } from './sip-show-channels.js';

/** `sip ...` commands (chan_sip's CLI). */
export function registerSipCommands(pbx: Pbx): void {
  const { cli } = pbx;
  const likeArgument = (args: readonly string[]): string | undefined | false => {
    if (args.length === 0) return undefined;
    if (args.length === 2 && args[0]?.toLowerCase() === 'like') return args[1];
    return false;
  };
  cli.register({
    words: ['sip', 'show', 'peers'],
    usage: 'sip show peers [like <pattern>]',
    summary: 'List defined SIP peers',
    handler: (args) => {
      const like = likeArgument(args);
      return like === false ? cliError('Usage: sip show peers [like <pattern>]') : cliOk(renderSipShowPeers(pbx.directory, like));
    },
  });
  cli.register({
    words: ['sip', 'show', 'users'],
    usage: 'sip show users [like <pattern>]',
    summary: 'List defined SIP users',
    handler: (args) => {
      const like = likeArgument(args);
      return like === false ? cliError('Usage: sip show users [like <pattern>]') : cliOk(renderSipShowUsers(pbx.directory, like));
    },
  });
  cli.register({
    words: ['sip', 'show', 'peer'],
    usage: 'sip show peer <name> [load]',
    summary: 'Show details on specific SIP peer',
    handler: async (args) => {
      const name = args[0];
      if (name === undefined) return cliError('Usage: sip show peer <name> [load]');
      const peer = args[1] === 'load' ? await pbx.directory.find(name, 'any') : pbx.directory.get(name);
      return cliOk(
        renderSipShowPeer(name, peer, {
          general: pbx.config.sip.general,
          realtimeConfigured: false,
          expiresIn: peer?.binding === undefined ? -1 : Math.max(0, Math.round((peer.binding.expiresAt - Date.now()) / 1000)),
        }),
      );
    },
  });
  cli.register({
    words: ['sip', 'show', 'inuse'],
    usage: 'sip show inuse [all]',
    summary: 'List all inuse/limits',
    handler: (args) => cliOk(renderSipShowInuse(pbx.directory, args.length === 1 && args[0] === 'all')),
  });
  cli.register({
    words: ['sip', 'show', 'channels'],
    usage: 'sip show channels',
    summary: 'List active SIP channels',
    handler: () => cliOk(sipShowChannels(pbx)),
  });
  cli.register({
    words: ['sip', 'unregister'],
    usage: 'sip unregister <peer>',
    summary: 'Unregister (force expiration) a SIP peer from the registry',
    handler: async (args) => {
      const name = args[0];
      if (name === undefined) return cliError('Usage: sip unregister <peer>');
      return cliOk(renderSipUnregister(name, await pbx.registrar.unregister(name)));
    },
  });
  cli.register({
    words: ['sip', 'prune', 'realtime'],
    usage: 'sip prune realtime [peer] [<name>|all|like <pattern>]',
    summary: 'Prune cached Realtime users/peers',
    handler: (args) => {
      const rest = args[0]?.toLowerCase() === 'peer' ? args.slice(1) : args;
      if (rest.length === 0 || rest[0] === 'all') return cliOk(renderSipPruneRealtime(pbx.directory.prune('all')));
      if (rest[0]?.toLowerCase() === 'like' && rest[1] !== undefined) return cliOk(renderSipPruneRealtime(pbx.directory.prune({ like: rest[1] })));
      const name = rest[0] ?? '';
      return cliOk(renderSipPruneRealtime(pbx.directory.prune({ name }), name));
    },
  });
  cli.register({
    words: ['sip', 'show', 'registry'],
    usage: 'sip show registry',
    summary: 'List SIP registration status',
    handler: () => cliOk(renderSipShowRegistry(pbx.outbound.rows())),
  });
  cli.register({
    words: ['sip', 'qualify', 'peer'],
    usage: 'sip qualify peer <name> [load]',
    summary: 'Send an OPTIONS packet to a peer',
    handler: async (args) => {
      const name = args[0];
      if (name === undefined) return cliError('Usage: sip qualify peer <name> [load]');
      const peer = args[1] === 'load' ? await pbx.directory.find(name, 'any') : pbx.directory.get(name);
      if (peer === undefined) return cliError(renderSipQualifyPeerNotFound(name));
      void pbx.qualifier.qualifyNow(peer);
      return cliOk('');
    },
  });
  cli.register({
    words: ['sip', 'reload'],
    usage: 'sip reload',
    summary: 'Reload SIP configuration',
    handler: async () => formatReloadResult(await pbx.reload('sip')),
  });
  registerSipBlockedCommands(pbx);
  registerSipShowSubscriptions(pbx);
}
