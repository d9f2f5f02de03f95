import type Database from 'better-sqlite3';
import { RegistrarError } from '../registrar-error.js';
import type { GroupCommit } from './group-commit.js';

/** One astdb entry: the full key (`/family/key`) and its value. */
export interface AstDbEntry {
  readonly key: string;
  readonly value: string;
}

/**
 * Asterisk's astdb: a family/key/value table, stored as full keys `/family/key` exactly as
 * Asterisk 20 stores them (main/db.c, table `astdb(key, value)`), so tree matching and
 * `database show` behave the same (tree prefixes match case-insensitively with LIKE).
 *
 * Structurally a `KeyValueStore` of `@tandem/dialplan` (`get/put/delete/keys`), for DB(),
 * DB_EXISTS(), DB_DELETE() and DB_KEYS().
 */
export class AstDb {
  readonly #commit: GroupCommit;
  readonly #put: Database.Statement<[string, string]>;
  readonly #get: Database.Statement<[string], { value: string }>;
  readonly #del: Database.Statement<[string]>;
  readonly #tree: Database.Statement<[string], AstDbEntry>;
  readonly #all: Database.Statement<[], AstDbEntry>;
  readonly #deltree: Database.Statement<[string]>;
  readonly #showkey: Database.Statement<[string], AstDbEntry>;

  /** @internal Built by `EmbeddedStore`. */
  constructor(db: Database.Database, commit: GroupCommit) {
    this.#commit = commit;
    db.exec('CREATE TABLE IF NOT EXISTS astdb(key TEXT, value TEXT, PRIMARY KEY(key))');
    // main/db.c: the same statements, so prefix matching follows LIKE's rules.
    this.#put = db.prepare('INSERT OR REPLACE INTO astdb (key, value) VALUES (?, ?)');
    this.#get = db.prepare('SELECT value FROM astdb WHERE key=?');
    this.#del = db.prepare('DELETE FROM astdb WHERE key=?');
    this.#tree = db.prepare("SELECT key, value FROM astdb WHERE key || '/' LIKE ? || '/' || '%' ORDER BY key");
    this.#all = db.prepare('SELECT key, value FROM astdb ORDER BY key');
    this.#deltree = db.prepare("DELETE FROM astdb WHERE key || '/' LIKE ? || '/' || '%'");
    this.#showkey = db.prepare("SELECT key, value FROM astdb WHERE key LIKE '%' || '/' || ? ORDER BY key");
  }

  /** The value of `family/key`, or undefined. */
  get(family: string, key: string): string | undefined {
    return this.#commit.read(() => this.#get.get(fullKey(family, key))?.value);
  }

  /** Sets `family/key` (ast_db_put). */
  put(family: string, key: string, value: string): void {
    this.#commit.write(() => this.#put.run(fullKey(family, key), value));
  }

  /** Deletes `family/key`; false when it did not exist (ast_db_del2). */
  delete(family: string, key: string): boolean {
    return this.#commit.write(() => this.#del.run(fullKey(family, key)).changes > 0);
  }

  /**
   * The distinct next path components under `family` (DB_KEYS, funcs/func_db.c): with
   * `/SIP/Registry/1000` stored, `keys('SIP')` is `['Registry']`.
   */
  keys(family: string): string[] {
    const prefix = trimSlashes(family);
    const result: string[] = [];
    let last = '';
    for (const entry of this.tree(prefix)) {
      let component = entry.key.slice(prefix.length + 1);
      if (component.startsWith('/')) component = component.slice(1);
      const slash = component.indexOf('/');
      if (slash >= 0) component = component.slice(0, slash);
      if (component.toLowerCase() === last.toLowerCase()) continue;
      last = component;
      result.push(component);
    }
    return result;
  }

  /**
   * Entries under `family` (and `keytree` below it), ordered by key; everything when
   * `family` is empty (ast_db_gettree). A key tree without a family is an error.
   */
  tree(family = '', keytree = ''): AstDbEntry[] {
    const prefix = treePrefix(family, keytree);
    return this.#commit.read(() => (prefix === '' ? this.#all.all() : this.#tree.all(prefix)));
  }

  /** Entries whose last key component is `key` in any family (`database showkey`). */
  showKey(key: string): AstDbEntry[] {
    return this.#commit.read(() => this.#showkey.all(key));
  }

  /** Deletes a family or a key tree in it; returns how many entries went (ast_db_deltree). */
  deleteTree(family: string, keytree = ''): number {
    const prefix = treePrefix(family, keytree);
    if (prefix === '') {
      throw new RegistrarError('invalid-argument', 'database deltree needs a family');
    }
    return this.#commit.write(() => this.#deltree.run(prefix).changes);
  }
}

function fullKey(family: string, key: string): string {
  return `/${family}/${key}`;
}

function trimSlashes(text: string): string {
  return text.replace(/^\/+/, '').replace(/\/+$/, '');
}

// main/db.c: create_prefix()
function treePrefix(family: string, keytree: string): string {
  if (family === '') {
    if (keytree !== '') {
      throw new RegistrarError('invalid-argument', `key tree '${keytree}' specified without family`);
    }
    return '';
  }
  return keytree === '' ? `/${family}` : `/${family}/${keytree}`;
}
