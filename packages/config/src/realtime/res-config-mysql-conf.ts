import type { ConfDocument, Diagnostic, SourceLocation } from '../conf-types.js';
import { readSection } from '../document/section-reader.js';
import { readInteger } from '../values/value-readers.js';
import type { RealtimeRequirements } from './realtime-requirements.js';
import { readRequirements } from './realtime-requirements.js';

/** One `[context]` of res_config_mysql.conf: a database extconfig.conf names. */
export interface MysqlDatabase extends SourceLocation {
  readonly name: string;
  /** `dbhost`; empty or `localhost` = the local socket `dbsock`. */
  readonly host: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly port: number;
  readonly socket: string;
  /** `dbcharset`; empty = the server's default. */
  readonly charset: string;
  readonly requirements: RealtimeRequirements;
}

/** res_config_mysql.conf: one database per section. */
export interface ResConfigMysqlConf {
  readonly databases: readonly MysqlDatabase[];
}

/** Builds the res_config_mysql.conf model (defaults from the Asterisk sample file). */
export function buildResConfigMysqlConf(doc: ConfDocument): { config: ResConfigMysqlConf; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const databases: MysqlDatabase[] = [];
  for (const category of doc.categories) {
    if (category.isTemplate) continue;
    const database = {
      file: category.file,
      line: category.line,
      name: category.name,
      host: '',
      database: 'asterisk',
      user: '',
      password: '',
      port: 3306,
      socket: '/tmp/mysql.sock',
      charset: '',
      requirements: 'warn' as RealtimeRequirements,
    };
    readSection(
      category,
      {
        dbhost: (value) => {
          database.host = value;
        },
        dbname: (value) => {
          database.database = value;
        },
        dbuser: (value) => {
          database.user = value;
        },
        dbpass: (value) => {
          database.password = value;
        },
        dbport: (value, context) => {
          database.port = readInteger(value, context, { min: 1, max: 65535 }) ?? database.port;
        },
        dbsock: (value) => {
          database.socket = value;
        },
        dbcharset: (value) => {
          database.charset = value;
        },
        requirements: (value, context) => {
          database.requirements = readRequirements(value, context) ?? database.requirements;
        },
      },
      diagnostics,
      { fileName: 'res_config_mysql.conf', firstWins: true },
    );
    databases.push(database);
  }
  return { config: { databases }, diagnostics };
}
