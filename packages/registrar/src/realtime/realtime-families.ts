import { isRegistrarError, RegistrarError } from '../registrar-error.js';
import type { RealtimeCriterion, RealtimeDriver, RealtimeField, RealtimeRow } from './realtime-driver.js';

/** One extconfig.conf mapping: `family => driver,database,table[,priority]`. */
export interface RealtimeMapping {
  /** `sippeers`, `sipregs`, ... */
  readonly family: string;
  readonly driver: RealtimeDriver;
  /** mysql `read/write` databases (`dbA/dbB`): the driver writes go to; default `driver`. */
  readonly writeDriver?: RealtimeDriver;
  readonly table: string;
  /** Lower is tried first (default 1); same-priority mappings keep their order. */
  readonly priority?: number;
}

/**
 * The realtime families of extconfig.conf and the drivers behind them, with Asterisk's
 * fail-over (main/config.c find_engine()): mappings of a family are tried by priority.
 * A lookup that finds nothing on a reachable database is "not found"; when no mapping
 * answered and one was unreachable, it rejects with `realtime-unavailable` so the caller
 * answers 503 instead of treating the device as unknown.
 */
export class RealtimeFamilies {
  readonly #families = new Map<string, RealtimeMapping[]>();

  constructor(mappings: readonly RealtimeMapping[]) {
    for (const mapping of mappings) {
      const family = mapping.family.toLowerCase();
      const list = this.#families.get(family) ?? [];
      list.push(mapping);
      list.sort((a, b) => (a.priority ?? 1) - (b.priority ?? 1));
      this.#families.set(family, list);
    }
  }

  /** Whether `family` is mapped (ast_check_realtime()). */
  has(family: string): boolean {
    return this.#families.has(family.toLowerCase());
  }

  /** The first matching row of `family` (ast_load_realtime()). */
  async load(family: string, criteria: readonly RealtimeCriterion[]): Promise<RealtimeRow | undefined> {
    return this.#firstAnswer(family, async (mapping) => mapping.driver.load(mapping.table, criteria), (row) => row !== undefined);
  }

  /** Every matching row of `family` (ast_load_realtime_multientry()). */
  async loadMulti(family: string, criteria: readonly RealtimeCriterion[]): Promise<RealtimeRow[]> {
    return (await this.#firstAnswer(family, async (mapping) => mapping.driver.loadMulti(mapping.table, criteria), (rows) => rows.length > 0)) ?? [];
  }

  /** Updates rows of `family` where `keyField = keyValue` (ast_update_realtime()); rows changed. */
  async update(family: string, keyField: string, keyValue: string, fields: readonly RealtimeField[]): Promise<number> {
    return (
      (await this.#firstAnswer(family, async (mapping) => (mapping.writeDriver ?? mapping.driver).update(mapping.table, keyField, keyValue, fields), () => true)) ?? 0
    );
  }

  /** Closes every driver. */
  async close(): Promise<void> {
    const drivers = new Set([...this.#families.values()].flat().flatMap((mapping) => [mapping.driver, mapping.writeDriver ?? mapping.driver]));
    await Promise.all([...drivers].map((driver) => driver.close()));
  }

  /** Every mapping, by family. */
  mappings(family: string): readonly RealtimeMapping[] {
    return this.#families.get(family.toLowerCase()) ?? [];
  }

  async #firstAnswer<T>(family: string, run: (mapping: RealtimeMapping) => Promise<T>, found: (result: T) => boolean): Promise<T | undefined> {
    const mappings = this.#families.get(family.toLowerCase());
    if (mappings === undefined) {
      throw new RegistrarError('realtime-not-configured', `realtime family '${family}' is not mapped in extconfig.conf`);
    }
    let unavailable: RegistrarError | undefined;
    let answer: T | undefined;
    for (const mapping of mappings) {
      try {
        const result = await run(mapping);
        if (found(result)) return result;
        answer ??= result;
      } catch (error) {
        if (isRegistrarError(error) && error.code === 'realtime-unavailable') {
          unavailable ??= error;
          continue;
        }
        throw error;
      }
    }
    if (unavailable !== undefined) throw unavailable;
    return answer;
  }
}
