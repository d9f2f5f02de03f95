import { SipError } from '../sip-error.js';
import { parseParamList, splitCommaList } from '../internal/scan.js';
import { formatParams, getParam, type GenericParam } from './generic-param.js';

/** One Via value (RFC 3261 §20.42): `SIP/2.0/UDP host:port;branch=...;rport;received=...`. */
export interface Via {
  /** Protocol name and version, normally `SIP/2.0`. */
  protocol: string;
  /** Transport in upper case: `UDP`, `TCP`, `TLS`, `WS`, `WSS`, `SCTP`. */
  transport: string;
  /** sent-by host as written (IPv6 in brackets); empty when the sender left it out. */
  host: string;
  port?: number;
  params: GenericParam[];
}

/**
 * Parses one Via value. Lenient as chan_sip is: a missing host gives `host: ''`.
 * @throws {@link SipError} `invalid-header` when the sent-protocol is not `name/version/transport`.
 */
export function parseVia(text: string): Via {
  const match = /^\s*([^/\s]+)\s*\/\s*([^/\s]+)\s*\/\s*([^\s;]+)\s*(.*)$/s.exec(text);
  if (!match) throw new SipError('invalid-header', `Bad Via '${text}'`);
  const [, name = '', version = '', transport = '', remainder = ''] = match;
  const semicolon = remainder.indexOf(';');
  const sentBy = (semicolon < 0 ? remainder : remainder.slice(0, semicolon)).replace(/\(.*\)/s, '').trim();
  const via: Via = {
    protocol: `${name}/${version}`,
    transport: transport.toUpperCase(),
    host: '',
    params: semicolon < 0 ? [] : parseParamList(remainder.slice(semicolon + 1)),
  };
  let portText: string | undefined;
  if (sentBy.startsWith('[')) {
    const close = sentBy.indexOf(']');
    via.host = close < 0 ? sentBy : sentBy.slice(0, close + 1);
    if (close >= 0 && sentBy[close + 1] === ':') portText = sentBy.slice(close + 2);
  } else {
    const colon = sentBy.lastIndexOf(':');
    via.host = colon < 0 ? sentBy : sentBy.slice(0, colon);
    if (colon >= 0) portText = sentBy.slice(colon + 1);
  }
  if (portText !== undefined && /^\d{1,5}$/.test(portText.trim())) via.port = Number(portText.trim());
  return via;
}

/** Parses a Via header line that may hold several comma-separated values. */
export function parseViaList(text: string): Via[] {
  return splitCommaList(text).map(parseVia);
}

/** Writes a Via value. */
export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

/** The `branch` parameter, or `undefined`. */
export function viaBranch(via: Via): string | undefined {
  return getParam(via.params, 'branch') ?? undefined;
}

/**
 * The `rport` parameter (RFC 3581): `undefined` when absent, `null` when present without a
 * value (a request asking for it), a number once filled in.
 */
export function viaRport(via: Via): number | null | undefined {
  const value = getParam(via.params, 'rport');
  if (value === undefined || value === null) return value;
  const port = Number(value);
  return Number.isInteger(port) ? port : null;
}

/** The `received` parameter, or `undefined`. */
export function viaReceived(via: Via): string | undefined {
  return getParam(via.params, 'received') ?? undefined;
}
