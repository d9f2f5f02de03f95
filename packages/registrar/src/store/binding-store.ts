import type Database from 'better-sqlite3';
import type { GroupCommit } from './group-commit.js';

/** Transports a binding can be learnt on. */
export type BindingTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/**
 * A registration as persisted: what chan_sip keeps in astdb `SIP/Registry/<peer>`
 * (`ip:port:expiry:defaultuser:fullcontact`) and `SIP/RegistryPath/<peer>`, plus the
 * absolute expiry so a restart restores only what has not lapsed, and the transport and
 * User-Agent chan_sip loses on restart.
 */
export interface StoredBinding {
  readonly peer: string;
  /** Where requests to the peer go (Contact host, or the packet source with NAT). */
  readonly address: string;
  readonly port: number;
  readonly transport: BindingTransport;
  /** The expiry granted in the 200 OK, in seconds. */
  readonly expirySeconds: number;
  /** Epoch ms at which the registration lapses (registration time + expiry). */
  readonly expiresAt: number;
  /** The peer's defaultuser as learnt from the Contact user (chan_sip `peer->username`). */
  readonly defaultUser: string;
  /** The Contact URI as registered. */
  readonly fullContact: string;
  readonly userAgent: string;
  /** Path header URIs (RFC 3327) when the peer has `supportpath`; empty otherwise. */
  readonly path: readonly string[];
}

interface BindingRow {
  peer: string;
  address: string;
  port: number;
  transport: string;
  expiry_seconds: number;
  expires_at: number;
  default_user: string;
  full_contact: string;
  user_agent: string;
  path: string;
}

const transports: ReadonlySet<string> = new Set(['udp', 'tcp', 'tls', 'ws', 'wss']);

/**
 * Persisted registrations, one row per peer (chan_sip keeps one binding per peer). Written
 * through the embedded store's group commit; await `EmbeddedStore.durable()` before
 * acknowledging a REGISTER.
 */
export class BindingStore {
  readonly #commit: GroupCommit;
  readonly #save: Database.Statement<[BindingRow]>;
  readonly #remove: Database.Statement<[string]>;
  readonly #load: Database.Statement<[string], BindingRow>;
  readonly #all: Database.Statement<[], BindingRow>;
  readonly #count: Database.Statement<[], { n: number }>;

  /** @internal Built by `EmbeddedStore`. */
  constructor(db: Database.Database, commit: GroupCommit) {
    this.#commit = commit;
    db.exec(`CREATE TABLE IF NOT EXISTS sip_registry (
      peer TEXT PRIMARY KEY NOT NULL,
      address TEXT NOT NULL,
      port INTEGER NOT NULL,
      transport TEXT NOT NULL,
      expiry_seconds INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      default_user TEXT NOT NULL,
      full_contact TEXT NOT NULL,
      user_agent TEXT NOT NULL,
      path TEXT NOT NULL
    ) WITHOUT ROWID`);
    this.#save = db.prepare(`INSERT OR REPLACE INTO sip_registry
      (peer, address, port, transport, expiry_seconds, expires_at, default_user, full_contact, user_agent, path)
      VALUES (@peer, @address, @port, @transport, @expiry_seconds, @expires_at, @default_user, @full_contact, @user_agent, @path)`);
    this.#remove = db.prepare('DELETE FROM sip_registry WHERE peer = ?');
    this.#load = db.prepare('SELECT * FROM sip_registry WHERE peer = ?');
    this.#all = db.prepare('SELECT * FROM sip_registry ORDER BY peer');
    this.#count = db.prepare('SELECT COUNT(*) AS n FROM sip_registry');
  }

  /** Stores (replaces) the binding of `binding.peer`. */
  save(binding: StoredBinding): void {
    const row: BindingRow = {
      peer: binding.peer,
      address: binding.address,
      port: binding.port,
      transport: binding.transport,
      expiry_seconds: binding.expirySeconds,
      expires_at: binding.expiresAt,
      default_user: binding.defaultUser,
      full_contact: binding.fullContact,
      user_agent: binding.userAgent,
      path: JSON.stringify(binding.path),
    };
    this.#commit.write(() => this.#save.run(row));
  }

  /** Removes the binding of `peer` (chan_sip destroy_association()); false if there was none. */
  remove(peer: string): boolean {
    return this.#commit.write(() => this.#remove.run(peer).changes > 0);
  }

  /** The stored binding of `peer`, if any (whether lapsed or not). */
  load(peer: string): StoredBinding | undefined {
    const row = this.#commit.read(() => this.#load.get(peer));
    return row === undefined ? undefined : fromRow(row);
  }

  /** Every stored binding, ordered by peer name. */
  all(): StoredBinding[] {
    return this.#commit.read(() => this.#all.all()).map(fromRow);
  }

  /** How many bindings are stored. */
  count(): number {
    return this.#commit.read(() => this.#count.get()?.n ?? 0);
  }
}

function fromRow(row: BindingRow): StoredBinding {
  return {
    peer: row.peer,
    address: row.address,
    port: row.port,
    transport: transports.has(row.transport) ? (row.transport as BindingTransport) : 'udp',
    expirySeconds: row.expiry_seconds,
    expiresAt: row.expires_at,
    defaultUser: row.default_user,
    fullContact: row.full_contact,
    userAgent: row.user_agent,
    path: parsePath(row.path),
  };
}

function parsePath(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
