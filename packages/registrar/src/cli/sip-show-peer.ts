import type { SipGeneral } from '@tandem/config';
import { formatAddressPort } from '../internal/ip-address.js';
import type { Peer } from '../peers/peer.js';
import { natFlagText, shownAddress } from './sip-show-peers.js';
import { yesNo } from './printf-columns.js';

/** What `sip show peer` needs besides the peer. */
export interface ShowPeerContext {
  readonly general: SipGeneral;
  /** extconfig.conf maps `sippeers` (adds the `Realtime peer` line). */
  readonly realtimeConfigured: boolean;
  /** Seconds until the binding goes (Registrar.secondsUntilExpiry()), -1 when none. */
  readonly expiresIn: number;
}

// main/callerid.c pres_types (ast_describe_caller_presentation()).
const presentations: Readonly<Record<number, string>> = {
  0x00: 'Presentation Allowed, Not Screened',
  0x01: 'Presentation Allowed, Passed Screen',
  0x02: 'Presentation Allowed, Failed Screen',
  0x03: 'Presentation Allowed, Network Number',
  0x20: 'Presentation Prohibited, Not Screened',
  0x21: 'Presentation Prohibited, Passed Screen',
  0x22: 'Presentation Prohibited, Failed Screen',
  0x23: 'Presentation Prohibited, Network Number',
  0x43: 'Number Unavailable',
  0x40: 'Number Unavailable',
  0x42: 'Number Unavailable',
  0x41: 'Number Unavailable',
};

const amaFlags: Readonly<Record<string, string>> = { omit: 'OMIT', billing: 'BILLING', documentation: 'DOCUMENTATION' };
const t38Modes: Readonly<Record<string, string>> = { none: 'None', fec: 'FEC', redundancy: 'Redundancy' };

function secretState(value: string): string {
  return value === '' ? '<Not set>' : '<Set>';
}

/**
 * `sip show peer NAME` (chan_sip _sip_show_peer()): the `  Label        : value` block with
 * chan_sip's labels and value spellings; `undefined` peer gives chan_sip's not-found text.
 */
export function renderSipShowPeer(name: string, peer: Peer | undefined, context: ShowPeerContext): string {
  if (peer === undefined) return `Peer ${name} not found.\n\n`;
  const s = peer.settings;
  const general = context.general;
  const lines: string[] = ['\n', '\n'];
  const add = (label: string, value: string | number) => lines.push(`  ${label}: ${value}\n`);
  add('* Name       ', peer.name);
  add('Description  ', s.description);
  if (context.realtimeConfigured) add('Realtime peer', peer.origin === 'realtime' ? 'Yes, cached' : 'No');
  add('Secret       ', secretState(s.secret));
  add('MD5Secret    ', secretState(s.md5secret));
  add('Remote Secret', secretState(s.remotesecret));
  for (const auth of s.auth) {
    const secret = auth.secret !== undefined && auth.secret !== '' ? '<Secret set>' : auth.md5secret !== undefined && auth.md5secret !== '' ? '<MD5secret set>' : '<Not set>';
    add('Realm-auth   ', `Realm ${auth.realm.slice(0, 15).padEnd(15)} User ${auth.user.slice(0, 20).padEnd(10)} ${secret}`);
  }
  add('Context      ', s.context);
  add('Record On feature ', s.recordOnFeature);
  add('Record Off feature ', s.recordOffFeature);
  add('Subscr.Cont. ', s.subscribecontext === '' ? '<Not set>' : s.subscribecontext);
  add('Language     ', s.language);
  add('Tonezone     ', s.tonezone === '' ? '<Not set>' : s.tonezone);
  if (s.accountcode !== '') add('Accountcode  ', s.accountcode);
  add('AMA flags    ', amaFlags[s.amaflags ?? ''] ?? 'Unknown');
  add('Transfer mode', s.allowtransfer ? 'open' : 'closed');
  add('CallingPres  ', presentations[s.callingpres ?? 0] ?? 'Unknown');
  if (s.fromuser !== '') add('FromUser     ', s.fromuser);
  if (s.fromdomain !== undefined) add('FromDomain   ', `${s.fromdomain.host} Port ${s.fromdomain.port}`);
  add('Callgroup    ', s.callgroup.join(', '));
  add('Pickupgroup  ', s.pickupgroup.join(', '));
  add('Named Callgr ', s.namedcallgroup.join(','));
  add('Nam. Pickupgr', s.namedpickupgroup.join(','));
  add('MOH Suggest  ', s.mohsuggest);
  add('Mailbox      ', s.mailboxes.join(','));
  add('VM Extension ', s.vmexten);
  add('LastMsgsSent ', '0/0');
  add('Call limit   ', s.callLimit);
  add('Max forwards ', s.maxforwards);
  if (s.busylevel > 0) add('Busy level   ', s.busylevel);
  add('Dynamic      ', yesNo(peer.isDynamic));
  // ast_callerid_merge() with chan_sip's (never NULL) string fields: `"name" <number>`.
  add('Callerid     ', `"${s.callerid.name.replace(/(["\\])/g, '\\$1')}" <${s.callerid.number}>`);
  add('MaxCallBR    ', `${s.maxcallbitrate} kbps`);
  add('Expire       ', context.expiresIn);
  add('Insecure     ', s.insecure.port && s.insecure.invite ? 'port,invite' : s.insecure.port ? 'port' : s.insecure.invite ? 'invite' : 'no');
  add('Force rport  ', natFlagText(s.nat.autoForceRport, peer.forceRport));
  add('Symmetric RTP', natFlagText(s.nat.autoComedia, peer.comedia));
  add('ACL          ', yesNo(peer.hasAcl));
  add('ContactACL   ', yesNo(s.contactAcl.rules.length > 0 || s.contactAcl.namedAcls.length > 0));
  add('DirectMedACL ', yesNo(s.directmediaAcl.rules.length > 0 || s.directmediaAcl.namedAcls.length > 0));
  add('T.38 support ', yesNo(s.t38.support !== 'no'));
  add('T.38 EC mode ', t38Modes[s.t38.support] ?? 'Unknown');
  add('T.38 MaxDtgrm', s.t38.maxDatagram ?? 4294967295);
  add('DirectMedia  ', yesNo(s.directmedia.enabled));
  add('PromiscRedir ', yesNo(s.promiscredir));
  add('User=Phone   ', yesNo(s.usereqphone));
  add('Video Support', yesNo(s.videosupport !== 'no'));
  add('Text Support ', yesNo(s.textsupport));
  add('Ign SDP ver  ', yesNo(s.ignoresdpversion));
  add('Trust RPID   ', yesNo(s.trustrpid));
  add('Send RPID    ', yesNo(s.sendrpid !== 'no'));
  add('Path support ', yesNo(s.supportPath));
  if (peer.binding !== undefined && peer.binding.path.length > 0) add('Path         ', peer.binding.path.join(','));
  add('TrustIDOutbnd', s.trustIdOutbound === 'legacy' ? 'Legacy' : s.trustIdOutbound === 'yes' ? 'Yes' : 'No');
  add('Subscriptions', yesNo(s.allowsubscribe));
  add('Overlap dial ', s.allowoverlap === 'yes' ? 'Yes' : s.allowoverlap === 'dtmf' ? 'DTMF' : 'No');
  if (s.outboundproxy !== undefined) {
    const proxy = s.outboundproxy;
    add('Outb. proxy  ', `${proxy.host}${proxy.port === undefined ? '' : `:${proxy.port}`} ${proxy.force ? '(forced)' : ''}`);
  }
  add('DTMFmode     ', s.dtmfmode);
  add('Timer T1     ', peer.t1Ms);
  add('Timer B      ', s.timerB);
  add('ToHost       ', s.host?.kind === 'static' ? s.host.host : '');
  const address = shownAddress(peer);
  add('Addr->IP     ', address === undefined ? '(null)' : formatAddressPort(address.address, address.port));
  add('Defaddr->IP  ', s.defaultip === undefined ? '(null)' : formatAddressPort(s.defaultip, s.port ?? 5060));
  add('Prim.Transp. ', (peer.binding?.transport ?? s.transports[0] ?? 'udp').toUpperCase());
  add('Allowed.Trsp ', s.transports.map((transport) => transport.toUpperCase()).join(','));
  if (general.regcontext.length > 0) add('Reg. exten   ', s.regexten);
  add('Def. Username', peer.defaultUser);
  add('SIP Options  ', '(none)');
  add('Codecs       ', s.codecs.length === 0 ? '(nothing)' : `(${s.codecs.map((codec) => codec.name).join('|')})`);
  add('Auto-Framing ', yesNo(s.autoframing));
  add('Status       ', peer.status);
  add('Useragent    ', peer.binding?.userAgent ?? '');
  add('Reg. Contact ', peer.binding?.contact ?? '');
  add('Qualify Freq ', `${s.qualifyfreq} ms`);
  add('Keepalive    ', `${s.keepalive * 1000} ms`);
  if (s.setvars.length > 0) {
    lines.push('  Variables    :\n');
    for (const variable of s.setvars) lines.push(`                 ${variable.name} = ${variable.value}\n`);
  }
  add('Sess-Timers  ', s.sessionTimers.mode === 'accept' ? 'Accept' : s.sessionTimers.mode === 'originate' ? 'Originate' : 'Refuse');
  add('Sess-Refresh ', s.sessionTimers.refresher);
  add('Sess-Expires ', `${s.sessionTimers.expires} secs`);
  add('Min-Sess     ', `${s.sessionTimers.minSe} secs`);
  add('RTP Engine   ', s.rtpEngine);
  add('Parkinglot   ', s.parkinglot);
  add('Use Reason   ', yesNo(s.useQ850Reason));
  add('Encryption   ', yesNo(s.encryption));
  add('RTCP Mux     ', yesNo(s.rtcpMux));
  lines.push('\n');
  return lines.join('');
}
