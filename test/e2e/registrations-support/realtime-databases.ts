/**
 * The three realtime backends the realtime end-to-end suite runs against: SQLite (a file in
 * the test's directory), MariaDB/MySQL at 127.0.0.1:3306 and PostgreSQL at 127.0.0.1:5432
 * (root / postgres without password, database `test`, as `.ci/services` sets them up). The
 * servers are reached through a `TcpRelay` so a test can take the database down and bring it
 * back; the SQLite file is taken away by overwriting it in place (Tandem keeps it open).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { sippeersDdl, TcpRelay } from '@tandem/test-support';

/** Backend names as extconfig.conf spells the drivers. */
export type RealtimeBackendName = 'sqlite3' | 'mysql' | 'pgsql';

/** A `sippeers` row as strings (NULL as undefined). */
export type SippeersRow = Readonly<Record<string, string | undefined>>;

/** One database the suite runs against, with a `sippeers` table of its own. */
export interface RealtimeDatabase extends AsyncDisposable {
  readonly name: RealtimeBackendName;
  readonly table: string;
  /** Tandem's extconfig.conf and driver configuration files for this table. */
  configFiles(): Record<string, string>;
  /** Adds a peer row (columns of `sippeers`). */
  insert(row: Record<string, string>): Promise<void>;
  /** The row of peer `name`, or undefined. */
  row(name: string): Promise<SippeersRow | undefined>;
  /** Makes the database unusable for Tandem. */
  takeDown(): Promise<void>;
  /** Makes it usable again. */
  bringBack(): Promise<void>;
}

/** What opening a backend gives: the database, or why its server cannot be used. */
export type RealtimeDatabaseOpening = { readonly database: RealtimeDatabase } | { readonly unavailable: string };

function asRow(record: Record<string, unknown> | undefined): SippeersRow | undefined {
  if (record === undefined) return undefined;
  const row: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(record)) row[key] = value === null || value === undefined ? undefined : String(value);
  return row;
}

const doubleQuote = (name: string): string => `"${name}"`;
const backQuote = (name: string): string => `\`${name}\``;

function uniqueTable(): string {
  return `sippeers_e2e_${process.pid}_${Date.now().toString(36)}`;
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
    insert: async (row) => {
      const names = Object.keys(row);
      admin.prepare(`INSERT INTO "${table}" (${names.map(doubleQuote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...Object.values(row));
    },
    row: async (name) => asRow(admin.prepare<[string], Record<string, unknown>>(`SELECT * FROM "${table}" WHERE name = ?`).get(name)),
    takeDown: async () => {
      saved = readFileSync(file);
      writeFileSync(file, Buffer.alloc(saved.length));
    },
    bringBack: async () => {
      if (saved !== undefined) writeFileSync(file, saved);
      saved = undefined;
    },
    [Symbol.asyncDispose]: async () => {
      admin.close();
    },
  };
}

/** MariaDB/MySQL at 127.0.0.1:3306 through a relay on `relayAddress`. */
async function openMysql(relayAddress: string): Promise<RealtimeDatabaseOpening> {
  const options = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' };
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ ...options, connectTimeout: 2000 });
  } catch (error) {
    return { unavailable: `MariaDB/MySQL not reachable at 127.0.0.1:3306 (user root, database test): ${String(error)}` };
  }
  const table = uniqueTable();
  await admin.query(sippeersDdl(table, 'id INT AUTO_INCREMENT PRIMARY KEY', backQuote));
  const relay = new TcpRelay({ host: options.host, port: options.port }, relayAddress);
  await relay.start();
  return {
    database: {
      name: 'mysql',
      table,
      configFiles: () => ({
        'extconfig.conf': `[settings]\nsippeers => mysql,tandem,${table}\n`,
        'res_config_mysql.conf': `[tandem]\ndbhost=${relay.address}\ndbport=${relay.port}\ndbname=test\ndbuser=root\ndbpass=\n`,
      }),
      insert: async (row) => {
        const names = Object.keys(row);
        await admin.query(`INSERT INTO \`${table}\` (${names.map(backQuote).join(', ')}) VALUES (?)`, [Object.values(row)]);
      },
      row: async (name) => {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE name = ?`, [name]);
        return asRow(rows[0]);
      },
      takeDown: () => relay.stop(),
      bringBack: () => relay.start(),
      [Symbol.asyncDispose]: async () => {
        await relay.stop();
        await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
        await admin.end();
      },
    },
  };
}

/** PostgreSQL at 127.0.0.1:5432 (user postgres, else root) through a relay on `relayAddress`. */
async function openPgsql(relayAddress: string): Promise<RealtimeDatabaseOpening> {
  const failures: string[] = [];
  for (const user of ['postgres', 'root']) {
    const admin = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user, connectionTimeoutMillis: 2000 });
    try {
      await admin.connect();
    } catch (error) {
      failures.push(`${user}: ${String(error)}`);
      continue;
    }
    const table = uniqueTable();
    await admin.query(sippeersDdl(table, 'id SERIAL PRIMARY KEY', doubleQuote));
    const relay = new TcpRelay({ host: '127.0.0.1', port: 5432 }, relayAddress);
    await relay.start();
    return {
      database: {
        name: 'pgsql',
        table,
        configFiles: () => ({
          'extconfig.conf': `[settings]\nsippeers => pgsql,tandem,${table}\n`,
          'res_pgsql.conf': `[general]\ndbhost=${relay.address}\ndbport=${relay.port}\ndbname=test\ndbuser=${user}\n`,
        }),
        insert: async (row) => {
          const names = Object.keys(row);
          await admin.query(`INSERT INTO "${table}" (${names.map(doubleQuote).join(', ')}) VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')})`, Object.values(row));
        },
        row: async (name) => asRow((await admin.query<Record<string, unknown>>(`SELECT * FROM "${table}" WHERE name = $1`, [name])).rows[0]),
        takeDown: () => relay.stop(),
        bringBack: () => relay.start(),
        [Symbol.asyncDispose]: async () => {
          await relay.stop();
          await admin.query(`DROP TABLE IF EXISTS "${table}"`);
          await admin.end();
        },
      },
    };
  }
  return { unavailable: `PostgreSQL not reachable at 127.0.0.1:5432 (database test): ${failures.join('; ')}` };
}

/**
 * Opens backend `name` with a fresh `sippeers` table; the servers' relays listen on
 * `relayAddress`, the SQLite file lives in `dir`.
 */
export async function openRealtimeDatabase(name: RealtimeBackendName, options: { readonly dir: string; readonly relayAddress: string }): Promise<RealtimeDatabaseOpening> {
  switch (name) {
    case 'sqlite3':
      return { database: openSqlite(options.dir) };
    case 'mysql':
      return openMysql(options.relayAddress);
    case 'pgsql':
      return openPgsql(options.relayAddress);
  }
}
