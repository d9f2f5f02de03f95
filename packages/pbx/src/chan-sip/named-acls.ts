import { appendAccessLine, OPEN_ACCESS, realtimeMappingsFor, type AccessControl, type TandemConfig } from '@tandem/config';
import { accessAllows, createRealtimeFamilies, type Logger, type NamedAcls, type RealtimeFamilies, type RealtimeRow } from '@tandem/registrar';

/** The realtime family of named ACLs (main/named_acl.c ACL_FAMILY). */
const ACL_FAMILY = 'acls';

/** A column of a realtime row (the first value when a row repeats it). */
function column(row: RealtimeRow, name: string): string | undefined {
  return row.find((field) => field.name.toLowerCase() === name)?.value;
}

/**
 * The realtime `acls` family of extconfig.conf on its database (sqlite3, mysql or pgsql).
 * The registrar builds drivers for the SIP families only, so the `acls` mappings are handed to
 * it under the `sippeers` name: same drivers, same fail-over, the ACL table behind them.
 */
function realtimeAclFamilies(config: TandemConfig, configDir: string, logger: Logger): RealtimeFamilies | undefined {
  const mappings = realtimeMappingsFor(config.extconfig, ACL_FAMILY).map((mapping) => ({ ...mapping, family: 'sippeers' }));
  if (mappings.length === 0) return undefined;
  return createRealtimeFamilies(
    { mappings },
    { mysql: config.resConfigMysql, pgsql: config.resPgsql, sqlite3: config.resConfigSqlite3, sqliteBaseDir: configDir, logger },
  );
}

/**
 * Named ACLs for `acl = name` lines (main/named_acl.c ast_named_acl_find()): acl.conf first,
 * then the realtime `acls` family (rows `name, rule, sense, rule_order[, systemname]`, sorted by
 * rule_order). A name found nowhere, or a realtime ACL with a bad rule, denies everything.
 */
export class NamedAclResolver {
  readonly #configured: NamedAcls;
  readonly #realtime: RealtimeFamilies | undefined;
  readonly #systemName: string | undefined;
  readonly #logger: Logger;

  constructor(config: TandemConfig, configDir: string, logger: Logger) {
    this.#configured = new Map(config.acl.acls.map((acl) => [acl.name, { rules: acl.rules, namedAcls: [] }]));
    this.#realtime = realtimeAclFamilies(config, configDir, logger);
    this.#systemName = config.asterisk.systemName;
    this.#logger = logger;
  }

  /**
   * Whether `address` passes `control` (main/acl.c ast_apply_acl()): its own rules and every
   * named ACL it lists. Realtime ACLs are read from the database on each check.
   */
  async allows(control: AccessControl, address: string): Promise<boolean> {
    if (control.namedAcls.length === 0) return accessAllows(control, address, this.#configured);
    const named = new Map(this.#configured);
    for (const name of control.namedAcls) {
      if ([...named.keys()].some((key) => key.toLowerCase() === name.toLowerCase())) continue;
      const loaded = await this.#loadRealtime(name);
      if (loaded !== undefined) named.set(name, loaded);
    }
    return accessAllows(control, address, named);
  }

  /** Closes the realtime ACL database connections. */
  async close(): Promise<void> {
    await this.#realtime?.close();
  }

  // main/named_acl.c named_acl_find_realtime().
  async #loadRealtime(name: string): Promise<AccessControl | undefined> {
    if (this.#realtime === undefined) return undefined;
    let rows: RealtimeRow[];
    try {
      rows = await this.#realtime.loadMulti('sippeers', [
        { name: 'name', value: name },
        ...(this.#systemName === undefined || this.#systemName === '' ? [] : [{ name: 'systemname', value: this.#systemName }]),
      ]);
    } catch (error) {
      this.#logger.warn({ err: error, asteriskLevel: 'WARNING' }, `Named ACL '${name}' could not be read from realtime`);
      return undefined;
    }
    if (rows.length === 0) return undefined;
    const ordered = [...rows].sort((a, b) => Number.parseInt(column(a, 'rule_order') ?? '0', 10) - Number.parseInt(column(b, 'rule_order') ?? '0', 10));
    let control: AccessControl = OPEN_ACCESS;
    for (const row of ordered) {
      const sense = (column(row, 'sense') ?? '').toLowerCase();
      const rule = column(row, 'rule') ?? '';
      const appended = sense === 'permit' || sense === 'deny' ? appendAccessLine(control, sense, rule) : { ok: false as const, reason: `bad sense '${sense}'` };
      if (!appended.ok) {
        this.#logger.error(
          { asteriskLevel: 'ERROR' },
          `Rejecting realtime ACL due to bad ACL definition '${name}': ${column(row, 'rule_order') ?? ''} - ${sense} - ${rule}`,
        );
        return undefined;
      }
      control = appended.control;
    }
    return control;
  }
}
