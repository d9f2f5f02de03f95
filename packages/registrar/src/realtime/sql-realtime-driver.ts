import type { Logger } from '../logger.js';
import { isRegistrarError, RegistrarError } from '../registrar-error.js';
import { columnToFields } from './realtime-chunks.js';
import type {
  RealtimeColumnRequirement,
  RealtimeCriterion,
  RealtimeDriver,
  RealtimeDriverKind,
  RealtimeField,
  RealtimeRequirements,
  RealtimeRow,
} from './realtime-driver.js';
import { checkIdentifier, splitCriterionName, type SqlDialect } from './sql-dialect.js';

/** A column as the database describes it. */
export interface SqlColumn {
  readonly name: string;
  /** True for numeric and date columns, where an empty string is written as NULL. */
  readonly nonText: boolean;
}

/**
 * One database connection (or pool) as the shared driver needs it. Implementations throw
 * `RegistrarError` with `realtime-unavailable` (cannot reach the server) or
 * `realtime-query-failed` (the server refused the statement).
 */
export interface SqlConnection {
  /** Runs a SELECT; rows are objects whose keys follow the column order. */
  query(sql: string, params: readonly (string | null)[]): Promise<Record<string, unknown>[]>;
  /** Runs INSERT/UPDATE/DELETE/ALTER; returns the affected row count. */
  execute(sql: string, params: readonly (string | null)[]): Promise<number>;
  /** The columns of `table` (empty when the table does not exist). */
  columns(table: string): Promise<SqlColumn[]>;
  close(): Promise<void>;
}

/** What every SQL realtime driver shares: statement building and Asterisk's semantics. */
export class SqlRealtimeDriver implements RealtimeDriver {
  readonly kind: RealtimeDriverKind;
  readonly #dialect: SqlDialect;
  readonly #connection: SqlConnection;
  readonly #requirements: RealtimeRequirements;
  readonly #logger: Logger;
  readonly #label: string;
  readonly #columnCache = new Map<string, Promise<Map<string, SqlColumn>>>();
  readonly #warnedColumns = new Set<string>();

  constructor(options: {
    dialect: SqlDialect;
    connection: SqlConnection;
    requirements: RealtimeRequirements;
    logger: Logger;
    /** Names the database in log lines (`mysql test@127.0.0.1`). */
    label: string;
  }) {
    this.kind = options.dialect.kind;
    this.#dialect = options.dialect;
    this.#connection = options.connection;
    this.#requirements = options.requirements;
    this.#logger = options.logger;
    this.#label = options.label;
  }

  async load(table: string, criteria: readonly RealtimeCriterion[]): Promise<RealtimeRow | undefined> {
    const rows = await this.#select(table, criteria, true);
    const first = rows[0];
    if (first === undefined) {
      return undefined;
    }
    // main/config.c ast_load_realtime_fields(): a lone space stands for an empty value.
    return rowToFields(first).map((field) => (field.value === ' ' ? { name: field.name, value: '' } : field));
  }

  async loadMulti(table: string, criteria: readonly RealtimeCriterion[]): Promise<RealtimeRow[]> {
    const rows = await this.#select(table, criteria, false);
    return rows.map(rowToFields);
  }

  async update(table: string, keyField: string, keyValue: string, fields: readonly RealtimeField[]): Promise<number> {
    return this.update2(table, [{ name: keyField, value: keyValue }], fields);
  }

  async update2(table: string, lookup: readonly RealtimeCriterion[], fields: readonly RealtimeField[]): Promise<number> {
    const columns = await this.#columns(table);
    if (columns.size === 0) {
      throw new RegistrarError('realtime-query-failed', `${this.#label}: table '${table}' does not exist`);
    }
    const params: (string | null)[] = [];
    const assignments = this.#knownFields(table, columns, fields).map((field) => {
      params.push(writeValue(columns, field));
      return `${this.#dialect.quote(field.name)} = ${this.#dialect.placeholder(params.length)}`;
    });
    if (assignments.length === 0) {
      return 0;
    }
    const where = this.#where(lookup, params);
    return this.#connection.execute(`UPDATE ${this.#dialect.quote(table)} SET ${assignments.join(', ')}${where}`, params);
  }

  async store(table: string, fields: readonly RealtimeField[]): Promise<number> {
    const columns = await this.#columns(table);
    if (columns.size === 0) {
      throw new RegistrarError('realtime-query-failed', `${this.#label}: table '${table}' does not exist`);
    }
    const known = this.#knownFields(table, columns, fields);
    if (known.length === 0) {
      throw new RegistrarError('invalid-argument', `${this.#label}: nothing to store in '${table}'`);
    }
    const params = known.map((field) => writeValue(columns, field));
    const names = known.map((field) => this.#dialect.quote(field.name)).join(', ');
    const markers = known.map((_field, index) => this.#dialect.placeholder(index + 1)).join(', ');
    return this.#connection.execute(`INSERT INTO ${this.#dialect.quote(table)} (${names}) VALUES (${markers})`, params);
  }

  async destroy(table: string, keyField: string, keyValue: string, criteria: readonly RealtimeCriterion[] = []): Promise<number> {
    const params: (string | null)[] = [];
    const where = this.#where([{ name: keyField, value: keyValue }, ...criteria], params);
    return this.#connection.execute(`DELETE FROM ${this.#dialect.quote(table)}${where}`, params);
  }

  async requireColumns(table: string, required: readonly RealtimeColumnRequirement[]): Promise<string[]> {
    const columns = await this.#columns(table);
    const missing = required.filter((column) => !columns.has(column.name.toLowerCase()));
    if (missing.length === 0) {
      return [];
    }
    if (this.#requirements === 'warn' || columns.size === 0) {
      for (const column of missing) {
        // res_config_pgsql.c require_pgsql(): the same warning text.
        this.#logger.warn(
          { asteriskLevel: 'WARNING', table, column: column.name },
          `Table ${table} requires a column '${column.name}' of size '${column.size}', but no such column exists.`,
        );
      }
      return missing.map((column) => column.name);
    }
    for (const column of missing) {
      const type = this.#requirements === 'createchar' ? `VARCHAR(${Math.max(column.size, 1)})` : this.#dialect.closestType(column);
      await this.#connection.execute(`ALTER TABLE ${this.#dialect.quote(table)} ADD ${this.#dialect.quote(column.name)} ${type}`, []);
      this.#logger.info({ table, column: column.name }, `${this.#label}: added column '${column.name}' (${type}) to '${table}'`);
    }
    this.#columnCache.delete(table);
    return [];
  }

  async close(): Promise<void> {
    this.#columnCache.clear();
    await this.#connection.close();
  }

  async #select(table: string, criteria: readonly RealtimeCriterion[], single: boolean): Promise<Record<string, unknown>[]> {
    if (criteria.length === 0) {
      throw new RegistrarError('invalid-argument', 'a realtime lookup needs at least one criterion');
    }
    const columns = await this.#columns(table);
    if (columns.size === 0) {
      throw new RegistrarError('realtime-query-failed', `${this.#label}: table '${table}' does not exist`);
    }
    // A criterion on a column the table lacks matches nothing (the driver's query would fail).
    if (criteria.some((criterion) => !columns.has(splitCriterionName(criterion.name).column.toLowerCase()))) {
      return [];
    }
    const params: (string | null)[] = [];
    const where = this.#where(criteria, params);
    const orderColumn = splitCriterionName(criteria[0]?.name ?? '').column;
    // res_config_*: multi-row lookups come back ordered by the first criterion's column.
    const tail = single ? ' LIMIT 1' : ` ORDER BY ${this.#dialect.quote(orderColumn)}`;
    return this.#connection.query(`SELECT * FROM ${this.#dialect.quote(table)}${where}${tail}`, params);
  }

  #where(criteria: readonly RealtimeCriterion[], params: (string | null)[]): string {
    const clauses = criteria.map((criterion) => {
      const { column, operator } = splitCriterionName(criterion.name);
      params.push(criterion.value);
      const escape = operator.endsWith('LIKE') ? this.#dialect.likeEscape : '';
      return `${this.#dialect.quote(column)} ${operator} ${this.#dialect.placeholder(params.length)}${escape}`;
    });
    return clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`;
  }

  // res_config_pgsql.c update_pgsql(): a column the table lacks is skipped with a notice.
  #knownFields(table: string, columns: Map<string, SqlColumn>, fields: readonly RealtimeField[]): RealtimeField[] {
    return fields.filter((field) => {
      checkIdentifier(field.name);
      if (columns.has(field.name.toLowerCase())) {
        return true;
      }
      const key = `${table}.${field.name}`;
      if (!this.#warnedColumns.has(key)) {
        this.#warnedColumns.add(key);
        this.#logger.info(
          { asteriskLevel: 'NOTICE', table, column: field.name },
          `Attempted to update column '${field.name}' in table '${table}', but column does not exist!`,
        );
      }
      return false;
    });
  }

  async #columns(table: string): Promise<Map<string, SqlColumn>> {
    checkIdentifier(table.split('.').at(-1) ?? '');
    let cached = this.#columnCache.get(table);
    if (cached === undefined) {
      cached = this.#connection.columns(table).then((list) => new Map(list.map((column) => [column.name.toLowerCase(), column])));
      this.#columnCache.set(table, cached);
      // A failure (database down) must not stick: forget it so the next call retries.
      cached.catch(() => this.#columnCache.delete(table));
    }
    const columns = await cached;
    if (columns.size === 0) {
      this.#columnCache.delete(table);
    }
    return columns;
  }
}

function rowToFields(row: Record<string, unknown>): RealtimeField[] {
  return Object.entries(row).flatMap(([name, value]) => columnToFields(name, value));
}

// An empty string cannot go into a numeric column on PostgreSQL: write NULL there.
function writeValue(columns: Map<string, SqlColumn>, field: RealtimeField): string | null {
  return field.value === '' && columns.get(field.name.toLowerCase())?.nonText === true ? null : field.value;
}

/** Wraps anything a driver library threw into a `RegistrarError`. */
export function toRealtimeError(label: string, error: unknown, unavailable: (error: unknown) => boolean): RegistrarError {
  if (isRegistrarError(error)) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return unavailable(error)
    ? new RegistrarError('realtime-unavailable', `${label}: database unavailable: ${message}`, { cause: error })
    : new RegistrarError('realtime-query-failed', `${label}: ${message}`, { cause: error });
}
