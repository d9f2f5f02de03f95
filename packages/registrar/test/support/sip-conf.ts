import { buildSipConf, parseConf, type ConfDocument, type SipConf } from '@tandem/config';

/** A sip.conf model (and its document) from text; fails the test on error diagnostics. */
export function sipConfFrom(text: string): { conf: SipConf; doc: ConfDocument } {
  const doc = parseConf(text, { file: 'sip.conf' });
  const { config, diagnostics } = buildSipConf(doc);
  const errors = [...doc.diagnostics, ...diagnostics].filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`sip.conf errors: ${errors.map((error) => `${error.line}: ${error.message}`).join('; ')}`);
  }
  return { conf: config, doc };
}
