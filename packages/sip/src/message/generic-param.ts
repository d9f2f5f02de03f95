/**
 * One `;name[=value]` parameter of a URI, a header or a Via. `value` is `null` for a
 * parameter written without `=` (`;lr`, `;rport`); a quoted value keeps its quotes so the
 * text round-trips byte for byte.
 */
export interface GenericParam {
  name: string;
  value: string | null;
}

/** First value of the parameter `name` (case-insensitive), `null` if it has no value, `undefined` if absent. */
export function getParam(params: readonly GenericParam[], name: string): string | null | undefined {
  const lower = name.toLowerCase();
  for (const param of params) {
    if (param.name.toLowerCase() === lower) return param.value;
  }
  return undefined;
}

/** True when a parameter named `name` is present (case-insensitive). */
export function hasParam(params: readonly GenericParam[], name: string): boolean {
  return getParam(params, name) !== undefined;
}

/**
 * Sets `name` to `value`: replaces the first parameter of that name (dropping any repeats)
 * or appends it. Mutates and returns `params`.
 */
export function setParam(params: GenericParam[], name: string, value: string | null): GenericParam[] {
  const lower = name.toLowerCase();
  const index = params.findIndex((param) => param.name.toLowerCase() === lower);
  if (index < 0) {
    params.push({ name, value });
    return params;
  }
  params[index] = { name: params[index]?.name ?? name, value };
  for (let i = params.length - 1; i > index; i--) {
    if (params[i]?.name.toLowerCase() === lower) params.splice(i, 1);
  }
  return params;
}

/** Removes every parameter named `name` (case-insensitive). Mutates and returns `params`. */
export function removeParam(params: GenericParam[], name: string): GenericParam[] {
  const lower = name.toLowerCase();
  for (let i = params.length - 1; i >= 0; i--) {
    if (params[i]?.name.toLowerCase() === lower) params.splice(i, 1);
  }
  return params;
}

/** Writes parameters as `;a=b;c` (`separator` `&` for URI headers, written after a `?`). */
export function formatParams(params: readonly GenericParam[], separator: ';' | '&' = ';'): string {
  let text = '';
  for (const [index, param] of params.entries()) {
    const lead = separator === '&' && index === 0 ? '' : separator;
    text += param.value === null ? `${lead}${param.name}` : `${lead}${param.name}=${param.value}`;
  }
  return text;
}

/** Removes the surrounding quotes of a quoted-string and its `\` escapes (RFC 3261 §25.1). */
export function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Wraps `value` in quotes, escaping `"` and `\` (RFC 3261 §25.1 quoted-pair). */
export function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}
