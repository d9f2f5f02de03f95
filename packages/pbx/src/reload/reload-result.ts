import type { Diagnostic } from '@tandem/config';
import type { ReloadScope } from './reload-scope.js';

/** What `Pbx.reload()` did. */
export type ReloadResult =
  | {
      readonly ok: true;
      readonly scope: ReloadScope;
      /** Warnings of the files the scope read. */
      readonly warnings: readonly Diagnostic[];
      /** What changed, one line each (`peers: 2 kept, 1 added (carol)`, `SIP listener opened: udp ...`). */
      readonly changes: readonly string[];
      /** Changed settings that only a restart applies; the running values stay in force. */
      readonly awaitingRestart: readonly string[];
    }
  | {
      readonly ok: false;
      readonly scope: ReloadScope;
      /** Why nothing changed: every error, each at its file and line. */
      readonly errors: readonly Diagnostic[];
    };

/** `peers: 2 kept, 1 added (carol), 1 removed (dave)` */
export function describePeerChanges(summary: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly kept: readonly string[] }): string {
  const named = (count: string, names: readonly string[]) => (names.length === 0 ? [] : [`${names.length} ${count} (${names.join(', ')})`]);
  return `peers: ${[`${summary.kept.length} kept`, ...named('added', summary.added), ...named('removed', summary.removed)].join(', ')}`;
}
