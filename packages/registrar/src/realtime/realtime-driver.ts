/**
 * The realtime API chan_sip uses (Asterisk 20, main/config.c `ast_load_realtime()` and
 * friends), implemented per database by the drivers (res_config_sqlite3, res_config_mysql,
 * res_config_pgsql).
 */

/** One column value of a realtime row (Asterisk's `ast_variable`). */
export interface RealtimeField {
  readonly name: string;
  readonly value: string;
}

/** A row as an ordered field list; a value written `a;b` comes back as two fields. */
export type RealtimeRow = readonly RealtimeField[];

/**
 * One lookup criterion. `name` is a column, optionally followed by a space and an operator,
 * exactly as Asterisk's callers write it: `name` (equals), `name LIKE`, `regseconds >`,
 * `host !=`. LIKE patterns use `%`/`_` with `\` as the escape character.
 */
export interface RealtimeCriterion {
  readonly name: string;
  readonly value: string;
}

/** Column types for `requireColumns()` (Asterisk's `enum require_type`). */
export type RealtimeColumnType = 'char' | 'integer' | 'uinteger' | 'float' | 'date' | 'datetime';

/** A column chan_sip needs (`ast_realtime_require_field()`). */
export interface RealtimeColumnRequirement {
  readonly name: string;
  readonly type: RealtimeColumnType;
  /** Characters for `char`, digits for numbers. */
  readonly size: number;
}

/**
 * What to do about a missing required column (`requirements=` of res_config_*.conf): `warn`
 * (log, the default), `createclose` (add it with the closest type), `createchar` (add it as
 * a character column).
 */
export type RealtimeRequirements = 'warn' | 'createclose' | 'createchar';

/** Which database a driver talks to (extconfig.conf driver names). */
export type RealtimeDriverKind = 'sqlite3' | 'mysql' | 'pgsql';

/**
 * A realtime backend. Every method rejects with `RegistrarError('realtime-unavailable')` when
 * the database cannot be reached (the next call tries to reconnect) and with
 * `realtime-query-failed` when the database refuses the statement.
 */
export interface RealtimeDriver {
  readonly kind: RealtimeDriverKind;
  /** The first row matching every criterion (ast_load_realtime): empty values left out. */
  load(table: string, criteria: readonly RealtimeCriterion[]): Promise<RealtimeRow | undefined>;
  /** Every matching row (ast_load_realtime_multientry), ordered by the first criterion's column. */
  loadMulti(table: string, criteria: readonly RealtimeCriterion[]): Promise<RealtimeRow[]>;
  /** Sets `fields` on rows where `keyField` equals `keyValue` (ast_update_realtime); rows changed. */
  update(table: string, keyField: string, keyValue: string, fields: readonly RealtimeField[]): Promise<number>;
  /** Sets `fields` on rows matching every `lookup` criterion (ast_update2_realtime); rows changed. */
  update2(table: string, lookup: readonly RealtimeCriterion[], fields: readonly RealtimeField[]): Promise<number>;
  /** Inserts a row (ast_store_realtime); rows inserted. */
  store(table: string, fields: readonly RealtimeField[]): Promise<number>;
  /** Deletes rows where `keyField` equals `keyValue` and every extra criterion holds (ast_destroy_realtime). */
  destroy(table: string, keyField: string, keyValue: string, criteria?: readonly RealtimeCriterion[]): Promise<number>;
  /**
   * Checks that `table` has the columns (ast_realtime_require_field); per `requirements`
   * warns or adds the missing ones. Returns the names that are still missing.
   */
  requireColumns(table: string, columns: readonly RealtimeColumnRequirement[]): Promise<string[]>;
  /** Closes connections; later calls reconnect. */
  close(): Promise<void>;
}
