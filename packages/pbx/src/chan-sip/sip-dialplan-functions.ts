import { splitArgs, type DialplanApplication, type DialplanFunction, type DialplanSession, type PbxEngine } from '@tandem/dialplan';
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
      // sip_find_peer(FINDPEERS): user-only sections are not peers.
      const peer = sip.directory.get(name);
      if (peer === undefined || !peer.settings.isPeer) return '';
      const settings = peer.settings;
      const target = peer.target();
      const chanvar = /^chanvar\[(.+)\]$/i.exec(item);
      // chanvar[NAME]: case-insensitive, the last matching setvar= wins.
      if (chanvar) return settings.setvars.filter((entry) => entry.name.toLowerCase() === (chanvar[1] ?? '').toLowerCase()).at(-1)?.value ?? '';
      const codecIndex = /^codec\[(\d+)\]$/i.exec(item);
      if (codecIndex) return settings.codecs[Number(codecIndex[1])]?.name ?? '';
      switch (item.toLowerCase()) {
        case 'ip':
          // ast_sockaddr_stringify_addr() of an unset address.
          return target?.address ?? '(null)';
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
          return settings.codecs.length === 0 ? '(nothing)' : `(${settings.codecs.map((codec) => codec.name).join('|')})`;
        case 'encryption':
          return settings.encryption ? '1' : '0';
        default:
          return '';
      }
    },
  };
}

/** `ip:port` as ast_sockaddr_stringify() prints it (IPv6 in brackets). */
function socketAddress(address: string, port: number): string {
  return `${formatHost(address)}:${port}`;
}

/** rtpqos fields Tandem measures (chan_sip: ast_rtp_instance_get_stats()). */
function rtpQos(channel: SipChannel, field: string, session: DialplanSession): string {
  const stats = channel.session.endpoint.stats();
  switch (field.toLowerCase()) {
    case 'txcount':
      return String(stats.txPackets);
    case 'rxcount':
      return String(stats.rxPackets);
    case 'rxploss':
      return String(stats.lost);
    case 'rxjitter':
      // Asterisk keeps jitter in seconds and prints it with %f.
      return (stats.jitterMs / 1000).toFixed(6);
    case 'rtt':
      return ((stats.rtcp?.rttMs ?? 0) / 1000).toFixed(6);
    default:
      session.log('warning', `Unrecognized argument '${field}' to CHANNEL(rtpqos): Tandem measures txcount, rxcount, rxploss, rxjitter and rtt`);
      return '';
  }
}

/** CHANNEL(item) on a SIP channel (chan_sip sip_acf_channel_read()); undefined for core items. */
function sipChannelItem(session: DialplanSession, channel: SipChannel, args: string): string | undefined {
  const [param = '', type = '', field = ''] = splitArgs(args).map((part) => part.trim());
  const invite = channel.initialInvite;
  const source = invite?.source;
  const media = channel.session;
  const audioOnly = (): boolean => type === '' || type.toLowerCase() === 'audio';
  switch (param.toLowerCase()) {
    case 'peerip':
      return channel.signallingAddress?.address ?? '';
    case 'recvip':
      return source?.remoteAddress ?? '';
    case 'recvport':
      return source === undefined ? '' : String(source.remotePort);
    case 'from': {
      // p->from: the URI inside the From header's brackets.
      const from = invite?.headers.get('From') ?? '';
      return /<([^>]*)>/.exec(from)?.[1] ?? from.split(';')[0] ?? '';
    }
    case 'uri':
      return invite?.contact === undefined ? '' : `${invite.contact.uri.scheme}:${invite.contact.uri.user ? `${invite.contact.uri.user}@` : ''}${formatHost(invite.contact.uri.host)}${invite.contact.uri.port ? `:${invite.contact.uri.port}` : ''}`;
    case 'ruri':
      return invite?.uri ?? '';
    case 'useragent':
      return invite?.userAgent ?? '';
    case 'peername':
      return channel.peer?.name ?? '';
    case 't38passthrough':
      // Tandem negotiates no T.38: the state is always disabled.
      return '0';
    case 'rtpdest':
      if (!audioOnly()) return '';
      // ast_sockaddr_stringify() of an unset address.
      return media.remote === undefined ? '(null)' : socketAddress(media.remote.address, media.remote.port);
    case 'rtpsource': {
      if (!audioOnly()) return '';
      const local = media.endpoint.localAddress;
      // An unspecified bind address shows the address we use toward the party (ast_ouraddrfor()).
      return socketAddress(local === '0.0.0.0' || local === '::' ? media.address : local, media.endpoint.rtpPort);
    }
    case 'rtpqos':
      return audioOnly() ? rtpQos(channel, field || 'all', session) : '';
    default:
      return undefined;
  }
}

/** CHANNEL() with chan_sip's items (sip_acf_channel_read()) after the core ones. */
function sipChannelItems(base: DialplanFunction): DialplanFunction {
  return {
    ...base,
    read(session, args) {
      const channel = session.channel;
      if (channel instanceof SipChannel) {
        const value = sipChannelItem(session, channel, args);
        if (value !== undefined) return value;
      }
      if (base.read === undefined) return '';
      return base.read(session, args);
    },
  };
}

/** SIPDtmfMode(inband|info|shortinfo|rfc2833) (chan_sip sip_dtmfmode()). */
const sipDtmfMode: DialplanApplication = {
  name: 'SIPDtmfMode',
  synopsis: 'Change the dtmfmode for a SIP call.',
  syntax: 'SIPDtmfMode(mode)',
  description: 'Changes how the SIP channel sends and detects DTMF: inband, info, shortinfo or rfc2833.',
  execute(session, data) {
    const channel = session.channel;
    if (!(channel instanceof SipChannel)) {
      session.log('warning', 'Call this application only on SIP incoming calls');
      return 'continue';
    }
    const mode = data.trim().toLowerCase();
    if (mode === 'info' || mode === 'shortinfo' || mode === 'rfc2833' || mode === 'inband') channel.setDtmfMode(mode);
    else session.log('warning', `I don't know about this dtmf mode: ${data}`);
    return 'continue';
  },
};

/** Registers the SIP-specific dialplan functions (and SIPDtmfMode) on an engine. */
export function registerSipDialplanFunctions(engine: PbxEngine, sip: ChanSip): void {
  engine.applications.register(sipDtmfMode, { replace: true });
  engine.functions.register(sipHeader, { replace: true });
  engine.functions.register(sipHeaders, { replace: true });
  engine.functions.register(sipPeer(sip), { replace: true });
  const channelFunction = engine.functions.get('CHANNEL');
  if (channelFunction !== undefined) engine.functions.register(sipChannelItems(channelFunction), { replace: true });
}
