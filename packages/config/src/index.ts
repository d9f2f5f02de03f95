export type { ConfCategory, ConfDocument, ConfVariable, Diagnostic, SourceLocation } from './conf-types.js';
