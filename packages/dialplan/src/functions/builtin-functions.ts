/** Every dialplan function Tandem provides, and a registry preloaded with them. */
import { FunctionRegistry, type DialplanFunction } from '../engine/function-registry.js';
import { channelFunctions } from './channel-functions.js';
import { dataFunctions } from './data-functions.js';
import { dialplanFunctions } from './dialplan-functions.js';
import { enumFunctions } from './enum-functions.js';
import { partyFunctions } from './party-functions.js';
import { stringFunctions } from './string-functions.js';

/** The built-in functions. */
export const builtinFunctions: readonly DialplanFunction[] = [
  ...stringFunctions,
  ...channelFunctions,
  ...dataFunctions,
  ...dialplanFunctions,
  ...enumFunctions,
  ...partyFunctions,
];

/** A registry with every built-in function; the host adds its own (SIP_HEADER, SIPPEER, ...). */
export function createFunctionRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const fn of builtinFunctions) registry.register(fn);
  return registry;
}
