import { canonicalHeaderKey } from './compact-header-names.js';

/** One header line: its name exactly as written and its value. */
export interface SipHeaderField {
  readonly name: string;
  readonly value: string;
}

/**
 * Ordered, case-preserving SIP headers. Lookups are case-insensitive and treat compact forms
 * (`i`, `m`, `f`, `t`, `v`, ...) as their full names; repeated headers stay separate lines, in
 * wire order (chan_sip's `SIP_HEADER(name,n)` counts lines).
 */
export class SipHeaders implements Iterable<SipHeaderField> {
  readonly #fields: { name: string; key: string; value: string }[] = [];

  constructor(fields: Iterable<SipHeaderField | readonly [string, string]> = []) {
    for (const field of fields) {
      if ('name' in field) this.add(field.name, field.value);
      else this.add(field[0], field[1]);
    }
  }

  /** Number of header lines. */
  get size(): number {
    return this.#fields.length;
  }

  /** First value of `name` (full or compact form), or `undefined`. */
  get(name: string): string | undefined {
    const key = canonicalHeaderKey(name);
    return this.#fields.find((field) => field.key === key)?.value;
  }

  /** Every value of `name`, one per header line, in wire order. */
  getAll(name: string): string[] {
    const key = canonicalHeaderKey(name);
    return this.#fields.filter((field) => field.key === key).map((field) => field.value);
  }

  /** True when at least one `name` line exists. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Appends a header line. */
  add(name: string, value: string): this {
    this.#fields.push({ name, key: canonicalHeaderKey(name), value: String(value) });
    return this;
  }

  /**
   * Inserts a header line before the first line of the same name (a new top Via, a
   * Record-Route), or before all headers when there is none.
   */
  prepend(name: string, value: string): this {
    const key = canonicalHeaderKey(name);
    const first = this.#fields.findIndex((field) => field.key === key);
    const entry = { name, key, value: String(value) };
    this.#fields.splice(Math.max(first, 0), 0, entry);
    return this;
  }

  /**
   * Replaces every `name` line with one line holding `value`, at the position of the first
   * (or at the end when there was none).
   */
  set(name: string, value: string): this {
    const key = canonicalHeaderKey(name);
    const first = this.#fields.findIndex((field) => field.key === key);
    if (first < 0) return this.add(name, value);
    this.remove(name);
    this.#fields.splice(first, 0, { name, key, value: String(value) });
    return this;
  }

  /** Removes every `name` line; returns how many were removed. */
  remove(name: string): number {
    const key = canonicalHeaderKey(name);
    let removed = 0;
    for (let i = this.#fields.length - 1; i >= 0; i--) {
      if (this.#fields[i]?.key === key) {
        this.#fields.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  /** Removes the first `name` line only (popping a Route or the top Via); returns its value. */
  removeFirst(name: string): string | undefined {
    const key = canonicalHeaderKey(name);
    const index = this.#fields.findIndex((field) => field.key === key);
    if (index < 0) return undefined;
    return this.#fields.splice(index, 1)[0]?.value;
  }

  /** Distinct header names in order of first appearance, as written. */
  names(): string[] {
    const seen = new Set<string>();
    const names: string[] = [];
    for (const field of this.#fields) {
      if (seen.has(field.key)) continue;
      seen.add(field.key);
      names.push(field.name);
    }
    return names;
  }

  /** An independent copy. */
  clone(): SipHeaders {
    return new SipHeaders(this);
  }

  /** Header lines in wire order. */
  *[Symbol.iterator](): Iterator<SipHeaderField> {
    for (const field of this.#fields) yield { name: field.name, value: field.value };
  }
}
