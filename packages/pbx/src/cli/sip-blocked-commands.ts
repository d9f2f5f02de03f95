import type { BlockedAddress } from '../chan-sip/auth-failure-guard.js';
import type { Pbx } from '../pbx.js';
import { cliError, cliOk } from './cli-registry.js';

/**
 * `sip show blocked` (Tandem's own, no Asterisk equivalent): the addresses blocked by the
 * brute-force protection of tandem.conf `[security]`, with the failures that blocked them,
 * when the block started and the seconds left.
 */
export function renderSipShowBlocked(blocked: readonly BlockedAddress[], limit: number, now: number = Date.now()): string {
  const format = (address: string, failures: string, since: string, remaining: string): string =>
    `${address.padEnd(39).slice(0, 39)} ${failures.padStart(8)} ${since.padEnd(29)} ${remaining.padStart(9)}`;
  const lines = [format('Address', 'Failures', 'Blocked since', 'Remaining')];
  for (const entry of blocked) {
    lines.push(format(entry.address, String(entry.failures), new Date(entry.since).toUTCString(), String(Math.ceil((entry.until - now) / 1000))));
  }
  lines.push(limit === 0 ? `${blocked.length} blocked address(es) (blocking is off: authfailurelimit = 0).` : `${blocked.length} blocked address(es).`);
  return lines.join('\n');
}

/** `sip show blocked` and `sip unblock <address>`. */
export function registerSipBlockedCommands(pbx: Pbx): void {
  pbx.cli.register({
    words: ['sip', 'show', 'blocked'],
    usage: 'sip show blocked',
    summary: 'List addresses blocked after failed authentications (tandem.conf [security])',
    handler: () => {
      const guard = pbx.chanSip.authFailures;
      return cliOk(renderSipShowBlocked(guard.blocked(), guard.policy.authFailureLimit));
    },
  });
  pbx.cli.register({
    words: ['sip', 'unblock'],
    usage: 'sip unblock <address>',
    summary: 'Lift the block of an address blocked after failed authentications',
    handler: (args) => {
      const address = args[0];
      if (address === undefined || args.length > 1) return cliError('Usage: sip unblock <address>');
      return pbx.chanSip.authFailures.unblock(address) ? cliOk(`Unblocked ${address}`) : cliError(`${address} is not blocked`);
    },
  });
}
