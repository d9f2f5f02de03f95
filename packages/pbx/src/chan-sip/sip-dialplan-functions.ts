import { splitArgs, type DialplanFunction, type PbxEngine } from '@tandem/dialplan';
import { formatHost } from '@tandem/sip';
import type { ChanSip } from './chan-sip.js';
import { SipChannel } from './sip-channel.js';

/**
 * SIP_HEADER(name[,n]): the n-th (default 1) occurrence of a header in the channel's initial
 * INVITE, compact forms included (chan_sip func_header_read()). Empty on non-SIP channels.
 */
const sipHeader: DialplanFunction = {
  name: 'SIP_HEADER',
  synopsis: 'Gets the specified SIP header from an incoming INVITE message.',
  syntax: 'SIP_HEADER(name[,number])',
  read(session, args) {
    const channel = session.channel;
    if (!(channel instanceof SipChannel)) return '';
    const [name = '', which = '1'] = splitArgs(args);
    const index = Math.max(1, Number.parseInt(which, 10) || 1);
    return channel.initialInvite?.headers.getAll(name.trim())[index - 1] ?? '';
  },
};

/** SIP_HEADERS([prefix]): the names of the INVITE's headers, comma separated (Asterisk 16+). */
const sipHeaders: DialplanFunction = {
  name: 'SIP_HEADERS',
  synopsis: 'Gets the list of SIP header names from an incoming INVITE message.',
  syntax: 'SIP_HEADERS([prefix])',
  read(session, args) {
    const channel = session.channel;
    if (!(channel instanceof SipChannel) || channel.initialInvite === undefined) return '';
    const prefix = args.trim().toLowerCase();
    const names: string[] = [];
    for (const field of channel.initialInvite.headers) {
      if (prefix !== '' && !field.name.toLowerCase().startsWith(prefix)) continue;
      if (!names.some((name) => name.toLowerCase() === field.name.toLowerCase())) names.push(field.name);
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
