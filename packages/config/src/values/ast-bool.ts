/**
 * Asterisk's boolean words (main/utils.c `ast_true()` / `ast_false()`): case-insensitive,
 * and a word may be neither true nor false.
 */

const TRUE_WORDS: ReadonlySet<string> = new Set(['yes', 'true', 'y', 't', '1', 'on']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['no', 'false', 'n', 'f', '0', 'off']);

/** True for `yes true y t 1 on` in any case, as `ast_true()` decides. */
export function isAstTrue(value: string | undefined): boolean {
  return value !== undefined && TRUE_WORDS.has(value.toLowerCase());
}

/** True for `no false n f 0 off` in any case, as `ast_false()` decides. */
export function isAstFalse(value: string | undefined): boolean {
  return value !== undefined && FALSE_WORDS.has(value.toLowerCase());
}

/** The boolean a word stands for, or `undefined` when it is neither true nor false. */
export function parseAstBool(value: string): boolean | undefined {
  if (isAstTrue(value)) return true;
  if (isAstFalse(value)) return false;
  return undefined;
}
