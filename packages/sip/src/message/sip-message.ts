import { SipError } from '../sip-error.js';
import { splitCommaList } from '../internal/scan.js';
import type { MessageSource } from '../transport/transport-types.js';
import { parseCSeq, type CSeq } from './cseq.js';
import { getParam, type GenericParam } from './generic-param.js';
import { parseNameAddr, parseNameAddrList, type NameAddr } from './name-addr.js';
import { SipHeaders } from './sip-headers.js';
import { tryParseUri, type SipUri } from './sip-uri.js';
import { parseVia, parseViaList, type Via } from './via.js';
import { parseParamList } from '../internal/scan.js';

/** Session-Expires (RFC 4028 §4): interval and optional refresher. */
export interface SessionExpires {
  delta: number;
  refresher?: 'uac' | 'uas';
  params: GenericParam[];
}

/** Content-Type split into media type (lower case) and parameters. */
export interface ContentType {
  /** `type/subtype` in lower case, e.g. `application/sdp`. */
  mediaType: string;
  params: GenericParam[];
}

/** A value parsed from one header line, kept while that line is unchanged. */
interface ParsedLine<T> {
  readonly line: string;
  readonly value: T;
}

/**
 * What requests and responses share: headers, body, the optional transport source, and typed
 * accessors for what a B2BUA reads. Accessors parse the header text on each call, so they
 * always reflect the current headers; the few read on every message by the transaction layer
 * (top Via, From/To tags) keep their last result for as long as the header line is the same
 * string.
 */
export abstract class SipMessageBase {
  /** Headers in wire order. */
  headers: SipHeaders;
  /** The body bytes; Content-Length is computed from it when serializing. */
  body: Buffer;
  /** Where the message came from, when a transport delivered it. */
  source: MessageSource | undefined;
  #topVia: ParsedLine<Via> | undefined;
  #fromTag: ParsedLine<string | undefined> | undefined;
  #toTag: ParsedLine<string | undefined> | undefined;

  protected constructor(headers: SipHeaders, body: Buffer, source: MessageSource | undefined) {
    this.headers = headers;
    this.body = body;
    this.source = source;
  }

  /** The body decoded as UTF-8. */
  get bodyText(): string {
    return this.body.toString('utf8');
  }

  /** Call-ID. @throws {@link SipError} `missing-header` when absent. */
  get callId(): string {
    return this.#required('Call-ID').trim();
  }

  /** CSeq. @throws {@link SipError} `missing-header` / `invalid-header`. */
  get cseq(): CSeq {
    return parseCSeq(this.#required('CSeq'));
  }

  /** From. @throws {@link SipError} `missing-header` / `invalid-header` / `invalid-uri`. */
  get from(): NameAddr {
    return parseNameAddr(this.#required('From'));
  }

  /** To. @throws {@link SipError} `missing-header` / `invalid-header` / `invalid-uri`. */
  get to(): NameAddr {
    return parseNameAddr(this.#required('To'));
  }

  /** Every Via value, top first, across repeated lines and comma-joined values. */
  get vias(): Via[] {
    return this.headers.getAll('Via').flatMap(parseViaList);
  }

  /**
   * The top Via, parsed once per Via line (several transaction steps read it per message): do
   * not modify it, change the headers instead. @throws {@link SipError} `missing-header` when
   * there is none.
   */
  get topVia(): Readonly<Via> {
    const first = this.headers.get('Via');
    if (first === undefined) throw new SipError('missing-header', 'No Via header', { status: 400 });
    if (this.#topVia?.line === first) return this.#topVia.value;
    const value = splitCommaList(first)[0];
    if (value === undefined) throw new SipError('invalid-header', 'Empty Via header', { status: 400 });
    const via = parseVia(value);
    this.#topVia = { line: first, value: via };
    return via;
  }

  /**
   * The `tag` of From (`getTag(message.from)`, kept per From line: transaction and dialog keys
   * read it several times per message). @throws as {@link from}.
   */
  get fromTag(): string | undefined {
    this.#fromTag = this.#tagOf('From', this.#fromTag);
    return this.#fromTag.value;
  }

  /** The `tag` of To (`getTag(message.to)`), kept per To line. @throws as {@link to}. */
  get toTag(): string | undefined {
    this.#toTag = this.#tagOf('To', this.#toTag);
    return this.#toTag.value;
  }

  /** The `tag` of the From or To line: `cached` while the line is the same string, parsed anew otherwise. */
  #tagOf(name: 'From' | 'To', cached: ParsedLine<string | undefined> | undefined): ParsedLine<string | undefined> {
    const line = this.#required(name);
    return cached?.line === line ? cached : { line, value: getParam(parseNameAddr(line).params, 'tag') ?? undefined };
  }

  /** True for `Contact: *` (the unregister-all form, RFC 3261 §10.2.2). */
  get contactWildcard(): boolean {
    const lines = this.headers.getAll('Contact');
    return lines.length === 1 && lines[0]?.trim() === '*';
  }

  /** Every Contact address across lines and comma lists (empty for none or for `*`). */
  get contacts(): NameAddr[] {
    return this.contactWildcard ? [] : this.headers.getAll('Contact').flatMap(parseNameAddrList);
  }

  /** The first Contact address, or `undefined` (none, or `*`). */
  get contact(): NameAddr | undefined {
    return this.contacts[0];
  }

  /** Max-Forwards, or `undefined` when absent or not a number (chan_sip ignores a bad one). */
  get maxForwards(): number | undefined {
    return this.#integer('Max-Forwards');
  }

  /** Expires (delta seconds), or `undefined` when absent or not a number. */
  get expires(): number | undefined {
    return this.#integer('Expires');
  }

  /** Route entries, top first. */
  get routes(): NameAddr[] {
    return this.headers.getAll('Route').flatMap(parseNameAddrList);
  }

  /** Record-Route entries, top first. */
  get recordRoutes(): NameAddr[] {
    return this.headers.getAll('Record-Route').flatMap(parseNameAddrList);
  }

  /** Path entries (RFC 3327), top first. */
  get paths(): NameAddr[] {
    return this.headers.getAll('Path').flatMap(parseNameAddrList);
  }

  /** Option tags of Supported, lower case. */
  get supported(): string[] {
    return this.#tokens('Supported');
  }

  /** Option tags of Require, lower case. */
  get require(): string[] {
    return this.#tokens('Require');
  }

  /** Methods listed in Allow, upper case. */
  get allow(): string[] {
    return this.headers.getAll('Allow').flatMap(splitCommaList).map((method) => method.toUpperCase());
  }

  /** Session-Expires (RFC 4028), or `undefined` when absent or unparsable. */
  get sessionExpires(): SessionExpires | undefined {
    const value = this.headers.get('Session-Expires');
    if (value === undefined) return undefined;
    const match = /^\s*(\d+)\s*(?:;(.*))?$/s.exec(value);
    if (!match) return undefined;
    const params = parseParamList(match[2] ?? '');
    const refresher = getParam(params, 'refresher')?.toLowerCase();
    const result: SessionExpires = { delta: Number(match[1]), params };
    if (refresher === 'uac' || refresher === 'uas') result.refresher = refresher;
    return result;
  }

  /** Min-SE (RFC 4028) seconds, or `undefined`. */
  get minSe(): number | undefined {
    const value = this.headers.get('Min-SE');
    const match = value === undefined ? null : /^\s*(\d+)/.exec(value);
    return match ? Number(match[1]) : undefined;
  }

  /** Content-Type, or `undefined` when absent. */
  get contentType(): ContentType | undefined {
    const value = this.headers.get('Content-Type');
    if (value === undefined) return undefined;
    const semicolon = value.indexOf(';');
    const mediaType = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
    return { mediaType, params: semicolon < 0 ? [] : parseParamList(value.slice(semicolon + 1)) };
  }

  /** User-Agent text, or `undefined`. */
  get userAgent(): string | undefined {
    return this.headers.get('User-Agent')?.trim();
  }

  /** Remote-Party-ID (draft-ietf-sip-privacy), or `undefined` when absent or unparsable. */
  get remotePartyId(): NameAddr | undefined {
    return this.#optionalNameAddr('Remote-Party-ID');
  }

  /** P-Asserted-Identity entries (RFC 3325); entries that do not parse are skipped. */
  get pAssertedIdentities(): NameAddr[] {
    return this.headers
      .getAll('P-Asserted-Identity')
      .flatMap(splitCommaList)
      .flatMap((value) => {
        try {
          return [parseNameAddr(value)];
        } catch {
          return [];
        }
      });
  }

  /** Refer-To (RFC 3515), or `undefined` when absent or unparsable. */
  get referTo(): NameAddr | undefined {
    return this.#optionalNameAddr('Refer-To');
  }

  #required(name: string): string {
    const value = this.headers.get(name);
    if (value === undefined || value.trim().length === 0) {
      throw new SipError('missing-header', `No ${name} header`, { status: 400 });
    }
    return value;
  }

  #integer(name: string): number | undefined {
    const value = this.headers.get(name)?.trim();
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  }

  #tokens(name: string): string[] {
    return this.headers.getAll(name).flatMap(splitCommaList).map((tag) => tag.toLowerCase());
  }

  #optionalNameAddr(name: string): NameAddr | undefined {
    const value = this.headers.get(name);
    if (value === undefined) return undefined;
    try {
      return parseNameAddr(value);
    } catch {
      return undefined;
    }
  }
}

/** A SIP request (RFC 3261 §7.1). */
export class SipRequest extends SipMessageBase {
  /** Discriminant of {@link SipMessage}. */
  readonly kind = 'request' as const;
  /** Method as written, e.g. `INVITE` (extension methods keep their text). */
  method: string;
  /** Request-URI text as written on the start line. */
  uri: string;
  /** Protocol version of the start line, normally `SIP/2.0`. */
  version: string;

  constructor(init: {
    method: string;
    uri: string;
    headers?: SipHeaders;
    body?: Buffer | string;
    version?: string;
    source?: MessageSource;
  }) {
    super(init.headers ?? new SipHeaders(), toBuffer(init.body), init.source);
    this.method = init.method;
    this.uri = init.uri;
    this.version = init.version ?? 'SIP/2.0';
  }

  /** The Request-URI parsed, or `undefined` when it is not a sip/sips/tel URI. */
  get requestUri(): SipUri | undefined {
    return tryParseUri(this.uri);
  }
}

/** A SIP response (RFC 3261 §7.2). */
export class SipResponse extends SipMessageBase {
  /** Discriminant of {@link SipMessage}. */
  readonly kind = 'response' as const;
  status: number;
  reason: string;
  /** Protocol version of the status line, normally `SIP/2.0`. */
  version: string;

  constructor(init: {
    status: number;
    reason: string;
    headers?: SipHeaders;
    body?: Buffer | string;
    version?: string;
    source?: MessageSource;
  }) {
    super(init.headers ?? new SipHeaders(), toBuffer(init.body), init.source);
    this.status = init.status;
    this.reason = init.reason;
    this.version = init.version ?? 'SIP/2.0';
  }
}

/** A request or a response; narrow on `kind`. */
export type SipMessage = SipRequest | SipResponse;

function toBuffer(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
