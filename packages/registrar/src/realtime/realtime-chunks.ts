import type { RealtimeField } from './realtime-driver.js';

/**
 * Turns one column value into realtime fields the way the SQL drivers do
 * (res_config_pgsql.c, res_config_mysql.c): the value is split at `;`, each chunk trimmed and
 * `^XX` hex escapes decoded (main/config.c `ast_realtime_decode_chunk()`); empty chunks are
 * left out.
 */
export function columnToFields(name: string, value: unknown): RealtimeField[] {
  const text = valueToText(value);
  if (text === undefined || text === '') {
    return [];
  }
  const fields: RealtimeField[] = [];
  for (const chunk of text.split(';')) {
    const decoded = decodeChunk(chunk.trim());
    if (decoded !== '') {
      fields.push({ name, value: decoded });
    }
  }
  return fields;
}

/** `^3B` -> `;` (main/config.c `ast_realtime_decode_chunk()`). */
export function decodeChunk(chunk: string): string {
  return chunk.replace(/\^([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** `;` and `^` -> `^3B`, `^5E` (main/config.c `ast_realtime_encode_chunk()`). */
export function encodeChunk(value: string): string {
  return value.replace(/[;^]/g, (char) => `^${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function valueToText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}
