export type { ConfCategory, ConfDocument, ConfVariable, Diagnostic, SourceLocation } from './conf-types.js';
export type { ExtensionsConf, ExtensionsGeneral } from './extensions/extensions-conf.js';
export { buildExtensionsConf, DEFAULT_EXTENSIONS_GENERAL } from './extensions/extensions-conf.js';
export { isAstFalse, isAstTrue, parseAstBool } from './values/ast-bool.js';
export type { ParseConfOptions } from './parser/parse-conf.js';
export { parseConf } from './parser/parse-conf.js';
export type { ConfFileRead, ReadConfFileOptions } from './parser/read-conf-file.js';
export { readConfFile } from './parser/read-conf-file.js';
