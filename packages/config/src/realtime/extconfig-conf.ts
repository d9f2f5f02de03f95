import type { ConfDocument, Diagnostic, SourceLocation } from '../conf-types.js';
import { firstCategory } from '../document/category-lookup.js';
import { valueContext } from '../document/value-context.js';
import { warningAt } from '../diagnostics/diagnostic.js';

/** Realtime drivers Asterisk 20 ships. */
export type RealtimeDriver = 'odbc' | 'sqlite3' | 'pgsql' | 'curl' | 'ldap' | 'mysql';

/** One `family => driver,database[,table[,priority]]` line of extconfig.conf `[settings]`. */
export interface RealtimeMapping extends SourceLocation {
  /** `sippeers`, `sipregs`, ... or a static file name such as `sip.conf`. */
  readonly family: string;
  readonly driver: RealtimeDriver;
  /** The database (a res_config_*.conf section). For mysql, `read/write` splits into two. */
  readonly database: string;
  /** mysql `dbA/dbB`: the section used for reads (`dbA`); else the database. */
  readonly readDatabase: string;
  /** mysql `dbA/dbB`: the section used for writes (`dbB`); else the database. */
  readonly writeDatabase: string;
  /** Table name (default: the family name). */
  readonly table: string;
  /** Failover order among mappings of the same family (1 first). */
  readonly priority: number;
  /** True for a static file mapping (`file.conf => ...`), read instead of the file on disk. */
  readonly isStaticFile: boolean;
}

/** extconfig.conf: the realtime families and static file mappings. */
export interface ExtconfigConf {
  /** Mappings in file order. */
  readonly mappings: readonly RealtimeMapping[];
}

const DRIVERS: readonly RealtimeDriver[] = ['odbc', 'sqlite3', 'pgsql', 'curl', 'ldap', 'mysql'];
/** Families chan_sip (Asterisk 20) reads. */
const SIP_FAMILIES = ['sippeers', 'sipregs'];

/**
 * Builds the extconfig.conf model like main/config.c `reload_module()`: every `[settings]`
 * line is `driver,database[,table[,priority]]` (a quoted database may hold commas);
 * `sipfriends` is the obsolete name of `sippeers`.
 */
export function buildExtconfigConf(doc: ConfDocument): { config: ExtconfigConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const mappings: RealtimeMapping[] = [];
  const settings = firstCategory(doc, 'settings');
  for (const category of doc.categories) {
    if (category !== settings && !category.isTemplate) {
      diagnostics.push(warningAt(category, `section [${category.name}] of extconfig.conf is ignored (only [settings] is read)`));
    }
  }
  for (const variable of settings?.variables ?? []) {
    const context = valueContext(variable, diagnostics);
    const parsed = splitMapping(variable.value);
    if (parsed === undefined) {
      context.error(`extconfig.conf: value '${variable.value}' has the wrong format (driver,database[,table[,priority]])`);
      continue;
    }
    const driver = DRIVERS.find((candidate) => candidate === parsed.driver.toLowerCase());
    if (driver === undefined) {
      context.error(`unknown realtime driver '${parsed.driver}' (expected ${DRIVERS.join(', ')})`);
      continue;
    }
    let family = variable.name;
    let table = parsed.table;
    if (['extconfig.conf', 'asterisk.conf', 'logger.conf'].includes(family)) {
      context.error(`cannot bind '${family}'`);
      continue;
    }
    if (family.toLowerCase() === 'sipfriends') {
      context.warning("the 'sipfriends' table is obsolete, update your config to use sippeers instead");
      family = 'sippeers';
      table ??= 'sipfriends';
    }
    const isStaticFile = family.endsWith('.conf');
    if (!isStaticFile && family.toLowerCase() === 'sipusers') {
      context.warning("'sipusers' is an Asterisk 1.4 family; chan_sip in Asterisk 20 reads only sippeers and sipregs");
    }
    const slash = driver === 'mysql' ? parsed.database.indexOf('/') : -1;
    const { file, line, column } = variable;
    mappings.push({
      ...(column === undefined ? { file, line } : { file, line, column }),
      family,
      driver,
      database: parsed.database,
      readDatabase: slash < 0 ? parsed.database : parsed.database.slice(0, slash),
      writeDatabase: slash < 0 ? parsed.database : parsed.database.slice(slash + 1),
      table: table ?? family,
      priority: parsed.priority,
      isStaticFile,
    });
  }
  return { config: { mappings }, diagnostics };
}

/** The mappings of one family, in failover order (priority 1 first). */
export function realtimeMappingsFor(config: ExtconfigConf, family: string): RealtimeMapping[] {
  return config.mappings
    .filter((mapping) => mapping.family.toLowerCase() === family.toLowerCase())
    .sort((a, b) => a.priority - b.priority);
}

/** True when chan_sip would use realtime peers (a `sippeers` mapping exists). */
export function hasSipRealtime(config: ExtconfigConf): boolean {
  return config.mappings.some((mapping) => SIP_FAMILIES.includes(mapping.family.toLowerCase()));
}

function splitMapping(value: string): { driver: string; database: string; table?: string; priority: number } | undefined {
  const comma = value.indexOf(',');
  if (comma < 0) return undefined;
  const driver = value.slice(0, comma).trim();
  let rest = value.slice(comma + 1);
  let database: string;
  const quote = rest.indexOf('"');
  if (quote >= 0) {
    rest = rest.slice(quote + 1);
    const close = rest.indexOf('"');
    database = close < 0 ? rest : rest.slice(0, close);
    rest = close < 0 ? '' : rest.slice(close + 1);
    const next = rest.indexOf(',');
    rest = next < 0 ? '' : rest.slice(next + 1);
  } else {
    const next = rest.indexOf(',');
    database = (next < 0 ? rest : rest.slice(0, next)).trim();
    rest = next < 0 ? '' : rest.slice(next + 1);
  }
  const [table, priorityText] = rest === '' ? [] : rest.split(',').map((part) => part.trim());
  // reload_module(): a missing or zero priority is 1.
  const priority = priorityText !== undefined && /^\d+$/.test(priorityText) && Number(priorityText) > 0 ? Number(priorityText) : 1;
  if (driver === '' || database === '') return undefined;
  return table === undefined || table === '' ? { driver, database, priority } : { driver, database, table, priority };
}
