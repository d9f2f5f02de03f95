import type { OutboundProxy } from '@tandem/config';

/**
 * The resource part of `Dial(SIP/...)` (chan_sip (Asterisk 20): sip_request_call()):
 *
 *   [user[:secret[:md5secret[:authname[:transport]]]]@]peer-or-host[:port][/exten[/next-hop]]
 *   [!touser[@todomain][!fromuser[@fromdomain]]]
 *
 * plus Tandem's full SIP URI form `sip:user@host[:port][;params]` (the seed page's "SIP URI dialing").
 */

/** A parsed SIP dial string. */
export interface SipDialString {
  /** Peer name, IP address or domain (with `:port` kept, which prevents a peer-name match). */
  readonly peerOrHost: string;
  /** The user part of the Request-URI (dialled extension), if any. */
  readonly exten?: string;
  /** Credentials given in the dial string. */
  readonly secret?: string;
  readonly md5secret?: string;
  readonly authName?: string;
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** Per-call outbound proxy (`/next-hop`). */
  readonly nextHop?: string;
  /** `!touser[@todomain]`: To header (and DNID). */
  readonly toUser?: string;
  readonly toDomain?: string;
  /** `!fromuser[@fromdomain]`: From header. */
  readonly fromUser?: string;
  readonly fromDomain?: string;
  /** A full `sip:`/`sips:` URI to call as given. */
  readonly uri?: string;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Parses a SIP dial string; `undefined` when nothing is left to call. */
export function parseSipDialString(resource: string): SipDialString | undefined {
  let rest = resource.trim();
  let toUser: string | undefined;
  let toDomain: string | undefined;
  let fromUser: string | undefined;
  let fromDomain: string | undefined;

  const bang = rest.indexOf('!');
  if (bang >= 0) {
    const [to = '', from = ''] = rest.slice(bang + 1).split('!');
    rest = rest.slice(0, bang);
    const toAt = to.indexOf('@');
    toUser = nonEmpty(toAt >= 0 ? to.slice(0, toAt) : to);
    toDomain = nonEmpty(toAt >= 0 ? to.slice(toAt + 1) : undefined);
    const fromAt = from.indexOf('@');
    fromUser = nonEmpty(fromAt >= 0 ? from.slice(0, fromAt) : from);
    fromDomain = nonEmpty(fromAt >= 0 ? from.slice(fromAt + 1) : undefined);
  }
  if (rest === '') return undefined;
  const extras = {
    ...(toUser !== undefined && { toUser }),
    ...(toDomain !== undefined && { toDomain }),
    ...(fromUser !== undefined && { fromUser }),
    ...(fromDomain !== undefined && { fromDomain }),
  };

  if (/^sips?:/i.test(rest)) {
    return { peerOrHost: '', uri: rest, ...extras };
  }

  const [peerPart = '', extenPart, nextHopPart] = rest.split('/');
  const at = peerPart.indexOf('@');
  if (at < 0) {
    return {
      peerOrHost: peerPart,
      ...(nonEmpty(extenPart) !== undefined && { exten: extenPart }),
      ...(nonEmpty(nextHopPart) !== undefined && { nextHop: nextHopPart }),
      ...extras,
    };
  }
  const [exten = '', secret, md5secret, authName, transportText] = peerPart.slice(0, at).split(':');
  const transport = transportText === undefined ? undefined : (['tcp', 'tls'].includes(transportText.toLowerCase()) ? transportText.toLowerCase() as 'tcp' | 'tls' : 'udp');
  return {
    peerOrHost: peerPart.slice(at + 1),
    ...(exten !== '' && { exten }),
    ...(nonEmpty(secret) !== undefined && { secret }),
    ...(nonEmpty(md5secret) !== undefined && { md5secret }),
    ...(nonEmpty(authName) !== undefined && { authName }),
    ...(transport !== undefined && { transport }),
    ...(nonEmpty(nextHopPart) !== undefined && { nextHop: nextHopPart }),
    ...extras,
  };
}

/** Splits `host[:port]` (IPv6 in brackets). */
export function splitHostPort(text: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1] ?? '', ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon && /^\d+$/.test(text.slice(colon + 1))) {
    return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
  }
  return { host: text };
}

/**
 * A dial string's `/next-hop` as an outbound proxy for that call (chan_sip
 * proxy_from_config(): `[transport://]host[:port][,force]`); undefined when it is not one.
 */
export function parseNextHop(text: string): OutboundProxy | undefined {
  const comma = text.indexOf(',');
  const force = comma >= 0 && /^\s*force/i.test(text.slice(comma + 1));
  let rest = (comma >= 0 ? text.slice(0, comma) : text).trim();
  let transport: OutboundProxy['transport'] = 'udp';
  const scheme = /^(udp|tcp|tls):\/\//i.exec(rest);
  if (scheme !== null) {
    transport = (scheme[1] ?? 'udp').toLowerCase() as OutboundProxy['transport'];
    rest = rest.slice(scheme[0].length);
  }
  const { host, port } = splitHostPort(rest);
  if (host === '' || (port !== undefined && (port < 1 || port > 65535))) return undefined;
  return { transport, host, ...(port === undefined ? {} : { port }), force };
}
