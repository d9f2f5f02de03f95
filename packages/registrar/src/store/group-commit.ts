import type Database from 'better-sqlite3';
import { RegistrarError } from '../registrar-error.js';

interface Waiter {
  resolve(): void;
  reject(error: RegistrarError): void;
}

/**
 * Group commit over one better-sqlite3 connection: the first write of an event-loop turn
 * opens a transaction, later writes join it, and `setImmediate` commits it (one fsync for
 * the whole turn). Asterisk's astdb batches the same way (main/db.c: db_sync()).
 */
export class GroupCommit {
  readonly #db: Database.Database;
  #waiters: Waiter[] = [];
  #scheduled = false;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Runs `write` inside the pending transaction (opened if needed) and schedules its commit. */
  write<T>(write: () => T): T {
    if (!this.#db.open) {
      throw new RegistrarError('store-closed', 'the embedded store is closed');
    }
    if (!this.#db.inTransaction) {
      this.#db.exec('BEGIN');
    }
    this.#schedule();
    try {
      return write();
    } catch (cause) {
      throw new RegistrarError('store-failed', `embedded store write failed: ${String(cause)}`, { cause });
    }
  }

  /** Runs a read; wraps driver failures in `RegistrarError`. */
  read<T>(read: () => T): T {
    if (!this.#db.open) {
      throw new RegistrarError('store-closed', 'the embedded store is closed');
    }
    try {
      return read();
    } catch (cause) {
      throw new RegistrarError('store-failed', `embedded store read failed: ${String(cause)}`, { cause });
    }
  }

  /** Resolves when everything written so far is committed. */
  durable(): Promise<void> {
    if (!this.#db.open || !this.#db.inTransaction) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
  }

  /** Commits the pending transaction now (used by close()). */
  commitNow(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    if (!this.#db.open || !this.#db.inTransaction) {
      for (const waiter of waiters) waiter.resolve();
      return;
    }
    try {
      this.#db.exec('COMMIT');
    } catch (cause) {
      const error = new RegistrarError('store-failed', `embedded store commit failed: ${String(cause)}`, { cause });
      if (this.#db.inTransaction) {
        this.#db.exec('ROLLBACK');
      }
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }

  #schedule(): void {
    if (this.#scheduled) {
      return;
    }
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.commitNow();
    });
  }
}
