import { isAbsolute, resolve } from 'node:path';
import type { ExtconfigConf, ResConfigMysqlConf, ResConfigSqlite3Conf, ResPgsqlConf } from '@tandem/config';
import { silentLogger, type Logger } from '../logger.js';
import { createMysqlDriver } from './mysql-driver.js';
import { createPgsqlDriver } from './pgsql-driver.js';
import type { RealtimeDriver } from './realtime-driver.js';
import { RealtimeFamilies, type RealtimeMapping } from './realtime-families.js';
import { createSqlite3Driver } from './sqlite3-driver.js';

/** The driver configurations extconfig.conf refers to. */
export interface RealtimeDriverConfigs {
  readonly mysql?: ResConfigMysqlConf;
  readonly pgsql?: ResPgsqlConf;
  readonly sqlite3?: ResConfigSqlite3Conf;
  /** Base directory for relative `dbfile=` paths (default: the working directory). */
  readonly sqliteBaseDir?: string;
  readonly logger?: Logger;
}

/**
 * Builds the realtime families chan_sip uses (`sippeers`, `sipregs`) from extconfig.conf and
 * the res_config_*.conf models, one driver per database section (shared by the families
 * that name it), mysql `read/write` pairs split into a read and a write driver. Mappings on
 * drivers Tandem does not have (odbc, curl, ldap) or on unknown sections are skipped with
 * a warning. Returns `undefined` when no SIP family is left.
 */
export function createRealtimeFamilies(extconfig: ExtconfigConf, configs: RealtimeDriverConfigs): RealtimeFamilies | undefined {
  const logger = configs.logger ?? silentLogger;
  const drivers = new Map<string, RealtimeDriver>();
  const driverFor = (kind: 'mysql' | 'pgsql' | 'sqlite3', section: string): RealtimeDriver | undefined => {
    const key = `${kind}:${section}`;
    const existing = drivers.get(key);
    if (existing !== undefined) return existing;
    const created = buildDriver(kind, section, configs, logger);
    if (created !== undefined) drivers.set(key, created);
    return created;
  };
  const mappings: RealtimeMapping[] = [];
  for (const mapping of extconfig.mappings) {
    const family = mapping.family.toLowerCase();
    if (family !== 'sippeers' && family !== 'sipregs') continue;
    if (mapping.driver !== 'mysql' && mapping.driver !== 'pgsql' && mapping.driver !== 'sqlite3') {
      logger.warn({ asteriskLevel: 'WARNING' }, `${mapping.file}:${mapping.line}: realtime driver '${mapping.driver}' is not available in Tandem; ${family} mapping ignored`);
      continue;
    }
    const driver = driverFor(mapping.driver, mapping.readDatabase);
    const writeDriver = mapping.writeDatabase === mapping.readDatabase ? driver : driverFor(mapping.driver, mapping.writeDatabase);
    if (driver === undefined || writeDriver === undefined) {
      logger.warn({ asteriskLevel: 'WARNING' }, `${mapping.file}:${mapping.line}: no ${mapping.driver} database '${mapping.database}' is configured; ${family} mapping ignored`);
      continue;
    }
    mappings.push({ family, driver, ...(writeDriver === driver ? {} : { writeDriver }), table: mapping.table, priority: mapping.priority });
  }
  return mappings.length === 0 ? undefined : new RealtimeFamilies(mappings);
}

function buildDriver(kind: 'mysql' | 'pgsql' | 'sqlite3', section: string, configs: RealtimeDriverConfigs, logger: Logger): RealtimeDriver | undefined {
  switch (kind) {
    case 'mysql': {
      const database = configs.mysql?.databases.find((candidate) => candidate.name.toLowerCase() === section.toLowerCase());
      if (database === undefined) return undefined;
      // res_config_mysql: no host (or localhost) means the local socket.
      const useSocket = (database.host === '' || database.host === 'localhost') && database.socket !== '';
      return createMysqlDriver({
        ...(useSocket ? { socketPath: database.socket } : { host: database.host === '' ? '127.0.0.1' : database.host, port: database.port }),
        database: database.database,
        user: database.user,
        password: database.password,
        ...(database.charset === '' ? {} : { charset: database.charset }),
        requirements: database.requirements,
        logger,
      });
    }
    case 'pgsql': {
      // res_config_pgsql ignores the extconfig database: res_pgsql.conf names it.
      const pgsql = configs.pgsql;
      if (pgsql === undefined) return undefined;
      return createPgsqlDriver({
        host: pgsql.hostname !== '' ? pgsql.hostname : pgsql.socket !== '' ? pgsql.socket : '127.0.0.1',
        port: pgsql.port,
        database: pgsql.dbname,
        user: pgsql.user,
        password: pgsql.password,
        ...(pgsql.appname === '' ? {} : { applicationName: pgsql.appname }),
        requirements: pgsql.requirements,
        logger,
      });
    }
    case 'sqlite3': {
      const database = configs.sqlite3?.databases.find((candidate) => candidate.name === section);
      if (database === undefined) return undefined;
      const file = isAbsolute(database.dbfile) ? database.dbfile : resolve(configs.sqliteBaseDir ?? process.cwd(), database.dbfile);
      return createSqlite3Driver({ file, requirements: database.requirements, busyTimeoutMs: database.busyTimeoutMs, logger });
    }
  }
}
