import pg from 'pg';
import { silentLogger, type Logger } from '../logger.js';
import type { RealtimeDriver, RealtimeRequirements } from './realtime-driver.js';
import { retryOnce } from './retry-once.js';
import { pgsqlDialect } from './sql-dialect.js';
import { SqlRealtimeDriver, type SqlColumn, type SqlConnection } from './sql-realtime-driver.js';

/** `res_pgsql.conf` `[general]`, as the driver needs it. */
export interface PgsqlDriverOptions {
  /** `dbhost`/`hostname` (default 127.0.0.1), or a socket directory with `socket`. */
  readonly host?: string;
  /** `dbport` (default 5432). */
  readonly port?: number;
  /** `dbname`. */
  readonly database: string;
  /** `dbuser`, `dbpass`. */
  readonly user?: string;
  readonly password?: string;
  /** `dbappname`. */
  readonly applicationName?: string;
  readonly requirements?: RealtimeRequirements;
  /** How long to wait for a connection before answering "unavailable" (default 2000 ms). */
  readonly connectTimeoutMs?: number;
  /** Connections kept (default 4). */
  readonly poolSize?: number;
  readonly logger?: Logger;
}

/** The `pgsql` realtime driver (res_config_pgsql) over pg. */
export function createPgsqlDriver(options: PgsqlDriverOptions): RealtimeDriver {
  const logger = options.logger ?? silentLogger;
  const label = `pgsql ${options.database}@${options.host ?? '127.0.0.1'}:${options.port ?? 5432}`;
  return new SqlRealtimeDriver({
    dialect: pgsqlDialect,
    connection: new PgsqlConnection(options, label, logger),
    requirements: options.requirements ?? 'warn',
    logger,
    label,
  });
}

// Every value comes back as the text PostgreSQL sent, as libpq gives it to Asterisk.
const rawText: pg.CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as unknown as pg.CustomTypesConfig['getTypeParser'],
};

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENOENT']);

// SQLSTATE class 08 (connection exception), 57P01-03 (admin shutdown, crash, cannot connect now), 53300.
function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (connectionCodes.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300')) {
    return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed/i.test(error.message);
}

const nonTextTypes = /int|numeric|decimal|real|double|float|date|time|bool|serial/i;

class PgsqlConnection implements SqlConnection {
  readonly #options: PgsqlDriverOptions;
  readonly #label: string;
  readonly #logger: Logger;
  #pool: pg.Pool | undefined;

  constructor(options: PgsqlDriverOptions, label: string, logger: Logger) {
    this.#options = options;
    this.#label = label;
    this.#logger = logger;
  }

  async query(sql: string, params: readonly (string | null)[]): Promise<Record<string, unknown>[]> {
    return retryOnce(this.#label, async () => (await this.#getPool().query<Record<string, unknown>>(sql, [...params])).rows, isUnavailable);
  }

  async execute(sql: string, params: readonly (string | null)[]): Promise<number> {
    return retryOnce(this.#label, async () => (await this.#getPool().query(sql, [...params])).rowCount ?? 0, isUnavailable);
  }

  async columns(table: string): Promise<SqlColumn[]> {
    const dot = table.lastIndexOf('.');
    const rows =
      dot < 0
        ? await this.query(
            'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = $1 AND table_schema = ANY(current_schemas(false)) ORDER BY ordinal_position',
            [table],
          )
        : await this.query(
            'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = $1 AND table_schema = $2 ORDER BY ordinal_position',
            [table.slice(dot + 1), table.slice(0, dot)],
          );
    return rows.map((row) => ({ name: String(row['name']), nonText: nonTextTypes.test(String(row['type'])) }));
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #getPool(): pg.Pool {
    if (this.#pool === undefined) {
      const options = this.#options;
      const pool = new pg.Pool({
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 5432,
        database: options.database,
        user: options.user ?? 'postgres',
        ...(options.password === undefined ? {} : { password: options.password }),
        ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
        connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
        max: options.poolSize ?? 4,
        idleTimeoutMillis: 30_000,
        types: rawText,
      });
      // An idle connection the server closed: the pool drops it; log instead of crashing.
      pool.on('error', (error) => this.#logger.warn({ err: error }, `${this.#label}: idle connection lost: ${error.message}`));
      this.#pool = pool;
    }
    return this.#pool;
  }
}
