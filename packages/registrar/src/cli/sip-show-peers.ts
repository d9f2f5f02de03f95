import type { Peer } from '../peers/peer.js';
import type { PeerDirectory } from '../peers/peer-directory.js';
import { column, likePattern } from './printf-columns.js';

// chan_sip PEERS_FORMAT2: "%-25.25s %-39.39s %-3.3s %-10.10s %-10.10s %-3.3s %-8s %-11s %-32.32s %s\n"
function peersLine(fields: readonly [string, string, string, string, string, string, string, string, string, string]): string {
  const [name, host, dyn, forcerport, comedia, acl, port, status, description, realtime] = fields;
  return `${column(name, 25, 25)} ${column(host, 39, 39)} ${column(dyn, 3, 3)} ${column(forcerport, 10, 10)} ${column(comedia, 10, 10)} ${column(acl, 3, 3)} ${column(port, 8)} ${column(status, 11)} ${column(description, 32, 32)} ${realtime}\n`;
}

/** chan_sip force_rport_string() / comedia_string(). */
export function natFlagText(auto: boolean, active: boolean): string {
  if (auto) return active ? 'Auto (Yes)' : 'Auto (No)';
  return active ? 'Yes' : 'No';
}

/** The address `sip show peers` shows: the registration, or a static host (not defaultip). */
export function shownAddress(peer: Peer): { address: string; port: number } | undefined {
  return peer.binding ?? (peer.isDynamic ? undefined : peer.staticAddress);
}

/**
 * `sip show peers [like PATTERN]` (chan_sip _sip_show_peers()), line by line so 100,000
 * peers can be streamed: header, peer-flagged devices sorted by name (byte order), footer
 * with the monitored/unmonitored counts. Yields `undefined`-free text lines ending in `\n`;
 * an invalid pattern yields the usage text.
 */
export function* sipShowPeersLines(directory: PeerDirectory, like?: string): Generator<string> {
  const pattern = likePattern(like);
  if (pattern === undefined) {
    yield 'Usage: sip show peers [like <pattern>]\n       Lists all known SIP peers.\n       Optional regular expression pattern is used to filter the peer list.\n';
    return;
  }
  const realtime = directory.realtime?.has('sippeers') === true;
  yield peersLine(['Name/username', 'Host', 'Dyn', 'Forcerport', 'Comedia', 'ACL', 'Port', 'Status', 'Description', realtime ? 'Realtime' : '']);
  let total = 0;
  let monitoredOnline = 0;
  let monitoredOffline = 0;
  let unmonitoredOnline = 0;
  let unmonitoredOffline = 0;
  for (const peer of directory.sorted()) {
    if (!peer.settings.isPeer || (pattern !== null && !pattern.test(peer.name))) continue;
    total++;
    const address = shownAddress(peer);
    const status = peer.status;
    if (peer.maxMs === 0) {
      if (address === undefined || address.port === 0) unmonitoredOffline++;
      else unmonitoredOnline++;
    } else if (peer.lastMs > 0) {
      monitoredOnline++;
    } else {
      monitoredOffline++;
    }
    const nat = peer.settings.nat;
    yield peersLine([
      peer.defaultUser === '' ? peer.name : `${peer.name}/${peer.defaultUser}`,
      address?.address ?? '(Unspecified)',
      peer.isDynamic ? ' D ' : '   ',
      natFlagText(nat.autoForceRport, peer.forceRport),
      natFlagText(nat.autoComedia, peer.comedia),
      peer.hasAcl ? ' A ' : '   ',
      String(address?.port ?? 0),
      status,
      peer.settings.description,
      realtime && peer.origin === 'realtime' ? 'Cached RT' : '',
    ]);
  }
  yield `${total} sip peers [Monitored: ${monitoredOnline} online, ${monitoredOffline} offline Unmonitored: ${unmonitoredOnline} online, ${unmonitoredOffline} offline]\n`;
}

/** `sip show peers [like PATTERN]` as one string. */
export function renderSipShowPeers(directory: PeerDirectory, like?: string): string {
  return [...sipShowPeersLines(directory, like)].join('');
}
