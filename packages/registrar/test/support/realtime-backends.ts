import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createMysqlDriver } from '../../src/realtime/mysql-driver.js';
import { createPgsqlDriver } from '../../src/realtime/pgsql-driver.js';
import type { RealtimeDriver, RealtimeRequirements } from '../../src/realtime/realtime-driver.js';
import { createSqlite3Driver } from '../../src/realtime/sqlite3-driver.js';
import type { Logger } from '../../src/logger.js';
import { TcpRelay } from '@tandem/test-support';
import { renameSync } from 'node:fs';

/** A driver and the switch that takes its database away. */
export interface Outage {
  readonly driver: RealtimeDriver;
  cut(): Promise<void>;
  restore(): Promise<void>;
  dispose(): Promise<void>;
}

async function proxiedOutage(target: { host: string; port: number }, make: (port: number) => RealtimeDriver): Promise<Outage> {
  const proxy = new TcpRelay(target);
  await proxy.start();
  const driver = make(proxy.port);
  return {
    driver,
    cut: () => proxy.stop(),
    restore: () => proxy.start(),
    dispose: async () => {
      await driver.close();
      await proxy.stop();
    },
  };
}

/** One database the realtime suite runs against. */
export interface RealtimeBackend {
  readonly name: 'sqlite3' | 'mysql' | 'pgsql';
  /** Why the server cannot be used, or undefined when it can. */
  readonly unavailableReason: string | undefined;
  /** A driver on the real database. */
  driver(options?: { requirements?: RealtimeRequirements; logger?: Logger }): RealtimeDriver;
  /** A driver pointed where nothing answers. */
  deadDriver(): RealtimeDriver;
  /** A driver whose database can be taken down and brought back (a TCP relay, or the file moved away). */
  outage(): Promise<Outage>;
  /** Runs DDL/DML as an administrator (table setup). */
  admin(sql: string): Promise<void>;
  /** The DDL for an auto-increment primary key column. */
  readonly idColumn: string;
  /** Kills the server-side sessions of our drivers (not of the admin connection); how many. */
  killSessions(): Promise<number>;
  dispose(): Promise<void>;
}

const mysqlOptions = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' };

async function mysqlBackend(): Promise<RealtimeBackend> {
  let admin: mysql.Connection | undefined;
  let reason: string | undefined;
  try {
    admin = await mysql.createConnection({ ...mysqlOptions, connectTimeout: 2000 });
  } catch (error) {
    reason = `MariaDB/MySQL not reachable at 127.0.0.1:3306 (root, database test): ${String(error)}`;
  }
  return {
    name: 'mysql',
    unavailableReason: reason,
    driver: (options = {}) => createMysqlDriver({ ...mysqlOptions, ...options }),
    deadDriver: () => createMysqlDriver({ ...mysqlOptions, port: 1, connectTimeoutMs: 500 }),
    outage: () => proxiedOutage({ host: '127.0.0.1', port: 3306 }, (port) => createMysqlDriver({ ...mysqlOptions, port, connectTimeoutMs: 1000 })),
    admin: async (sql) => {
      await admin?.query(sql);
    },
    idColumn: 'id INT AUTO_INCREMENT PRIMARY KEY',
    killSessions: async () => {
      if (admin === undefined) return 0;
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = 'root' AND DB = 'test' AND ID <> CONNECTION_ID()",
      );
      for (const row of rows) {
        await admin.query(`KILL ${Number(row['id'])}`).catch(() => undefined);
      }
      return rows.length;
    },
    dispose: async () => {
      await admin?.end();
    },
  };
}

async function pgsqlBackend(): Promise<RealtimeBackend> {
  let admin: pg.Client | undefined;
  let user = 'postgres';
  const reasons: string[] = [];
  for (const candidate of ['postgres', 'root']) {
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: candidate, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      admin = client;
      user = candidate;
      break;
    } catch (error) {
      reasons.push(`${candidate}: ${String(error)}`);
    }
  }
  const options = { host: '127.0.0.1', port: 5432, database: 'test', user, applicationName: 'tandem-realtime-test' };
  return {
    name: 'pgsql',
    unavailableReason: admin === undefined ? `PostgreSQL not reachable at 127.0.0.1:5432 (database test): ${reasons.join('; ')}` : undefined,
    driver: (extra = {}) => createPgsqlDriver({ ...options, ...extra }),
    deadDriver: () => createPgsqlDriver({ ...options, port: 1, connectTimeoutMs: 500 }),
    outage: () => proxiedOutage({ host: '127.0.0.1', port: 5432 }, (port) => createPgsqlDriver({ ...options, port, connectTimeoutMs: 1000 })),
    admin: async (sql) => {
      await admin?.query(sql);
    },
    idColumn: 'id SERIAL PRIMARY KEY',
    killSessions: async () => {
      const result = await admin?.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tandem-realtime-test'");
      return result?.rowCount ?? 0;
    },
    dispose: async () => {
      await admin?.end();
    },
  };
}

function sqliteBackend(): RealtimeBackend {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-rt-'));
  const file = join(dir, 'realtime.sqlite');
  const admin = new Database(file);
  admin.pragma('journal_mode = WAL');
  return {
    name: 'sqlite3',
    unavailableReason: undefined,
    driver: (options = {}) => createSqlite3Driver({ file, ...options }),
    deadDriver: () => createSqlite3Driver({ file: join(dir, 'missing', 'nothing.sqlite') }),
    outage: async () => {
      const driver = createSqlite3Driver({ file });
      return {
        driver,
        // The file moved away: the next open fails (fileMustExist), as an unreachable server.
        cut: async () => {
          await driver.close();
          renameSync(file, `${file}.away`);
        },
        restore: async () => renameSync(`${file}.away`, file),
        dispose: () => driver.close(),
      };
    },
    admin: async (sql) => {
      admin.exec(sql);
    },
    idColumn: 'id INTEGER PRIMARY KEY AUTOINCREMENT',
    killSessions: async () => 0,
    dispose: async () => {
      admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The three backends of the realtime suite (servers probed once). */
export async function realtimeBackends(): Promise<RealtimeBackend[]> {
  return [sqliteBackend(), await mysqlBackend(), await pgsqlBackend()];
}

let tableCounter = 0;

/** A table name unique to this test run. */
export function uniqueTableName(prefix: string): string {
  tableCounter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${tableCounter}`;
}
