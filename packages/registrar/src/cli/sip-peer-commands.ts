import type { PruneResult } from '../peers/peer-directory.js';
import type { UnregisterResult } from '../registrar/registrar.js';

/** What `sip unregister <peer>` prints (chan_sip sip_unregister()). */
export function renderSipUnregister(name: string, result: UnregisterResult): string {
  switch (result) {
    case 'unregistered':
      return `Unregistered peer '${name}'\n\n`;
    case 'not-registered':
      return `Peer ${name} not registered\n`;
    case 'unknown':
      return `Peer unknown: '${name}'. Not unregistered.\n`;
  }
}

/** What `sip qualify peer <name>` prints: nothing when found (the OPTIONS goes out), else this. */
export function renderSipQualifyPeerNotFound(name: string): string {
  return `Peer '${name}' not found\n`;
}

/** What `sip prune realtime ...` prints (chan_sip sip_prune_realtime()). */
export function renderSipPruneRealtime(result: PruneResult, name?: string): string {
  switch (result.kind) {
    case 'pruned':
      if (name !== undefined) return `Peer '${name}' pruned.\n`;
      return result.count > 0 ? `${result.count} peers pruned.\n` : 'No peers found to prune.\n';
    case 'not-found':
      return `Peer '${name ?? ''}' not found.\n`;
    case 'not-realtime':
      return `Peer '${name ?? ''}' is not a Realtime peer, cannot be pruned.\n`;
  }
}
