// Errors and logging
export { RegistrarError, isRegistrarError } from './registrar-error.js';
export type { RegistrarErrorCode } from './registrar-error.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';

// Embedded store (--data-dir)
export { EmbeddedStore } from './store/embedded-store.js';
export type { EmbeddedStoreOptions } from './store/embedded-store.js';
export { AstDb } from './store/ast-db.js';
export type { AstDbEntry } from './store/ast-db.js';
export { BindingStore } from './store/binding-store.js';
export type { BindingTransport, StoredBinding } from './store/binding-store.js';

// Realtime
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
export { RealtimeFamilies } from './realtime/realtime-families.js';
export type { RealtimeMapping } from './realtime/realtime-families.js';
export { createRealtimeFamilies } from './realtime/realtime-from-config.js';
export type { RealtimeDriverConfigs } from './realtime/realtime-from-config.js';

// Peers
export { Peer } from './peers/peer.js';
export type { PeerBinding, PeerDeviceState, PeerOrigin, PeerStaticAddress, PeerTarget } from './peers/peer.js';
export { PeerDirectory } from './peers/peer-directory.js';
export type { PeerDirectoryEvents, PeerDirectoryOptions, PeerDirectoryReloadOptions, PruneResult, ReloadSummary } from './peers/peer-directory.js';
export { createRealtimeDeviceBuilder, REALTIME_STATE_COLUMNS } from './peers/realtime-device-builder.js';
export type { DeviceKind, RealtimeDeviceBuilder } from './peers/realtime-device-builder.js';
export { accessAllows } from './peers/access-check.js';
export type { NamedAcls } from './peers/access-check.js';

// Authentication and registrar
export { DigestAuthenticator } from './auth/digest-authenticator.js';
export type { DigestAuthenticatorOptions, DigestCheck, DigestCredentials, FakeAuthAnswer, ResponseFactory } from './auth/digest-authenticator.js';
export { Registrar, credentialsOf } from './registrar/registrar.js';
export type { RegistrarEvents, RegistrarOptions, UnregisterResult } from './registrar/registrar.js';

// Our address toward a destination (externaddr/localnet)
export { externalAddressFor, ourAddressFor, hostWithPort } from './addressing/our-address.js';
export type { ExternalAddressSettings, OurAddress } from './addressing/our-address.js';

// Outbound registrations and qualify
export type { RequestSender } from './internal/request-sender.js';
export { OutboundRegistrations } from './outbound/outbound-registrations.js';
export type { OutboundRegistrationsEvents, OutboundRegistrationsOptions, RegistryRow } from './outbound/outbound-registrations.js';
export { OutboundRegistration } from './outbound/outbound-registration.js';
export type { RegistrationState } from './outbound/outbound-registration.js';
export { Qualifier } from './qualify/qualifier.js';
export type { QualifierEvents, QualifierOptions, QualifyStatusEvent } from './qualify/qualifier.js';

// CLI text (the PBX wires these to the control socket)
export { renderSipShowPeers, sipShowPeersLines } from './cli/sip-show-peers.js';
export { renderSipShowPeer } from './cli/sip-show-peer.js';
export type { ShowPeerContext } from './cli/sip-show-peer.js';
export { renderSipShowUsers } from './cli/sip-show-users.js';
export { renderSipShowRegistry } from './cli/sip-show-registry.js';
export { renderSipPruneRealtime, renderSipQualifyPeerNotFound, renderSipUnregister } from './cli/sip-peer-commands.js';
export { renderSipShowInuse } from './cli/sip-show-inuse.js';
export {
  renderDatabaseDel,
  renderDatabaseDeltree,
  renderDatabaseGet,
  renderDatabasePut,
  renderDatabaseShow,
  renderDatabaseShowKey,
} from './cli/database.js';
