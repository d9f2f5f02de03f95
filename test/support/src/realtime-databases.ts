/**
 * The three realtime backends Tandem's realtime tests and benchmarks run against: SQLite (a
 * file in a directory of the caller's), MariaDB/MySQL at 127.0.0.1:3306 and PostgreSQL at
 * 127.0.0.1:5432 (root / postgres without password, database `test`, as `.ci/services` sets
 * them up), each with a fresh `sippeers` table. Opened with a relay address, the servers are
 * reached through a `TcpRelay` so a test can take the database down and bring it back; the
 * SQLite file is taken away by overwriting it in place (Tandem keeps it open).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { sippeersDdl } from './sippeers-schema.js';
import { TcpRelay } from './tcp-relay.js';

/** Backend names as extconfig.conf spells the drivers. */
export type RealtimeBackendName = 'sqlite3' | 'mysql' | 'pgsql';

/** A `sippeers` row as strings (NULL as undefined). */
export type SippeersRow = Readonly<Record<string, string | undefined>>;

/** Takes a database away from Tandem and gives it back. */
export interface DatabaseOutage {
  takeDown(): Promise<void>;
  bringBack(): Promise<void>;
}

/** One database with a `sippeers` table of its own (dropped on dispose). */
export interface RealtimeDatabase extends AsyncDisposable {
  readonly name: RealtimeBackendName;
  readonly table: string;
  /** Tandem's extconfig.conf and driver configuration file for this table. */
  configFiles(): Record<string, string>;
  /** Adds peer rows (columns of `sippeers`; every row with the same columns). */
  insert(rows: readonly Record<string, string>[]): Promise<void>;
  /** The row of peer `name`, or undefined. */
  row(name: string): Promise<SippeersRow | undefined>;
  /** How many rows have `column` set to a non-empty value. */
  countSet(column: string): Promise<number>;
  /** Present for SQLite, and for the servers when opened with a relay address. */
  readonly outage: DatabaseOutage | undefined;
}

/** What opening a backend gives: the database, or why its server cannot be used. */
export type RealtimeDatabaseOpening = { readonly database: RealtimeDatabase } | { readonly unavailable: string };

/** Where a backend lives. */
export interface RealtimeDatabaseOptions {
  /** Directory of the SQLite file. */
  readonly dir: string;
  /** Address of a relay in front of MariaDB/PostgreSQL (for outages); direct when absent. */
  readonly relayAddress?: string;
}

const doubleQuote = (name: string): string => `"${name}"`;
const backQuote = (name: string): string => `\`${name}\``;
/** Rows per multi-row INSERT. */
const INSERT_CHUNK = 500;

function asRow(record: Record<string, unknown> | undefined): SippeersRow | undefined {
  if (record === undefined) return undefined;
  const row: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(record)) row[key] = value === null || value === undefined ? undefined : String(value);
  return row;
}

function uniqueTable(): string {
  return `sippeers_t_${process.pid}_${Date.now().toString(36)}`;
}

/** Runs `insertChunk` on slices of `rows`; `columns` are those of the first row. */
async function insertInChunks(rows: readonly Record<string, string>[], insertChunk: (columns: string[], chunk: readonly Record<string, string>[]) => Promise<void>): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) await insertChunk(columns, rows.slice(start, start + INSERT_CHUNK));
}

/** SQLite: `dbfile` in `dir`; down = the file overwritten with zeros, back = its bytes restored. */
function openSqlite(dir: string): RealtimeDatabase {
  const file = join(dir, 'realtime.sqlite');
  const table = uniqueTable();
  const admin = new Database(file);
  admin.pragma('journal_mode = DELETE');
  admin.exec(sippeersDdl(table, 'id INTEGER PRIMARY KEY AUTOINCREMENT', doubleQuote));
  let saved: Buffer | undefined;
  return {
    name: 'sqlite3',
    table,
    configFiles: () => ({
      'extconfig.conf': `[settings]\nsippeers => sqlite3,tandem,${table}\n`,
      'res_config_sqlite3.conf': `[tandem]\ndbfile=${file}\n`,
    }),
    insert: (rows) =>
      insertInChunks(rows, async (columns, chunk) => {
        const statement = admin.prepare(`INSERT INTO "${table}" (${columns.map(doubleQuote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        admin.transaction(() => {
          for (const row of chunk) statement.run(...columns.map((column) => row[column]));
        })();
      }),
    row: async (name) => asRow(admin.prepare<[string], Record<string, unknown>>(`SELECT * FROM "${table}" WHERE name = ?`).get(name)),
    countSet: async (column) => admin.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" IS NOT NULL AND "${column}" <> ''`).get()?.n ?? 0,
    outage: {
      takeDown: async () => {
        saved = readFileSync(file);
        writeFileSync(file, Buffer.alloc(saved.length));
      },
      bringBack: async () => {
        if (saved !== undefined) writeFileSync(file, saved);
        saved = undefined;
      },
    },
    [Symbol.asyncDispose]: async () => {
      admin.close();
    },
  };
}

/** A relay in front of `target` when `relayAddress` is given. */
async function relayFor(target: { host: string; port: number }, relayAddress: string | undefined): Promise<TcpRelay | undefined> {
  if (relayAddress === undefined) return undefined;
  const relay = new TcpRelay(target, relayAddress);
  await relay.start();
  return relay;
}

function outageOf(relay: TcpRelay | undefined): DatabaseOutage | undefined {
  return relay === undefined ? undefined : { takeDown: () => relay.stop(), bringBack: () => relay.start() };
}

/** MariaDB/MySQL at 127.0.0.1:3306. */
async function openMysql(relayAddress: string | undefined): Promise<RealtimeDatabaseOpening> {
  const server = { host: '127.0.0.1', port: 3306 };
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ ...server, user: 'root', password: '', database: 'test', connectTimeout: 2000 });
  } catch (error) {
    return { unavailable: `MariaDB/MySQL not reachable at 127.0.0.1:3306 (user root, database test): ${String(error)}` };
  }
  const table = uniqueTable();
  await admin.query(sippeersDdl(table, 'id INT AUTO_INCREMENT PRIMARY KEY', backQuote));
  const relay = await relayFor(server, relayAddress);
  const reached = relay === undefined ? server : { host: relay.address, port: relay.port };
  return {
    database: {
      name: 'mysql',
      table,
      configFiles: () => ({
        'extconfig.conf': `[settings]\nsippeers => mysql,tandem,${table}\n`,
        'res_config_mysql.conf': `[tandem]\ndbhost=${reached.host}\ndbport=${reached.port}\ndbname=test\ndbuser=root\ndbpass=\n`,
      }),
      insert: (rows) =>
        insertInChunks(rows, async (columns, chunk) => {
          await admin.query(`INSERT INTO \`${table}\` (${columns.map(backQuote).join(', ')}) VALUES ?`, [chunk.map((row) => columns.map((column) => row[column]))]);
        }),
      row: async (name) => {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE name = ?`, [name]);
        return asRow(rows[0]);
      },
      countSet: async (column) => {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE \`${column}\` IS NOT NULL AND \`${column}\` <> ''`);
        return Number(rows[0]?.['n'] ?? 0);
      },
      outage: outageOf(relay),
      [Symbol.asyncDispose]: async () => {
        await relay?.stop();
        await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
        await admin.end();
      },
    },
  };
}

/** PostgreSQL at 127.0.0.1:5432 (user postgres, else root). */
async function openPgsql(relayAddress: string | undefined): Promise<RealtimeDatabaseOpening> {
  const server = { host: '127.0.0.1', port: 5432 };
  const failures: string[] = [];
  for (const user of ['postgres', 'root']) {
    const admin = new pg.Client({ ...server, database: 'test', user, connectionTimeoutMillis: 2000 });
    try {
      await admin.connect();
    } catch (error) {
      failures.push(`${user}: ${String(error)}`);
      continue;
    }
    const table = uniqueTable();
    await admin.query(sippeersDdl(table, 'id SERIAL PRIMARY KEY', doubleQuote));
    const relay = await relayFor(server, relayAddress);
    const reached = relay === undefined ? server : { host: relay.address, port: relay.port };
    return {
      database: {
        name: 'pgsql',
        table,
        configFiles: () => ({
          'extconfig.conf': `[settings]\nsippeers => pgsql,tandem,${table}\n`,
          'res_pgsql.conf': `[general]\ndbhost=${reached.host}\ndbport=${reached.port}\ndbname=test\ndbuser=${user}\n`,
        }),
        insert: (rows) =>
          insertInChunks(rows, async (columns, chunk) => {
            const placeholders = chunk.map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`);
            const values = chunk.flatMap((row) => columns.map((column) => row[column]));
            await admin.query(`INSERT INTO "${table}" (${columns.map(doubleQuote).join(', ')}) VALUES ${placeholders.join(', ')}`, values);
          }),
        row: async (name) => asRow((await admin.query<Record<string, unknown>>(`SELECT * FROM "${table}" WHERE name = $1`, [name])).rows[0]),
        countSet: async (column) => {
          const result = await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" IS NOT NULL AND "${column}"::text <> ''`);
          return Number(result.rows[0]?.n ?? 0);
        },
        outage: outageOf(relay),
        [Symbol.asyncDispose]: async () => {
          await relay?.stop();
          await admin.query(`DROP TABLE IF EXISTS "${table}"`);
          await admin.end();
        },
      },
    };
  }
  return { unavailable: `PostgreSQL not reachable at 127.0.0.1:5432 (database test): ${failures.join('; ')}` };
}

/** Opens backend `name` with a fresh `sippeers` table. */
export async function openRealtimeDatabase(name: RealtimeBackendName, options: RealtimeDatabaseOptions): Promise<RealtimeDatabaseOpening> {
  switch (name) {
    case 'sqlite3':
      return { database: openSqlite(options.dir) };
    case 'mysql':
      return openMysql(options.relayAddress);
    case 'pgsql':
      return openPgsql(options.relayAddress);
  }
}
