import type { ConfCategory, ConfDocument, ConfVariable } from '../conf-types.js';

/** Section names compare case-insensitively (main/config.c `does_category_match()`). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The first non-template category with this name, as `ast_category_get()` /
 * `ast_variable_retrieve()` find it; later duplicates are not consulted.
 */
export function firstCategory(doc: ConfDocument, name: string): ConfCategory | undefined {
  return doc.categories.find((category) => !category.isTemplate && sameName(category.name, name));
}

/** Every non-template category with this name, in file order. */
export function categoriesNamed(doc: ConfDocument, name: string): ConfCategory[] {
  return doc.categories.filter((category) => !category.isTemplate && sameName(category.name, name));
}

/** The first variable with this name (case-insensitive), as `ast_variable_retrieve()` returns. */
export function firstVariable(category: ConfCategory | undefined, name: string): ConfVariable | undefined {
  return category?.variables.find((variable) => sameName(variable.name, name));
}
