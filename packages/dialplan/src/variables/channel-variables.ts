/**
 * Variable names with inheritance prefixes (Asterisk 20, main/chanvars.c `ast_var_name()`,
 * main/pbx_variables.c `pbx_builtin_setvar_helper()`): `_X` and `__X` are the variable `X`,
 * read without the underscores; setting any form replaces the others.
 */
import type { ChannelVariables, DialplanChannel } from '../channel.js';

/** A store of variables keyed by name as written (channel variables, globals). */
export interface VariableStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** The name without `_`/`__`. */
export function bareVariableName(name: string): string {
  if (name.startsWith('__')) return name.slice(2);
  if (name.startsWith('_')) return name.slice(1);
  return name;
}

/** Reads `name` whichever inheritance prefix it was set with. */
export function readVariable(store: VariableStore, name: string): string | undefined {
  // A name read with underscores never matches (ast_var_name() strips them from stored names).
  if (name.startsWith('_')) return undefined;
  return store.get(name) ?? store.get(`_${name}`) ?? store.get(`__${name}`);
}

/** Sets `name` (with its prefix) after removing every other form of it; undefined deletes. */
export function writeVariable(store: VariableStore, name: string, value: string | undefined): void {
  const bare = bareVariableName(name);
  store.delete(bare);
  store.delete(`_${bare}`);
  store.delete(`__${bare}`);
  if (value !== undefined) store.set(name, value);
}

/**
 * ast_channel_inherit_variables(): copies `_X` to the child as `X` (one level) and `__X` as
 * `__X` (every level). The host's Dial/Originate path calls this before `call()`.
 */
export function inheritVariables(parent: DialplanChannel, child: DialplanChannel): void {
  inheritVariablesInto(parent.variables, child.variables);
}

/** inheritVariables() on bare stores. */
export function inheritVariablesInto(parent: ChannelVariables, child: ChannelVariables): void {
  for (const [name, value] of parent.entries()) {
    if (name.startsWith('__')) writeVariable(child, name, value);
    else if (name.startsWith('_')) writeVariable(child, name.slice(1), value);
  }
}

/** A plain map-backed store (globals, test channels). */
export class MapVariables implements ChannelVariables {
  private readonly values = new Map<string, string>();

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  delete(name: string): void {
    this.values.delete(name);
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}
