/** Whole numbers as configuration files write them: optional sign, decimal digits, no junk. */
const INTEGER = /^[+-]?\d+$/;

/**
 * The integer a value spells, or `undefined` when it is not exactly an integer. Asterisk's
 * `sscanf("%d")` / `atoi()` would accept `10abc` as 10; Tandem reports such values instead.
 */
export function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A port number 1–65535 (chan_sip `port_str2int()`), or `undefined`. */
export function parsePort(text: string): number | undefined {
  const port = parseInteger(text);
  return port !== undefined && port >= 1 && port <= 65535 ? port : undefined;
}
