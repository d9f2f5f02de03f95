import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildExtconfigConf, buildResConfigMysqlConf, buildResConfigSqlite3Conf, buildResPgsqlConf, parseConf } from '@tandem/config';
import { afterEach, describe, expect, it } from 'vitest';
import { isRegistrarError } from '../src/registrar-error.js';
import type { RealtimeDriver, RealtimeRow } from '../src/realtime/realtime-driver.js';
import { RealtimeFamilies } from '../src/realtime/realtime-families.js';
import { createRealtimeFamilies } from '../src/realtime/realtime-from-config.js';
import { createSqlite3Driver } from '../src/realtime/sqlite3-driver.js';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sqliteWith(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-families-'));
  dirs.push(dir);
  const file = join(dir, 'rt.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE sippeers (id INTEGER PRIMARY KEY, name TEXT UNIQUE, host TEXT, secret TEXT, ipaddr TEXT)');
  for (const name of rows) db.prepare("INSERT INTO sippeers (name, host, secret) VALUES (?, 'dynamic', 'pw')").run(name);
  db.close();
  return file;
}

function name(row: RealtimeRow | undefined): string | undefined {
  return row?.find((field) => field.name === 'name')?.value;
}

describe('RealtimeFamilies', () => {
  it('fails over by priority when a row is not found', async () => {
    const first = createSqlite3Driver({ file: sqliteWith(['alice']) });
    const second = createSqlite3Driver({ file: sqliteWith(['bob']) });
    const families = new RealtimeFamilies([
      { family: 'sippeers', driver: second, table: 'sippeers', priority: 2 },
      { family: 'sippeers', driver: first, table: 'sippeers', priority: 1 },
    ]);
    closers.push(() => families.close());
    expect(name(await families.load('sippeers', [{ name: 'name', value: 'alice' }]))).toBe('alice');
    expect(name(await families.load('sippeers', [{ name: 'name', value: 'bob' }]))).toBe('bob');
    expect(await families.load('sippeers', [{ name: 'name', value: 'carol' }])).toBeUndefined();
    expect(families.has('SIPPEERS')).toBe(true);
    expect(families.has('sipregs')).toBe(false);
  });

  it('reports the database as unavailable rather than the row as missing', async () => {
    const dead: RealtimeDriver = createSqlite3Driver({ file: '/nonexistent/dir/rt.sqlite' });
    const alive = createSqlite3Driver({ file: sqliteWith(['bob']) });
    const families = new RealtimeFamilies([
      { family: 'sippeers', driver: dead, table: 'sippeers', priority: 1 },
      { family: 'sippeers', driver: alive, table: 'sippeers', priority: 2 },
    ]);
    closers.push(() => families.close());
    expect(name(await families.load('sippeers', [{ name: 'name', value: 'bob' }]))).toBe('bob');
    await expect(families.load('sippeers', [{ name: 'name', value: 'alice' }])).rejects.toSatisfy(
      (error: unknown) => isRegistrarError(error) && error.code === 'realtime-unavailable',
    );
    await expect(families.load('sipregs', [{ name: 'name', value: 'x' }])).rejects.toSatisfy(
      (error: unknown) => isRegistrarError(error) && error.code === 'realtime-not-configured',
    );
  });
});

describe('createRealtimeFamilies', () => {
  it('maps extconfig.conf families to the res_config_*.conf databases', async () => {
    const file = sqliteWith(['alice']);
    const extconfig = buildExtconfigConf(
      parseConf('[settings]\nsippeers => sqlite3,asterisk,sippeers\nsipregs => odbc,asterisk,sipregs\nvoicemail => sqlite3,asterisk\n', { file: 'extconfig.conf' }),
    ).config;
    const sqlite3 = buildResConfigSqlite3Conf(parseConf(`[asterisk]\ndbfile => ${file}\n`, { file: 'res_config_sqlite3.conf' })).config;
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (_obj: object | string, message?: string) => warnings.push(message ?? '') };
    const families = createRealtimeFamilies(extconfig, { sqlite3, logger });
    if (families === undefined) throw new Error('no families');
    closers.push(() => families.close());
    expect(families.has('sippeers')).toBe(true);
    expect(families.has('sipregs')).toBe(false);
    expect(warnings.join('\n')).toContain("realtime driver 'odbc' is not available in Tandem");
    expect(name(await families.load('sippeers', [{ name: 'name', value: 'alice' }]))).toBe('alice');
    // mysql and pgsql models build drivers too (connections are opened on first use).
    const mysql = buildResConfigMysqlConf(parseConf('[general]\ndbhost = 127.0.0.1\ndbname = test\ndbuser = root\n', { file: 'res_config_mysql.conf' })).config;
    const pgsql = buildResPgsqlConf(parseConf('[general]\ndbhost=127.0.0.1\ndbname=test\ndbuser=postgres\n', { file: 'res_pgsql.conf' })).config;
    const other = createRealtimeFamilies(
      buildExtconfigConf(parseConf('[settings]\nsippeers => mysql,general,sippeers\nsipregs => pgsql,whatever,sipregs\n', { file: 'extconfig.conf' })).config,
      { mysql, pgsql },
    );
    expect(other?.mappings('sippeers')[0]?.driver.kind).toBe('mysql');
    expect(other?.mappings('sipregs')[0]?.driver.kind).toBe('pgsql');
    await other?.close();
  });
});
