import type { ConfDocument, Diagnostic } from '../conf-types.js';
import { firstCategory } from '../document/category-lookup.js';
import { readSection } from '../document/section-reader.js';
import { readBool, readInteger } from '../values/value-readers.js';
import type { RealtimeRequirements } from './realtime-requirements.js';
import { readRequirements } from './realtime-requirements.js';

/** res_pgsql.conf `[general]`, with res_config_pgsql's defaults (Asterisk 20 `parse_config()`). */
export interface ResPgsqlConf {
  /** `hostname` (or legacy `dbhost`); empty = the local socket. */
  readonly hostname: string;
  readonly port: number;
  readonly dbname: string;
  readonly user: string;
  readonly password: string;
  readonly appname: string;
  /** Socket directory when no host is set. */
  readonly socket: string;
  readonly requirements: RealtimeRequirements;
  readonly orderMultiRowResultsByInitialColumn: boolean;
}

/** The model of an absent res_pgsql.conf. */
export const DEFAULT_RES_PGSQL_CONF: ResPgsqlConf = {
  hostname: '',
  port: 5432,
  dbname: 'asterisk',
  user: 'asterisk',
  password: 'asterisk',
  appname: '',
  socket: '/tmp',
  requirements: 'warn',
  orderMultiRowResultsByInitialColumn: true,
};

/**
 * Builds the res_pgsql.conf model. Each setting has a current name and a legacy one
 * (`user`/`dbuser`, ...); like Asterisk, the current name wins when both are given.
 */
export function buildResPgsqlConf(doc: ConfDocument): { config: ResPgsqlConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const current: { -readonly [K in keyof ResPgsqlConf]?: ResPgsqlConf[K] } = {};
  const legacy: { -readonly [K in keyof ResPgsqlConf]?: ResPgsqlConf[K] } = {};
  const general = firstCategory(doc, 'general');
  if (general !== undefined) {
    const text = (key: 'hostname' | 'dbname' | 'user' | 'password' | 'appname' | 'socket', target: typeof current) => (value: string) => {
      target[key] = value;
    };
    const port = (target: typeof current) => (value: string, context: Parameters<typeof readInteger>[1]) => {
      const parsed = readInteger(value, context, { min: 1, max: 65535 });
      if (parsed !== undefined) target.port = parsed;
    };
    readSection(
      general,
      {
        hostname: text('hostname', current),
        dbhost: text('hostname', legacy),
        port: port(current),
        dbport: port(legacy),
        dbname: text('dbname', current),
        user: text('user', current),
        dbuser: text('user', legacy),
        password: text('password', current),
        dbpass: text('password', legacy),
        appname: text('appname', current),
        dbappname: text('appname', legacy),
        socket: text('socket', current),
        dbsock: text('socket', legacy),
        requirements: (value, context) => {
          const parsed = readRequirements(value, context);
          if (parsed !== undefined) current.requirements = parsed;
        },
        order_multi_row_results_by_initial_column: (value, context) => {
          const parsed = readBool(value, context);
          if (parsed !== undefined) current.orderMultiRowResultsByInitialColumn = parsed;
        },
      },
      diagnostics,
      { fileName: 'res_pgsql.conf', firstWins: true },
    );
  }
  return { config: { ...DEFAULT_RES_PGSQL_CONF, ...legacy, ...current }, diagnostics };
}
