import type { PeerDirectory } from '../peers/peer-directory.js';
import { column, likePattern, yesNo } from './printf-columns.js';

// chan_sip sip_show_users(): "%-25.25s  %-15.15s  %-15.15s  %-15.15s  %-5.5s%-10.10s\n"
function usersLine(name: string, secret: string, accountcode: string, context: string, acl: string, forcerport: string): string {
  return `${column(name, 25, 25)}  ${column(secret, 15, 15)}  ${column(accountcode, 15, 15)}  ${column(context, 15, 15)}  ${column(acl, 5, 5)}${column(forcerport, 10, 10)}\n`;
}

/**
 * `sip show users [like PATTERN]` (chan_sip sip_show_users()): user-flagged devices in
 * definition order, with the secret in clear text as chan_sip prints it.
 */
export function renderSipShowUsers(directory: PeerDirectory, like?: string): string {
  const pattern = likePattern(like);
  if (pattern === undefined) {
    return 'Usage: sip show users [like <pattern>]\n       Lists all known SIP users.\n       Optional regular expression pattern is used to filter the user list.\n';
  }
  let text = usersLine('Username', 'Secret', 'Accountcode', 'Def.Context', 'ACL', 'Forcerport');
  for (const peer of directory.peers()) {
    if (!peer.settings.isUser || (pattern !== null && !pattern.test(peer.name))) continue;
    text += usersLine(peer.name, peer.settings.secret, peer.settings.accountcode, peer.settings.context, yesNo(peer.hasAcl), yesNo(peer.forceRport));
  }
  return text;
}
