import { SipError } from '../sip-error.js';
import { formatCSeq } from '../message/cseq.js';
import { formatNameAddr, getTag, withTag, type NameAddr } from '../message/name-addr.js';
import { SipHeaders } from '../message/sip-headers.js';
import { SipRequest, type SipMessage, type SipResponse } from '../message/sip-message.js';
import { cloneUri, formatUri, parseUri, type SipUri } from '../message/sip-uri.js';
import type { TransportProtocol } from '../transport/transport-types.js';
import { formatRouteHeader, isStrictRoute, parseRouteHops, routeHopUri, type RouteHop } from './route-set.js';

/** `early` after a 1xx with a To tag, `confirmed` after a 2xx (RFC 3261 §12), `terminated` after BYE. */
export type DialogState = 'early' | 'confirmed' | 'terminated';

/** What the in-dialog request builders accept. */
export interface InDialogRequestOptions {
  /** Header lines written after the standard ones, in order. */
  readonly headers?: Iterable<readonly [string, string]>;
  readonly contentType?: string;
  readonly body?: Buffer | string;
  /** Max-Forwards (default 70). */
  readonly maxForwards?: number;
}

/** Our side of the dialog, given when it is created. */
export interface DialogLocalSide {
  /** Our Contact (written into requests that carry one). */
  readonly contact?: NameAddr | string;
  /** User-Agent for in-dialog requests (chan_sip writes `useragent` on each). */
  readonly userAgent?: string;
  /** First CSeq we use for our requests minus one (chan_sip starts at 101, so the first is 102). */
  readonly initialCSeq?: number;
}

/** Methods whose requests carry no Contact (chan_sip `reqprep()`: BYE, CANCEL, MESSAGE). */
const withoutContact = new Set(['BYE', 'CANCEL', 'MESSAGE']);
/** Target refresh requests (RFC 3261 §12.2, RFC 3311, RFC 6665). */
const targetRefreshMethods = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY']);

/**
 * A SIP dialog (RFC 3261 §12): Call-ID and tags, local and remote CSeq, route set, remote target
 * and secure flag, with builders for in-dialog requests (loose and strict routing, §12.2.1.1),
 * the remote CSeq check (§12.2.2) and target refresh.
 */
export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** Our From in requests we send (the dialog's local URI, with our tag). */
  readonly local: NameAddr;
  /** Our To in requests we send (the remote URI, with their tag). */
  readonly remote: NameAddr;
  /** RFC 3261 §12.1: TLS and a SIPS Request-URI. */
  readonly secure: boolean;
  /** True when we sent the dialog-creating request. */
  readonly isUac: boolean;
  /** Where in-dialog requests go after the route set (the peer's Contact). */
  remoteTarget: SipUri;
  /** Route set, in the order written into the Route header, each hop as received. */
  routeSet: RouteHop[];
  /** CSeq of our last request. */
  localSeq: number;
  /** CSeq of the peer's last request; undefined until it sends one (UAC side). */
  remoteSeq: number | undefined;
  state: DialogState;
  /** Our Contact and User-Agent. */
  readonly localSide: DialogLocalSide;

  private constructor(init: {
    callId: string;
    local: NameAddr;
    remote: NameAddr;
    secure: boolean;
    isUac: boolean;
    remoteTarget: SipUri;
    routeSet: RouteHop[];
    localSeq: number;
    remoteSeq: number | undefined;
    state: DialogState;
    localSide: DialogLocalSide;
  }) {
    this.callId = init.callId;
    this.local = init.local;
    this.remote = init.remote;
    this.localTag = getTag(init.local) ?? '';
    this.remoteTag = getTag(init.remote) ?? '';
    this.secure = init.secure;
    this.isUac = init.isUac;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.state = init.state;
    this.localSide = init.localSide;
  }

  /**
   * The UAC's dialog from our request and a 1xx (with To tag) or 2xx response (RFC 3261 §12.1.2):
   * route set = Record-Route reversed, remote target = the response's Contact.
   * @throws {@link SipError} `dialog-state` when the response has no To tag or no usable Contact.
   */
  static fromUac(request: SipRequest, response: SipResponse, transport: TransportProtocol, localSide: DialogLocalSide = {}): Dialog {
    const remote = response.to;
    if (getTag(remote) === undefined) throw new SipError('dialog-state', 'The response has no To tag: no dialog');
    return new Dialog({
      callId: request.callId,
      local: request.from,
      remote,
      secure: transport === 'tls' && request.requestUri?.scheme === 'sips',
      isUac: true,
      remoteTarget: contactTarget(response) ?? parseUri(request.uri),
      routeSet: recordRouteOf(response).reverse(),
      localSeq: request.cseq.seq,
      remoteSeq: undefined,
      state: response.status < 200 ? 'early' : 'confirmed',
      localSide,
    });
  }

  /**
   * The UAS's dialog from a dialog-creating request (RFC 3261 §12.1.1): route set = Record-Route
   * in order, remote target = the request's Contact, our To tag added.
   * @throws {@link SipError} `dialog-state` when the request has no usable Contact.
   */
  static fromUas(request: SipRequest, localTag: string, localSide: DialogLocalSide = {}): Dialog {
    const target = contactTarget(request);
    if (target === undefined) throw new SipError('dialog-state', 'The request has no usable Contact: no dialog', { status: 400 });
    return new Dialog({
      callId: request.callId,
      local: withTag(request.to, localTag),
      remote: request.from,
      secure: request.source?.transport === 'tls' && request.requestUri?.scheme === 'sips',
      isUac: false,
      remoteTarget: target,
      routeSet: recordRouteOf(request),
      localSeq: localSide.initialCSeq ?? 101,
      remoteSeq: request.cseq.seq,
      state: 'early',
      localSide,
    });
  }

  /** `call-id;local-tag;remote-tag`, for dialog tables. */
  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /** True when the first route is a strict router (no `;lr`, RFC 3261 §12.2.1.1). */
  get strictRouting(): boolean {
    return isStrictRoute(this.routeSet);
  }

  /** The URI the next request goes to: the first route (read leniently), or the remote target. */
  get nextHop(): SipUri {
    const first = this.routeSet[0];
    return cloneUri((first === undefined ? undefined : routeHopUri(first)) ?? this.remoteTarget);
  }

  /** Moves an early dialog to confirmed on a 2xx; as a UAC, recomputes the route set (RFC 3261 §13.2.2.4). */
  confirm(response?: SipResponse): void {
    if (response !== undefined && this.isUac && this.state === 'early') {
      this.routeSet = recordRouteOf(response).reverse();
      this.refreshTarget(response);
    }
    if (this.state !== 'terminated') this.state = 'confirmed';
  }

  /** Marks the dialog ended (BYE sent or received). */
  terminate(): void {
    this.state = 'terminated';
  }

  /**
   * Builds an in-dialog request (BYE, re-INVITE, INFO, UPDATE, REFER, NOTIFY, MESSAGE, OPTIONS,
   * ...): next CSeq, From/To with tags, Call-ID, Route and Request-URI per loose or strict routing,
   * Contact except on BYE/CANCEL/MESSAGE, in chan_sip's order (`reqprep()`): Route, Max-Forwards,
   * From, To, Contact, Call-ID, CSeq, User-Agent, then the extra headers and Content-Type. The
   * transaction layer adds the Via.
   * @throws {@link SipError} `dialog-state` for ACK or CANCEL (use `createAck`, `buildCancel`).
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    const upper = method.toUpperCase();
    if (upper === 'ACK' || upper === 'CANCEL') {
      throw new SipError('dialog-state', `${upper} is not built with createRequest (use createAck or buildCancel)`);
    }
    if (this.state === 'terminated' && upper !== 'BYE') throw new SipError('dialog-state', `Dialog ${this.id} has ended`);
    this.localSeq += 1;
    return this.#request(upper, this.localSeq, options);
  }

  /**
   * The ACK for a 2xx to our (re-)INVITE (RFC 3261 §13.2.2.4): same CSeq number as the INVITE,
   * routed like any in-dialog request, sent outside a transaction.
   */
  createAck(inviteSeq: number, options: InDialogRequestOptions = {}): SipRequest {
    return this.#request('ACK', inviteSeq, options);
  }

  /**
   * Checks an in-dialog request from the peer (RFC 3261 §12.2.2): a CSeq lower than the last one
   * is out of order (the TU answers 500); otherwise the remote CSeq advances and a target refresh
   * request with a Contact updates the remote target. ACK and CANCEL are not checked.
   */
  receiveRequest(request: SipRequest): 'accepted' | 'out-of-order' {
    const method = request.method.toUpperCase();
    if (method === 'ACK' || method === 'CANCEL') return 'accepted';
    const seq = request.cseq.seq;
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return 'out-of-order';
    this.remoteSeq = seq;
    if (targetRefreshMethods.has(method)) this.refreshTarget(request);
    return 'accepted';
  }

  /** Takes the remote target from the Contact of a target-refresh request or its 2xx. */
  refreshTarget(message: SipMessage): void {
    const target = contactTarget(message);
    if (target !== undefined) this.remoteTarget = target;
  }

  #request(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const headers = new SipHeaders();
    let requestUri: string;
    let route: string | undefined;
    const first = this.routeSet[0];
    if (first !== undefined && this.strictRouting) {
      // RFC 3261 §12.2.1.1 strict routing, as chan_sip reqprep() does it: the first hop, as
      // received, becomes the Request-URI and the remote target goes last in the Route header.
      requestUri = first;
      route = formatRouteHeader([...this.routeSet, formatUri(this.remoteTarget)], 1);
    } else {
      requestUri = formatUri(this.remoteTarget);
      route = formatRouteHeader(this.routeSet);
    }
    // chan_sip add_route(): one Route header, hops joined by commas.
    if (route !== undefined) headers.add('Route', route);
    headers.add('Max-Forwards', String(options.maxForwards ?? 70));
    headers.add('From', formatNameAddr(this.local));
    headers.add('To', formatNameAddr(this.remote));
    const contact = this.localSide.contact;
    if (contact !== undefined && !withoutContact.has(method) && method !== 'ACK') {
      headers.add('Contact', typeof contact === 'string' ? contact : formatNameAddr(contact));
    }
    headers.add('Call-ID', this.callId);
    headers.add('CSeq', formatCSeq({ seq, method }));
    if (this.localSide.userAgent !== undefined) headers.add('User-Agent', this.localSide.userAgent);
    for (const [name, value] of options.headers ?? []) headers.add(name, value);
    if (options.contentType !== undefined) headers.add('Content-Type', options.contentType);
    return new SipRequest({ method, uri: requestUri, headers, ...(options.body === undefined ? {} : { body: options.body }) });
  }
}

/** The dialog id from Call-ID and tags. */
export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId};local=${localTag};remote=${remoteTag}`;
}

/**
 * The dialog id an incoming message belongs to, seen from our side: for a request the local tag
 * is its To tag; for a response to our request it is the From tag.
 */
export function dialogIdOf(message: SipMessage): string {
  const fromTag = message.fromTag ?? '';
  const toTag = message.toTag ?? '';
  return message.kind === 'request' ? dialogId(message.callId, toTag, fromTag) : dialogId(message.callId, fromTag, toTag);
}

function contactTarget(message: SipMessage): SipUri | undefined {
  try {
    const contact = message.contacts[0];
    return contact === undefined ? undefined : cloneUri(contact.uri);
  } catch {
    return undefined;
  }
}

/** The Record-Route hops of a message, top first (chan_sip build_route()). */
function recordRouteOf(message: SipMessage): RouteHop[] {
  return parseRouteHops(message.headers.getAll('Record-Route'));
}
