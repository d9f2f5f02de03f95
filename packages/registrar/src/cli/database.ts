import type { AstDb, AstDbEntry } from '../store/ast-db.js';

function entryLines(entries: readonly AstDbEntry[]): string {
  // main/db.c: "%-50s: %-25s\n" per entry, then the count.
  let text = '';
  for (const entry of entries) text += `${entry.key.padEnd(50)}: ${entry.value.padEnd(25)}\n`;
  return `${text}${entries.length} results found.\n`;
}

/** `database show [family [keytree]]` (also `family/keytree` in one argument). */
export function renderDatabaseShow(db: AstDb, family = '', keytree = ''): string {
  return entryLines(db.tree(family, keytree));
}

/** `database showkey <keytree>`. */
export function renderDatabaseShowKey(db: AstDb, key: string): string {
  return entryLines(db.showKey(key));
}

/** `database get <family> <key>`. */
export function renderDatabaseGet(db: AstDb, family: string, key: string): string {
  const value = db.get(family, key);
  return value === undefined ? 'Database entry not found.\n' : `Value: ${value}\n`;
}

/** `database put <family> <key> <value>`. */
export function renderDatabasePut(db: AstDb, family: string, key: string, value: string): string {
  try {
    db.put(family, key, value);
    return 'Updated database successfully\n';
  } catch {
    return 'Failed to update entry\n';
  }
}

/** `database del <family> <key>`. */
export function renderDatabaseDel(db: AstDb, family: string, key: string): string {
  try {
    return db.delete(family, key) ? 'Database entry removed.\n' : 'Database entry could not be removed.\n';
  } catch {
    return 'Database entry could not be removed.\n';
  }
}

/** `database deltree <family> [keytree]`. */
export function renderDatabaseDeltree(db: AstDb, family: string, keytree = ''): string {
  let removed: number;
  try {
    removed = db.deleteTree(family, keytree);
  } catch {
    return 'Database unavailable.\n';
  }
  return removed === 0 ? 'Database entries do not exist.\n' : `${removed} database entries removed.\n`;
}
