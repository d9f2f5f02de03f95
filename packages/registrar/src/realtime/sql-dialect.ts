import { RegistrarError } from '../registrar-error.js';
import type { RealtimeColumnRequirement, RealtimeDriverKind } from './realtime-driver.js';

/** What differs between the SQL databases when building statements. */
export interface SqlDialect {
  readonly kind: RealtimeDriverKind;
  /** Quotes a column or table name (validated first). */
  quote(identifier: string): string;
  /** The n-th (1-based) parameter marker. */
  placeholder(index: number): string;
  /** Appended after a LIKE comparison: the backslash is the escape character. */
  readonly likeEscape: string;
  /** Column type for ALTER TABLE ADD with requirements=createclose. */
  closestType(column: RealtimeColumnRequirement): string;
}

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_$-]*$/;

/** Operators accepted after a column name in a criterion (`regseconds >`, `name LIKE`). */
const operators = new Set(['=', '!=', '<>', '<', '>', '<=', '>=', 'LIKE', 'NOT LIKE']);

/** Splits `name OP` into the column and its operator ('=' when none is written). */
export function splitCriterionName(name: string): { column: string; operator: string } {
  const trimmed = name.trim();
  const space = trimmed.indexOf(' ');
  if (space < 0) {
    return { column: checkIdentifier(trimmed), operator: '=' };
  }
  const operator = trimmed.slice(space + 1).trim().replace(/\s+/g, ' ').toUpperCase();
  if (!operators.has(operator)) {
    throw new RegistrarError('invalid-argument', `unsupported realtime operator '${operator}' in '${name}'`);
  }
  return { column: checkIdentifier(trimmed.slice(0, space)), operator };
}

/** Throws `invalid-argument` unless `name` is a plain identifier (columns like `call-limit` allowed). */
export function checkIdentifier(name: string): string {
  if (!identifierPattern.test(name)) {
    throw new RegistrarError('invalid-argument', `invalid realtime column or table name '${name}'`);
  }
  return name;
}

function quoteParts(name: string, open: string, close: string): string {
  return name
    .split('.')
    .map((part) => `${open}${checkIdentifier(part)}${close}`)
    .join('.');
}

function closestStandardType(column: RealtimeColumnRequirement, integerType: (size: number) => string): string {
  switch (column.type) {
    case 'char':
      return `VARCHAR(${Math.max(column.size, 1)})`;
    case 'integer':
    case 'uinteger':
      return integerType(column.size);
    case 'float':
      return 'DOUBLE PRECISION';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
  }
}

/** SQLite (res_config_sqlite3). */
export const sqliteDialect: SqlDialect = {
  kind: 'sqlite3',
  quote: (identifier) => quoteParts(identifier, '"', '"'),
  placeholder: () => '?',
  likeEscape: " ESCAPE '\\'",
  closestType: (column) => (column.type === 'char' ? 'TEXT' : column.type === 'float' ? 'REAL' : closestStandardType(column, () => 'INTEGER')),
};

/** MySQL / MariaDB (res_config_mysql). */
export const mysqlDialect: SqlDialect = {
  kind: 'mysql',
  quote: (identifier) => quoteParts(identifier, '`', '`'),
  placeholder: () => '?',
  likeEscape: " ESCAPE '\\\\'",
  closestType: (column) =>
    closestStandardType(column, (size) => {
      const base = size <= 2 ? 'TINYINT' : size <= 4 ? 'SMALLINT' : size <= 9 ? 'INT' : 'BIGINT';
      return column.type === 'uinteger' ? `${base} UNSIGNED` : base;
    }),
};

/** PostgreSQL (res_config_pgsql). */
export const pgsqlDialect: SqlDialect = {
  kind: 'pgsql',
  quote: (identifier) => quoteParts(identifier, '"', '"'),
  placeholder: (index) => `$${index}`,
  likeEscape: " ESCAPE '\\'",
  closestType: (column) => closestStandardType(column, (size) => (size <= 4 ? 'SMALLINT' : size <= 9 ? 'INTEGER' : 'BIGINT')),
};
