import type { ConfCategory, ConfVariable } from '../conf-types.js';

/** What {@link printConf} writes: categories as the parser returns them (inheritance expanded). */
export interface PrintableCategory extends Pick<ConfCategory, 'name' | 'isTemplate'> {
  readonly variables: readonly Pick<ConfVariable, 'name' | 'value' | 'isObject'>[];
}

/**
 * Writes categories back as `.conf` text that {@link parseConf} reads into the same names,
 * template flags and variables: inherited variables are written out (no `(a,b)` lists),
 * `;` is escaped as `\;`, a name starting with `[`, `#` or `\` gets a leading `\`, and
 * `=>` marks object lines. Names and values must not hold line breaks or NUL, and a category
 * name must not hold `]` (the dialect cannot express them); such categories are rejected.
 */
export function printConf(categories: readonly PrintableCategory[]): string {
  const lines: string[] = [];
  for (const category of categories) {
    if (/[\]\r\n\0]/.test(category.name)) throw new RangeError(`category name ${JSON.stringify(category.name)} cannot be written in .conf syntax`);
    lines.push(`[${escapeSemicolons(category.name)}]${category.isTemplate ? '(!)' : ''}`);
    for (const variable of category.variables) {
      if (/[\r\n\0]/.test(variable.name + variable.value) || variable.name.includes('=') || variable.name.trim() === '') {
        throw new RangeError(`variable ${JSON.stringify(variable.name)} cannot be written in .conf syntax`);
      }
      const name = /^[[#\\]/.test(variable.name) ? `\\${variable.name}` : variable.name;
      lines.push(`${escapeSemicolons(name)} ${variable.isObject ? '=>' : '='} ${escapeSemicolons(variable.value)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function escapeSemicolons(text: string): string {
  return text.replaceAll(';', '\\;');
}
