import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, createServer as createTlsServer, type Server as TlsServer, type TlsOptions as TlsServerOptions, type TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { SipError } from '../sip-error.js';
import { formatHostPort, ipFamily, isWildcardAddress, normalizeAddress } from './address-family.js';
import { routeLocalAddress } from './local-address.js';
import type { ConnectionLimits, SipConnection } from './sip-connection.js';
import { StreamConnection } from './stream-connection.js';
import { secureContextOptions, type TlsSettings } from './tls-settings.js';
import type { Destination, MessageSource, TransportProtocol } from './transport-types.js';
import { UdpTransport, type TransportSink } from './udp-transport.js';
import { WebSocketConnection } from './websocket-connection.js';

/** What to listen on. TLS and WSS need certificates; WS/WSS may restrict the HTTP path. */
export type ListenOptions =
  | { readonly transport: 'udp'; readonly address: string; readonly port: number }
  | { readonly transport: 'tcp'; readonly address: string; readonly port: number }
  | { readonly transport: 'tls'; readonly address: string; readonly port: number; readonly tls: TlsSettings }
  | { readonly transport: 'ws'; readonly address: string; readonly port: number; readonly path?: string }
  | {
      readonly transport: 'wss';
      readonly address: string;
      readonly port: number;
      readonly tls: TlsSettings;
      readonly path?: string;
    };

/** A bound listener. */
export interface ListenerInfo {
  readonly id: string;
  readonly transport: TransportProtocol;
  /** Bound address (without brackets; may be a wildcard). */
  readonly address: string;
  /** Bound port (the real one when 0 was asked). */
  readonly port: number;
}

/** Options of {@link SipTransportLayer}. */
export interface TransportLayerOptions extends ConnectionLimits {
  /** Give up an outbound TCP/TLS connect after this long (ms). Default 10000. */
  readonly connectTimeoutMs?: number;
  /** Client side TLS for outbound connections (CA to verify servers, optional client certificate). */
  readonly tlsClient?: Partial<TlsSettings>;
}

/** Local side used to send, for Via and Contact. */
export interface LocalEndpoint {
  readonly transport: TransportProtocol;
  /** Address to write in Via/Contact (never a wildcard; without brackets). */
  readonly address: string;
  /** The listening port of that transport (RFC 3261 §18.1.1 sent-by). */
  readonly port: number;
}

/** Events of {@link SipTransportLayer}. */
export interface TransportLayerEvents {
  /** A datagram or one framed stream/WebSocket message. */
  message: [bytes: Buffer, source: MessageSource];
  /** An asynchronous transport failure (never thrown). */
  transportError: [error: SipError];
  /** A connection opened (either direction). */
  connectionOpened: [connection: SipConnection];
  /** A connection closed. */
  connectionClosed: [connection: SipConnection];
}

type Listener =
  | { readonly info: ListenerInfo; readonly kind: 'udp'; readonly socket: UdpTransport }
  | { readonly info: ListenerInfo; readonly kind: 'stream'; readonly server: NetServer | TlsServer }
  | { readonly info: ListenerInfo; readonly kind: 'websocket'; readonly server: HttpServer; readonly wss: WebSocketServer };

const ROUTE_CACHE_MS = 60_000;

/**
 * Tandem's SIP transports: UDP (IPv4/IPv6, several binds), TCP and TLS (Content-Length framing,
 * connection reuse by id and by remote address, CRLF keep-alives, size limit, auth timeout) and
 * WS/WSS (RFC 7118). Every message is emitted with its {@link MessageSource}; bind failures
 * reject `listen()` with a typed error and socket errors become `transportError` events.
 */
export class SipTransportLayer extends EventEmitter<TransportLayerEvents> {
  #options: TransportLayerOptions;
  readonly #listeners: Listener[] = [];
  readonly #connections = new Map<string, SipConnection>();
  readonly #byRemote = new Map<string, SipConnection>();
  readonly #connecting = new Map<string, Promise<SipConnection>>();
  readonly #routeCache = new Map<string, { address: string | undefined; until: number }>();
  /** Inbound TCP/TLS connections not authenticated yet (chan_sip `unauth_sessions`). */
  readonly #unauthenticated = new Set<string>();
  readonly #sink: TransportSink = {
    message: (bytes, source) => this.emit('message', bytes, source),
    error: (error) => this.emit('transportError', error),
  };
  #nextId = 1;
  #closed = false;

  constructor(options: TransportLayerOptions = {}) {
    super();
    this.#options = options;
  }

  /**
   * New limits and client TLS settings (sip reload): connections opened from now on use them,
   * open ones keep theirs.
   */
  reconfigure(options: TransportLayerOptions): void {
    this.#options = options;
  }

  /** Inbound TCP/TLS connections that have not authenticated yet. */
  get unauthenticatedCount(): number {
    return this.#unauthenticated.size;
  }

  /**
   * Opens a listener.
   * @throws {@link SipError} `bind-failed` (address in use or unavailable), `tls-config`.
   */
  async listen(options: ListenOptions): Promise<ListenerInfo> {
    if (this.#closed) throw new SipError('transport-closed', 'The transport layer is closed');
    const id = `${options.transport}-listener-${this.#nextId++}`;
    let listener: Listener;
    switch (options.transport) {
      case 'udp': {
        const socket = await UdpTransport.bind(options.address, options.port, this.#sink, id);
        listener = { kind: 'udp', socket, info: { id, transport: 'udp', address: socket.address, port: socket.port } };
        break;
      }
      case 'tcp':
      case 'tls':
        listener = await this.#listenStream(id, options);
        break;
      case 'ws':
      case 'wss':
        listener = await this.#listenWebSocket(id, options);
        break;
    }
    this.#listeners.push(listener);
    return listener.info;
  }

  /**
   * Closes one listener (a reload that moves `bindaddr`); connections it accepted stay open
   * until they end. Resolves false when no listener has that id.
   */
  async closeListener(id: string): Promise<boolean> {
    const index = this.#listeners.findIndex((listener) => listener.info.id === id);
    const listener = this.#listeners[index];
    if (listener === undefined) return false;
    this.#listeners.splice(index, 1);
    await closeListenerSocket(listener);
    return true;
  }

  /** Every open listener. */
  boundListeners(): ListenerInfo[] {
    return this.#listeners.map((listener) => listener.info);
  }

  /** Every open connection. */
  connections(): SipConnection[] {
    return [...this.#connections.values()];
  }

  /** The connection with this id, if still open. */
  connection(id: string): SipConnection | undefined {
    return this.#connections.get(id);
  }

  /**
   * Replaces the certificates of a TLS or WSS listener (SIGHUP reload); open connections keep
   * theirs.
   * @throws {@link SipError} `invalid-argument` for an unknown or non-TLS listener, `tls-config`.
   */
  setSecureContext(listenerId: string, tls: TlsSettings): void {
    const listener = this.#listeners.find((entry) => entry.info.id === listenerId);
    if (listener === undefined || (listener.info.transport !== 'tls' && listener.info.transport !== 'wss') || listener.kind === 'udp') {
      throw new SipError('invalid-argument', `No TLS listener '${listenerId}'`);
    }
    try {
      (listener.server as TlsServer).setSecureContext(secureContextOptions(tls));
    } catch (error) {
      throw new SipError('tls-config', `Bad TLS material: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Sends one message. UDP leaves from the listener the destination's `connectionId` names (the
   * socket a request came in on) or the first of the right family; TCP/TLS reuse the connection
   * by id, then by remote address, else connect; WS/WSS need an open connection.
   * @throws {@link SipError} `no-route`, `transport-error`, `transport-closed`, `message-too-large`.
   */
  async send(bytes: Buffer, destination: Destination): Promise<MessageSource> {
    if (destination.transport === 'udp') {
      const socket = this.#udpFor(destination);
      await socket.send(bytes, destination.address, destination.port);
      return {
        transport: 'udp',
        remoteAddress: normalizeAddress(destination.address),
        remotePort: destination.port,
        localAddress: socket.address,
        localPort: socket.port,
        connectionId: socket.id,
      };
    }
    const connection = await this.#connectionFor(destination);
    await connection.send(bytes);
    return {
      transport: connection.transport,
      remoteAddress: connection.remoteAddress,
      remotePort: connection.remotePort,
      localAddress: connection.localAddress,
      localPort: connection.localPort,
      connectionId: connection.id,
    };
  }

  /**
   * The address and port to write in Via/Contact for a destination: the listener of that
   * transport and family, with a wildcard bind replaced by the kernel's route source address
   * (chan_sip: `ast_sip_ouraddrfor()` without externaddr, which the TU applies).
   * @throws {@link SipError} `no-route` when no listener of that transport can reach it.
   */
  async localEndpointFor(destination: Pick<Destination, 'transport' | 'address' | 'connectionId'>): Promise<LocalEndpoint> {
    const family = ipFamily(destination.address);
    const listener = this.#listenerFor(destination.transport, family, destination.connectionId);
    if (listener === undefined) throw new SipError('no-route', `No ${destination.transport} listener for ${destination.address}`);
    let address = listener.info.address;
    if (isWildcardAddress(address)) {
      address = (await this.#routeAddress(destination.address)) ?? (family === 6 ? '::1' : '127.0.0.1');
    }
    return { transport: destination.transport, address, port: listener.info.port };
  }

  /** Closes every listener and connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const connection of [...this.#connections.values()]) connection.close();
    await Promise.all(this.#listeners.map(closeListenerSocket));
    this.#listeners.length = 0;
  }

  #udpFor(destination: Destination): UdpTransport {
    const named = this.#listeners.find((listener) => listener.info.id === destination.connectionId);
    if (named?.kind === 'udp') return named.socket;
    const listener = this.#listenerFor('udp', ipFamily(destination.address), undefined);
    if (listener?.kind !== 'udp') throw new SipError('no-route', `No UDP listener can reach ${destination.address}`);
    return listener.socket;
  }

  #listenerFor(transport: TransportProtocol, family: 0 | 4 | 6, listenerId: string | undefined): Listener | undefined {
    const candidates = this.#listeners.filter((listener) => listener.info.transport === transport);
    const named = candidates.find((listener) => listener.info.id === listenerId);
    if (named !== undefined) return named;
    const connection = listenerId === undefined ? undefined : this.#connections.get(listenerId);
    const wanted = connection === undefined ? family : ipFamily(connection.localAddress);
    const sameFamily = candidates.find((listener) => ipFamily(listener.info.address) === wanted);
    // A dual-stack `::` listener also reaches IPv4 destinations.
    return sameFamily ?? candidates.find((listener) => listener.info.address === '::') ?? (wanted === 0 ? candidates[0] : undefined);
  }

  async #routeAddress(remote: string): Promise<string | undefined> {
    const cached = this.#routeCache.get(remote);
    if (cached !== undefined && cached.until > Date.now()) return cached.address;
    const address = await routeLocalAddress(remote);
    this.#routeCache.set(remote, { address, until: Date.now() + ROUTE_CACHE_MS });
    return address;
  }

  async #connectionFor(destination: Destination): Promise<SipConnection> {
    if (destination.connectionId !== undefined) {
      const byId = this.#connections.get(destination.connectionId);
      if (byId?.open === true) return byId;
    }
    const key = remoteKey(destination.transport, destination.address, destination.port);
    const existing = this.#byRemote.get(key);
    if (existing?.open === true) return existing;
    const transport = destination.transport;
    if (transport === 'udp') throw new SipError('invalid-argument', 'UDP has no connections');
    if (transport === 'ws' || transport === 'wss') {
      throw new SipError('no-route', `No open ${destination.transport} connection to ${formatHostPort(destination.address, destination.port)}`);
    }
    const pending = this.#connecting.get(key);
    if (pending !== undefined) return pending;
    const connecting = this.#connect(transport, destination.address, destination.port).finally(() => this.#connecting.delete(key));
    this.#connecting.set(key, connecting);
    return connecting;
  }

  async #connect(transport: 'tcp' | 'tls', address: string, port: number): Promise<SipConnection> {
    if (this.#closed) throw new SipError('transport-closed', 'The transport layer is closed');
    const host = normalizeAddress(address);
    const client = this.#options.tlsClient ?? {};
    const socket: Socket =
      transport === 'tls'
        ? tlsConnect({
            host,
            port,
            rejectUnauthorized: client.verifyServer === true,
            ...(client.ca === undefined ? {} : { ca: client.ca as string | Buffer }),
            ...(client.cert === undefined ? {} : { cert: client.cert }),
            ...(client.key === undefined ? {} : { key: client.key }),
            ...(client.ciphers === undefined ? {} : { ciphers: client.ciphers }),
          })
        : netConnect({ host, port });
    const ready = transport === 'tls' ? 'secureConnect' : 'connect';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('connect timeout')), this.#options.connectTimeoutMs ?? 10_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new SipError('transport-error', `${transport.toUpperCase()} connect to ${formatHostPort(address, port)}: ${error.message}`, { cause: error }));
      };
      socket.once('error', fail);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve();
      });
    });
    return this.#adoptStream(socket, transport, false);
  }

  async #listenStream(id: string, options: Extract<ListenOptions, { transport: 'tcp' | 'tls' }>): Promise<Listener> {
    let server: NetServer | TlsServer;
    if (options.transport === 'tls') {
      server = secureServer(options.tls, createTlsServer);
      server.on('secureConnection', (socket: TLSSocket) => this.#acceptStream(socket, 'tls'));
      server.on('tlsClientError', (error) => this.emit('transportError', new SipError('transport-error', `TLS handshake: ${error.message}`, { cause: error })));
    } else {
      server = createNetServer((socket) => this.#acceptStream(socket, 'tcp'));
    }
    const port = await listenServer(server, options.transport, options.address, options.port);
    server.on('error', (error) => this.emit('transportError', new SipError('transport-error', `${options.transport.toUpperCase()} listener: ${error.message}`, { cause: error })));
    return { kind: 'stream', server, info: { id, transport: options.transport, address: normalizeAddress(options.address), port } };
  }

  async #listenWebSocket(id: string, options: Extract<ListenOptions, { transport: 'ws' | 'wss' }>): Promise<Listener> {
    let server: HttpServer;
    if (options.transport === 'wss') {
      server = secureServer(options.tls, createHttpsServer);
    } else {
      server = createHttpServer();
    }
    const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
    server.on('request', (_request, response) => {
      response.writeHead(426, { Upgrade: 'websocket', Connection: 'Upgrade' }).end('SIP over WebSocket (RFC 7118) only\n');
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((value) => value.trim().toLowerCase());
      const path = (request.url ?? '/').split('?')[0];
      if (!protocols.includes('sip') || (options.path !== undefined && path !== options.path)) {
        // RFC 7118 §4: the `sip` subprotocol is mandatory.
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => this.#adoptWebSocket(ws, request, options.transport, port));
    });
    const port = await listenServer(server, options.transport, options.address, options.port);
    server.on('error', (error) => this.emit('transportError', new SipError('transport-error', `${options.transport.toUpperCase()} listener: ${error.message}`, { cause: error })));
    return { kind: 'websocket', server, wss, info: { id, transport: options.transport, address: normalizeAddress(options.address), port } };
  }

  /**
   * An inbound TCP/TLS session (chan_sip sip_tcp_worker_fn()): beyond `tcpauthlimit` sessions
   * still unauthenticated it is closed at once; otherwise it counts until it authenticates.
   */
  #acceptStream(socket: Socket, transport: 'tcp' | 'tls'): void {
    const limit = this.#options.maxUnauthenticated;
    if (limit !== undefined && this.#unauthenticated.size >= limit) {
      socket.destroy();
      return;
    }
    const connection = this.#adoptStream(socket, transport, true);
    if (connection.open) this.#unauthenticated.add(connection.id);
  }

  #adoptStream(socket: Socket, transport: 'tcp' | 'tls', inbound: boolean): SipConnection {
    const connection = new StreamConnection({
      id: `${transport}-${this.#nextId++}`,
      transport,
      socket,
      inbound,
      sink: this.#sink,
      limits: this.#options,
      onClose: (closed) => this.#forget(closed),
      onAuthenticated: (authenticated) => this.#unauthenticated.delete(authenticated.id),
    });
    return this.#register(connection);
  }

  #adoptWebSocket(ws: WebSocket, request: IncomingMessage, transport: 'ws' | 'wss', listenPort: number): void {
    const socket = request.socket;
    const connection = new WebSocketConnection({
      id: `${transport}-${this.#nextId++}`,
      transport,
      socket: ws,
      remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      local: { address: socket.localAddress ?? '', port: socket.localPort ?? listenPort },
      inbound: true,
      sink: this.#sink,
      limits: this.#options,
      onClose: (closed) => this.#forget(closed),
    });
    this.#register(connection);
  }

  #register(connection: SipConnection): SipConnection {
    this.#connections.set(connection.id, connection);
    this.#byRemote.set(remoteKey(connection.transport, connection.remoteAddress, connection.remotePort), connection);
    this.emit('connectionOpened', connection);
    return connection;
  }

  #forget(connection: SipConnection): void {
    this.#connections.delete(connection.id);
    this.#unauthenticated.delete(connection.id);
    const key = remoteKey(connection.transport, connection.remoteAddress, connection.remotePort);
    if (this.#byRemote.get(key) === connection) this.#byRemote.delete(key);
    this.emit('connectionClosed', connection);
  }
}

/** Creates a TLS or HTTPS server from the settings (`tlsverifyclient` asks for and checks client certificates). */
function secureServer<S>(tls: TlsSettings, create: (options: TlsServerOptions) => S): S {
  try {
    return create({ ...secureContextOptions(tls), requestCert: tls.verifyClient === true, rejectUnauthorized: tls.verifyClient === true });
  } catch (error) {
    throw new SipError('tls-config', `Bad TLS material: ${(error as Error).message}`, { cause: error });
  }
}

function remoteKey(transport: TransportProtocol, address: string, port: number): string {
  return `${transport}|${normalizeAddress(address)}|${port}`;
}

async function listenServer(server: NetServer | HttpServer, transport: TransportProtocol, address: string, port: number): Promise<number> {
  if (ipFamily(address) === 0) throw new SipError('bind-failed', `${transport.toUpperCase()} bind address '${address}' is not an IP address`);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      reject(new SipError('bind-failed', `Cannot bind ${transport.toUpperCase()} ${formatHostPort(address, port)}: ${error.message}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen({ host: normalizeAddress(address), port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address();
  return typeof bound === 'object' && bound !== null ? bound.port : port;
}

/** Stops a listener's socket or server. */
async function closeListenerSocket(listener: Listener): Promise<void> {
  if (listener.kind === 'udp') return listener.socket.close();
  if (listener.kind === 'websocket') listener.wss.close();
  await new Promise<void>((resolve) => listener.server.close(() => resolve()));
}
