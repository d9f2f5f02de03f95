import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RegistrarError } from '../registrar-error.js';
import { AstDb } from './ast-db.js';
import { BindingStore } from './binding-store.js';
import { GroupCommit } from './group-commit.js';

/** How the embedded store is opened. */
export interface EmbeddedStoreOptions {
  /** The `--data-dir`; the database is `<dataDir>/tandem.sqlite` (created if missing). */
  readonly dataDir: string;
  /**
   * SQLite's `synchronous` setting. `full` (default) fsyncs the WAL at every commit, so an
   * acknowledged write survives a power cut; `normal` survives a process crash only.
   */
  readonly synchronous?: 'full' | 'normal';
}

/**
 * Tandem's embedded store: one SQLite file under `--data-dir` (WAL mode), holding the astdb
 * family/key/value table (`AstDb`, what Asterisk keeps in astdb.sqlite3) and the persisted
 * registrations (`BindingStore`, what chan_sip keeps under `SIP/Registry`).
 *
 * Writes are applied at once (reads see them) inside a transaction that is committed on the
 * next turn of the event loop, so every write made during one turn shares one fsync (group
 * commit). `durable()` resolves when what was written so far is committed: the registrar
 * awaits it before answering 200, so nothing acknowledged can be lost by a crash.
 */
export class EmbeddedStore {
  /** Path of the SQLite file. */
  readonly path: string;
  /** The astdb family/key/value store (DB(), `database show/put/del/deltree`). */
  readonly astDb: AstDb;
  /** Persisted registrations of peers. */
  readonly bindings: BindingStore;
  readonly #db: Database.Database;
  readonly #commit: GroupCommit;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
    this.#commit = new GroupCommit(db);
    this.astDb = new AstDb(db, this.#commit);
    this.bindings = new BindingStore(db, this.#commit);
  }

  /** Opens (creating if needed) `<dataDir>/tandem.sqlite`. Throws `RegistrarError('store-failed')`. */
  static open(options: EmbeddedStoreOptions): EmbeddedStore {
    const path = join(options.dataDir, 'tandem.sqlite');
    let db: Database.Database | undefined;
    try {
      mkdirSync(options.dataDir, { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.pragma('busy_timeout = 5000');
      return new EmbeddedStore(path, db);
    } catch (cause) {
      db?.close();
      throw new RegistrarError('store-failed', `cannot open the embedded store ${path}: ${String(cause)}`, { cause });
    }
  }

  /** Resolves once every write made so far is committed to disk. */
  durable(): Promise<void> {
    return this.#commit.durable();
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return !this.#db.open;
  }

  /** Commits what is pending and closes the file. Later use throws `store-closed`. */
  close(): void {
    if (!this.#db.open) {
      return;
    }
    this.#commit.commitNow();
    this.#db.close();
  }
}
