import { splitArgs, type DialplanFunction, type DialplanSession, type PbxEngine } from '@tandem/dialplan';
import { formatHost, type SipRequest } from '@tandem/sip';
import type { ChanSip } from './chan-sip.js';
import { SipChannel } from './sip-channel.js';

/** chan_sip (Asterisk 20): aliases[], the compact forms chan_sip knows (full name, letter). */
const CHAN_SIP_ALIASES: readonly (readonly [string, string])[] = [
  ['Content-Type', 'c'],
  ['Content-Encoding', 'e'],
  ['From', 'f'],
  ['Call-ID', 'i'],
  ['Contact', 'm'],
  ['Content-Length', 'l'],
  ['Subject', 's'],
  ['To', 't'],
  ['Supported', 'k'],
  ['Refer-To', 'r'],
  ['Referred-By', 'b'],
  ['Allow-Events', 'u'],
  ['Event', 'o'],
  ['Via', 'v'],
  ['Accept-Contact', 'a'],
  ['Reject-Contact', 'j'],
  ['Request-Disposition', 'd'],
  ['Session-Expires', 'x'],
  ['Identity', 'y'],
  ['Identity-Info', 'n'],
];

/** find_alias(): the compact letter of a full header name (case-insensitive). */
const compactOf = new Map(CHAN_SIP_ALIASES.map(([full, letter]) => [full.toLowerCase(), letter]));
/** find_full_alias(): the full name of a compact letter. */
const fullNameOf = new Map(CHAN_SIP_ALIASES.map(([full, letter]) => [letter, full]));

/** The initial INVITE of a SIP channel, or undefined (with chan_sip's warning) for other channels. */
function initialInviteOf(session: DialplanSession): SipRequest | undefined {
  const channel = session.channel;
  if (!(channel instanceof SipChannel)) {
    session.log('warning', 'This function can only be used on SIP channels.');
    return undefined;
  }
  return channel.initialInvite;
}

/**
 * SIP_HEADER(name[,n]): the n-th (default 1) header line called `name` (case-insensitive) in
 * the channel's initial INVITE; a full name also matches its compact form, a compact letter only
 * itself (chan_sip func_header_read(), __get_header(), find_alias()). Empty when absent.
 */
const sipHeader: DialplanFunction = {
  name: 'SIP_HEADER',
  synopsis: 'Gets the specified SIP header from an incoming INVITE message.',
  syntax: 'SIP_HEADER(name[,number])',
  read(session, args) {
    const [name = '', which = ''] = splitArgs(args);
    if (args === '') {
      session.log('warning', 'This function requires a header name.');
      return '';
    }
    const invite = initialInviteOf(session);
    if (invite === undefined) return '';
    const number = Math.max(1, Number.parseInt(which, 10) || 1);
    const wanted = name.toLowerCase();
    const compact = compactOf.get(wanted);
    const values = [...invite.headers].filter((field) => {
      const header = field.name.toLowerCase();
      return header === wanted || header === compact;
    });
    return values[number - 1]?.value ?? '';
  },
};

/**
 * SIP_HEADERS([prefix]): the names of the initial INVITE's headers that begin with `prefix`
 * (case-sensitive; `*` or nothing = all), compact names in full form, each once, comma
 * separated (chan_sip func_headers_read2()).
 */
const sipHeaders: DialplanFunction = {
  name: 'SIP_HEADERS',
  synopsis: 'Gets the list of SIP header names from an incoming INVITE message.',
  syntax: 'SIP_HEADERS([prefix])',
  read(session, args) {
    const invite = initialInviteOf(session);
    if (invite === undefined) return '';
    const [pattern = ''] = splitArgs(args);
    const prefix = pattern === '*' ? '' : pattern;
    const names: string[] = [];
    for (const field of invite.headers) {
      if (!field.name.startsWith(prefix)) continue;
      const name = (field.name.length === 1 ? fullNameOf.get(field.name.toLowerCase()) : undefined) ?? field.name;
      if (!names.includes(name)) names.push(name);
    }
    return names.join(',');
  },
};

/** SIPPEER(name[,item]) (chan_sip function_sippeer()). */
function sipPeer(sip: ChanSip): DialplanFunction {
  return {
    name: 'SIPPEER',
    synopsis: 'Gets SIP peer information.',
    syntax: 'SIPPEER(peername[,item])',
    read(_session, args) {
      const [name = '', item = 'ip'] = splitArgs(args).map((part) => part.trim());
      const peer = sip.directory.get(name);
      if (peer === undefined) return '';
      const settings = peer.settings;
      const target = peer.target();
      const chanvar = /^chanvar\[(.+)\]$/i.exec(item);
      if (chanvar) return settings.setvars.find((entry) => entry.name === chanvar[1])?.value ?? '';
      const codecIndex = /^codec\[(\d+)\]$/i.exec(item);
      if (codecIndex) return settings.codecs[Number(codecIndex[1])]?.name ?? '';
      switch (item.toLowerCase()) {
        case 'ip':
          return target?.address ?? '';
        case 'port':
          return target === undefined ? '0' : String(target.port);
        case 'status':
          return peer.status;
        case 'language':
          return settings.language;
        case 'regexten':
          return settings.regexten;
        case 'limit':
          return String(settings.callLimit);
        case 'busylevel':
          return String(settings.busylevel);
        case 'curcalls':
          return String(peer.inUse);
        case 'accountcode':
          return settings.accountcode;
        case 'useragent':
          return peer.binding?.userAgent ?? '';
        case 'maxforwards':
          return String(settings.maxforwards);
        case 'mailbox':
          return settings.mailboxes.join(',');
        case 'context':
          return settings.context;
        case 'expire':
          return peer.binding === undefined ? '-1' : String(Math.max(0, Math.round((peer.binding.expiresAt - Date.now()) / 1000)));
        case 'dynamic':
          return peer.isDynamic ? 'yes' : 'no';
        case 'callerid_name':
          return settings.callerid.name;
        case 'callerid_num':
          return settings.callerid.number;
        case 'callgroup':
          return settings.callgroup.join(',');
        case 'pickupgroup':
          return settings.pickupgroup.join(',');
        case 'namedcallgroup':
          return settings.namedcallgroup.join(',');
        case 'namedpickupgroup':
          return settings.namedpickupgroup.join(',');
        case 'codecs':
          return `(${settings.codecs.map((codec) => codec.name).join('|')})`;
        default:
          return '';
      }
    },
  };
}

/** CHANNEL() with chan_sip's items (sip_acf_channel_read()) added to the core ones. */
function sipChannelItems(base: DialplanFunction): DialplanFunction {
  return {
    ...base,
    read(session, args) {
      const channel = session.channel;
      if (channel instanceof SipChannel) {
        const invite = channel.initialInvite;
        const source = invite?.source;
        switch (args.trim().toLowerCase()) {
          case 'peerip':
            return channel.session.remote?.address ?? source?.remoteAddress ?? '';
          case 'recvip':
            return source?.remoteAddress ?? '';
          case 'recvport':
            return source === undefined ? '' : String(source.remotePort);
          case 'from':
            return invite?.headers.get('From') ?? '';
          case 'uri':
            return invite?.contact === undefined ? '' : `${invite.contact.uri.scheme}:${invite.contact.uri.user ? `${invite.contact.uri.user}@` : ''}${formatHost(invite.contact.uri.host)}${invite.contact.uri.port ? `:${invite.contact.uri.port}` : ''}`;
          case 'ruri':
            return invite?.uri ?? '';
          case 'useragent':
            return invite?.userAgent ?? '';
          case 'peername':
            return channel.peer?.name ?? '';
          case 'callid':
            return channel.callId;
          default:
            break;
        }
      }
      if (base.read === undefined) return '';
      return base.read(session, args);
    },
  };
}

/** Registers the SIP-specific dialplan functions on an engine. */
export function registerSipDialplanFunctions(engine: PbxEngine, sip: ChanSip): void {
  engine.functions.register(sipHeader, { replace: true });
  engine.functions.register(sipHeaders, { replace: true });
  engine.functions.register(sipPeer(sip), { replace: true });
  const channelFunction = engine.functions.get('CHANNEL');
  if (channelFunction !== undefined) engine.functions.register(sipChannelItems(channelFunction), { replace: true });
}
