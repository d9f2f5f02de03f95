import type { ConfVariable } from '../conf-types.js';

/** What a `(+filter)` category filter tests. */
export interface FilterableCategory {
  readonly isTemplate: boolean;
  readonly variables: readonly ConfVariable[];
}

/**
 * A category filter of `[name](+filter)`: `&`-separated `name_regex=value_regex` terms that
 * some variable must match each, plus `TEMPLATES=include|restrict` (Asterisk 20 main/config.c
 * `does_category_match()`). An empty filter matches any non-template category.
 */
export type CategoryFilter =
  | { readonly ok: true; readonly matches: (category: FilterableCategory) => boolean }
  | { readonly ok: false; readonly message: string };

/** Compiles a filter; an invalid regular expression is reported instead of matching nothing. */
export function compileCategoryFilter(filter: string): CategoryFilter {
  if (filter.trim() === '') return { ok: true, matches: (category) => !category.isTemplate };
  const terms: Array<{ name: RegExp; value: RegExp }> = [];
  let templatesIncluded = false;
  let templatesOnly = false;
  let malformed = false;
  for (const rawTerm of filter.split('&')) {
    const term = rawTerm.trim();
    const equals = term.indexOf('=');
    if (equals < 0) {
      // does_category_match(): a term without '=' can never be satisfied.
      malformed = true;
      break;
    }
    const nameSource = term.slice(0, equals).trim();
    const valueSource = term.slice(equals + 1).trim();
    if (nameSource === 'TEMPLATES') {
      const mode = valueSource.toLowerCase();
      if (mode === 'include') templatesIncluded = true;
      else if (mode === 'restrict') templatesOnly = true;
      continue;
    }
    try {
      terms.push({ name: new RegExp(nameSource), value: new RegExp(valueSource) });
    } catch {
      return { ok: false, message: `regular expression in category filter '${term}' failed to compile` };
    }
  }
  return {
    ok: true,
    matches: (category) => {
      if (malformed) return false;
      if (templatesOnly && !category.isTemplate) return false;
      if (category.isTemplate && !templatesIncluded && !templatesOnly) return false;
      return terms.every((term) =>
        category.variables.some((variable) => term.name.test(variable.name) && term.value.test(variable.value)),
      );
    },
  };
}
