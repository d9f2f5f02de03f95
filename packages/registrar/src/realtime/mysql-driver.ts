import mysql from 'mysql2/promise';
import { silentLogger, type Logger } from '../logger.js';
import type { RealtimeDriver, RealtimeRequirements } from './realtime-driver.js';
import { retryOnce } from './retry-once.js';
import { mysqlDialect } from './sql-dialect.js';
import { SqlRealtimeDriver, type SqlColumn, type SqlConnection } from './sql-realtime-driver.js';

/** A `res_config_mysql.conf` section (`[context]`), as the driver needs it. */
export interface MysqlDriverOptions {
  /** `dbhost` (default 127.0.0.1). */
  readonly host?: string;
  /** `dbport` (default 3306). */
  readonly port?: number;
  /** `dbsock`: a Unix socket, used instead of host/port when set. */
  readonly socketPath?: string;
  /** `dbname`. */
  readonly database: string;
  /** `dbuser`, `dbpass`. */
  readonly user?: string;
  readonly password?: string;
  /** `dbcharset`. */
  readonly charset?: string;
  readonly requirements?: RealtimeRequirements;
  /** How long to wait for a connection before answering "unavailable" (default 2000 ms). */
  readonly connectTimeoutMs?: number;
  /** Connections kept (default 4). */
  readonly poolSize?: number;
  readonly logger?: Logger;
}

/** The `mysql` realtime driver (res_config_mysql) for MySQL and MariaDB, over mysql2. */
export function createMysqlDriver(options: MysqlDriverOptions): RealtimeDriver {
  const where = options.socketPath ?? `${options.host ?? '127.0.0.1'}:${options.port ?? 3306}`;
  const label = `mysql ${options.database}@${where}`;
  return new SqlRealtimeDriver({
    dialect: mysqlDialect,
    connection: new MysqlConnection(options, label),
    requirements: options.requirements ?? 'warn',
    logger: options.logger ?? silentLogger,
    label,
  });
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENOENT',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_NET_READ_ERROR',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_CANT_CONNECT',
]);

function isUnavailable(error: unknown): boolean {
  const details = error as { code?: unknown; fatal?: unknown } | null;
  if (details === null || typeof details !== 'object') return false;
  return details.fatal === true || (typeof details.code === 'string' && connectionCodes.has(details.code));
}

const nonTextTypes = /int|decimal|numeric|float|double|real|bit|date|time|year/i;

class MysqlConnection implements SqlConnection {
  readonly #options: MysqlDriverOptions;
  readonly #label: string;
  #pool: mysql.Pool | undefined;

  constructor(options: MysqlDriverOptions, label: string) {
    this.#options = options;
    this.#label = label;
  }

  async query(sql: string, params: readonly (string | null)[]): Promise<Record<string, unknown>[]> {
    return retryOnce(
      this.#label,
      async () => {
        const [rows] = await this.#getPool().execute<mysql.RowDataPacket[]>(sql, [...params]);
        return rows;
      },
      isUnavailable,
    );
  }

  async execute(sql: string, params: readonly (string | null)[]): Promise<number> {
    return retryOnce(
      this.#label,
      async () => {
        const [result] = await this.#getPool().query<mysql.ResultSetHeader>(sql, [...params]);
        return result.affectedRows;
      },
      isUnavailable,
    );
  }

  async columns(table: string): Promise<SqlColumn[]> {
    const dot = table.lastIndexOf('.');
    const schemaClause = dot < 0 ? 'DATABASE()' : '?';
    const params = dot < 0 ? [table] : [table.slice(dot + 1), table.slice(0, dot)];
    const rows = await this.query(
      `SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_NAME = ? AND TABLE_SCHEMA = ${schemaClause} ORDER BY ORDINAL_POSITION`,
      params,
    );
    return rows.map((row) => ({ name: String(row['name']), nonText: nonTextTypes.test(String(row['type'])) }));
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #getPool(): mysql.Pool {
    if (this.#pool === undefined) {
      const options = this.#options;
      this.#pool = mysql.createPool({
        ...(options.socketPath === undefined
          ? { host: options.host ?? '127.0.0.1', port: options.port ?? 3306 }
          : { socketPath: options.socketPath }),
        database: options.database,
        user: options.user ?? 'root',
        password: options.password ?? '',
        ...(options.charset === undefined ? {} : { charset: options.charset }),
        connectTimeout: options.connectTimeoutMs ?? 2000,
        connectionLimit: options.poolSize ?? 4,
        maxIdle: options.poolSize ?? 4,
        enableKeepAlive: true,
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
    }
    return this.#pool;
  }
}
