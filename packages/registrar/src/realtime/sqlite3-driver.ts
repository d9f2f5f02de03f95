import Database from 'better-sqlite3';
import { silentLogger, type Logger } from '../logger.js';
import type { RealtimeDriver, RealtimeRequirements } from './realtime-driver.js';
import { sqliteDialect } from './sql-dialect.js';
import { SqlRealtimeDriver, toRealtimeError, type SqlColumn, type SqlConnection } from './sql-realtime-driver.js';

/** A `res_config_sqlite3.conf` database section, as the driver needs it. */
export interface Sqlite3DriverOptions {
  /** `dbfile`: the SQLite file (it must exist; realtime never creates a database). */
  readonly file: string;
  readonly requirements?: RealtimeRequirements;
  /** `busy_timeout` in ms (default 1000). */
  readonly busyTimeoutMs?: number;
  readonly logger?: Logger;
}

/** The `sqlite3` realtime driver (res_config_sqlite3) over better-sqlite3. */
export function createSqlite3Driver(options: Sqlite3DriverOptions): RealtimeDriver {
  const label = `sqlite3 ${options.file}`;
  return new SqlRealtimeDriver({
    dialect: sqliteDialect,
    connection: new Sqlite3Connection(options, label),
    requirements: options.requirements ?? 'warn',
    logger: options.logger ?? silentLogger,
    label,
  });
}

const nonTextAffinity = /INT|REAL|FLOA|DOUB|NUM|DEC|DATE|TIME|BOOL/i;

// SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_IOERR, SQLITE_BUSY: the file is not usable right now.
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CANTOPEN|NOTADB|IOERR|BUSY|LOCKED|CORRUPT)/.test(code);
}

class Sqlite3Connection implements SqlConnection {
  readonly #options: Sqlite3DriverOptions;
  readonly #label: string;
  #db: Database.Database | undefined;

  constructor(options: Sqlite3DriverOptions, label: string) {
    this.#options = options;
    this.#label = label;
  }

  async query(sql: string, params: readonly (string | null)[]): Promise<Record<string, unknown>[]> {
    return this.#run((db) => db.prepare<unknown[], Record<string, unknown>>(sql).all(...params));
  }

  async execute(sql: string, params: readonly (string | null)[]): Promise<number> {
    return this.#run((db) => db.prepare(sql).run(...params).changes);
  }

  async columns(table: string): Promise<SqlColumn[]> {
    return this.#run((db) =>
      db
        .prepare<[string], { name: string; type: string }>('SELECT name, type FROM pragma_table_info(?)')
        .all(table)
        .map((column) => ({ name: column.name, nonText: nonTextAffinity.test(column.type) })),
    );
  }

  async close(): Promise<void> {
    this.#db?.close();
    this.#db = undefined;
  }

  #run<T>(work: (db: Database.Database) => T): T {
    try {
      if (this.#db === undefined) {
        const db = new Database(this.#options.file, { fileMustExist: true });
        db.pragma(`busy_timeout = ${this.#options.busyTimeoutMs ?? 1000}`);
        this.#db = db;
      }
      return work(this.#db);
    } catch (error) {
      const wrapped = toRealtimeError(this.#label, error, (cause) => this.#db === undefined || isUnavailable(cause));
      if (wrapped.code === 'realtime-unavailable') {
        this.#db?.close();
        this.#db = undefined;
      }
      throw wrapped;
    }
  }
}
