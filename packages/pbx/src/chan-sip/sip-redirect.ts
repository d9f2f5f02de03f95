/**
 * The Contact of the 302 that Transfer() sends before the answer (chan_sip (Asterisk 20):
 * sip_sipredirect()): `Transfer <sip:exten@domain>`, the domain taken from the To header of the
 * INVITE when the destination names none. Undefined when there is no extension or no domain.
 */
export function redirectContact(destination: string, toHeader: string): string | undefined {
  const at = destination.indexOf('@');
  const extension = at < 0 ? destination : destination.slice(0, at);
  let domain = at < 0 ? undefined : destination.slice(at + 1);
  if (extension === '') return undefined;
  if (domain === undefined) {
    // sscanf("%255[^<>; ]") after the first '@' following "sip:"/"sips:".
    const uri = /sips?:/i.exec(toHeader);
    const afterScheme = uri === null ? '' : toHeader.slice(uri.index);
    const hostStart = afterScheme.indexOf('@');
    domain = hostStart < 0 ? '' : (/^[^<>; ]*/.exec(afterScheme.slice(hostStart + 1))?.[0] ?? '');
    if (domain === '') return undefined;
  }
  return `Transfer <sip:${extension}@${domain}>`;
}
