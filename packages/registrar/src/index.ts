export { RegistrarError, isRegistrarError } from './registrar-error.js';
export type { RegistrarErrorCode } from './registrar-error.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { EmbeddedStore } from './store/embedded-store.js';
export type { EmbeddedStoreOptions } from './store/embedded-store.js';
export { AstDb } from './store/ast-db.js';
export type { AstDbEntry } from './store/ast-db.js';
export { BindingStore } from './store/binding-store.js';
export type { BindingTransport, StoredBinding } from './store/binding-store.js';
export type {
  RealtimeColumnRequirement,
  RealtimeColumnType,
  RealtimeCriterion,
  RealtimeDriver,
  RealtimeDriverKind,
  RealtimeField,
  RealtimeRequirements,
  RealtimeRow,
} from './realtime/realtime-driver.js';
export { createSqlite3Driver } from './realtime/sqlite3-driver.js';
export type { Sqlite3DriverOptions } from './realtime/sqlite3-driver.js';
export { createMysqlDriver } from './realtime/mysql-driver.js';
export type { MysqlDriverOptions } from './realtime/mysql-driver.js';
export { createPgsqlDriver } from './realtime/pgsql-driver.js';
export type { PgsqlDriverOptions } from './realtime/pgsql-driver.js';
