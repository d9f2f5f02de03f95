import type { ConfDocument, Diagnostic, SourceLocation } from '../conf-types.js';
import { sameName } from '../document/category-lookup.js';
import { readSection } from '../document/section-reader.js';
import { errorAt } from '../diagnostics/diagnostic.js';
import { readBool, readInteger } from '../values/value-readers.js';
import type { RealtimeRequirements } from './realtime-requirements.js';
import { readRequirements } from './realtime-requirements.js';

/** One `[name]` database of res_config_sqlite3.conf. */
export interface Sqlite3Database extends SourceLocation {
  readonly name: string;
  /** `dbfile` (required). */
  readonly dbfile: string;
  readonly requirements: RealtimeRequirements;
  /** Milliseconds writes are batched in one transaction (default 100; 0 = no batching). */
  readonly batchMs: number;
  readonly debug: boolean;
  /** Milliseconds to wait on a locked database (default 1000). */
  readonly busyTimeoutMs: number;
}

/** res_config_sqlite3.conf: one database per section (`[general]` is not a database). */
export interface ResConfigSqlite3Conf {
  readonly databases: readonly Sqlite3Database[];
}

/** Builds the res_config_sqlite3.conf model (res_config_sqlite3.c `new_realtime_sqlite3_db()`). */
export function buildResConfigSqlite3Conf(doc: ConfDocument): { config: ResConfigSqlite3Conf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const databases: Sqlite3Database[] = [];
  for (const category of doc.categories) {
    if (category.isTemplate || sameName(category.name, 'general')) continue;
    const database = {
      file: category.file,
      line: category.line,
      name: category.name,
      dbfile: '',
      requirements: 'warn' as RealtimeRequirements,
      batchMs: 100,
      debug: false,
      busyTimeoutMs: 1000,
    };
    readSection(
      category,
      {
        dbfile: (value) => {
          database.dbfile = value;
        },
        requirements: (value, context) => {
          database.requirements = readRequirements(value, context) ?? database.requirements;
        },
        batch: (value, context) => {
          database.batchMs = readInteger(value, context, { min: 0 }) ?? database.batchMs;
        },
        debug: (value, context) => {
          database.debug = readBool(value, context) ?? database.debug;
        },
        busy_timeout: (value, context) => {
          database.busyTimeoutMs = readInteger(value, context, { min: 0 }) ?? database.busyTimeoutMs;
        },
      },
      diagnostics,
      { fileName: 'res_config_sqlite3.conf', firstWins: false },
    );
    if (database.dbfile === '') {
      diagnostics.push(errorAt(category, `must specify dbfile in res_config_sqlite3.conf (database [${category.name}])`));
      continue;
    }
    databases.push(database);
  }
  return { config: { databases }, diagnostics };
}
