/**
 * A `sippeers` table as Asterisk's ast-db-manage creates it (contrib/ast-db-manage
 * config/versions: the columns chan_sip reads and writes; enums as VARCHAR so one DDL serves
 * SQLite, MariaDB and PostgreSQL).
 */
const columns: readonly (readonly [string, string])[] = [
  ['name', 'VARCHAR(40) NOT NULL UNIQUE'],
  ['ipaddr', 'VARCHAR(45)'],
  ['port', 'INTEGER'],
  ['regseconds', 'INTEGER'],
  ['defaultuser', 'VARCHAR(40)'],
  ['fullcontact', 'VARCHAR(80)'],
  ['regserver', 'VARCHAR(20)'],
  ['useragent', 'VARCHAR(255)'],
  ['lastms', 'INTEGER'],
  ['host', 'VARCHAR(40)'],
  ['type', 'VARCHAR(6)'],
  ['context', 'VARCHAR(40)'],
  ['permit', 'VARCHAR(95)'],
  ['deny', 'VARCHAR(95)'],
  ['secret', 'VARCHAR(40)'],
  ['md5secret', 'VARCHAR(40)'],
  ['remotesecret', 'VARCHAR(40)'],
  ['transport', 'VARCHAR(20)'],
  ['dtmfmode', 'VARCHAR(10)'],
  ['directmedia', 'VARCHAR(10)'],
  ['nat', 'VARCHAR(29)'],
  ['callgroup', 'VARCHAR(40)'],
  ['pickupgroup', 'VARCHAR(40)'],
  ['language', 'VARCHAR(40)'],
  ['disallow', 'VARCHAR(200)'],
  ['allow', 'VARCHAR(200)'],
  ['insecure', 'VARCHAR(40)'],
  ['callerid', 'VARCHAR(40)'],
  ['mailbox', 'VARCHAR(40)'],
  ['session-timers', 'VARCHAR(10)'],
  ['qualify', 'VARCHAR(40)'],
  ['qualifyfreq', 'INTEGER'],
  ['defaultip', 'VARCHAR(45)'],
  ['callbackextension', 'VARCHAR(40)'],
  ['description', 'VARCHAR(40)'],
  ['call-limit', 'INTEGER'],
  ['fromuser', 'VARCHAR(40)'],
  ['fromdomain', 'VARCHAR(40)'],
  ['path', 'VARCHAR(256)'],
  ['supportpath', 'VARCHAR(3)'],
];

/** CREATE TABLE for a sippeers-shaped table; `quote` quotes identifiers for the database. */
export function sippeersDdl(table: string, idColumn: string, quote: (name: string) => string, omit: readonly string[] = []): string {
  const body = columns.filter(([name]) => !omit.includes(name)).map(([name, type]) => `${quote(name)} ${type}`);
  return `CREATE TABLE ${quote(table)} (${[idColumn, ...body].join(', ')})`;
}
