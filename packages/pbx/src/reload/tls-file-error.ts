import type { ConfDocument, Diagnostic } from '@tandem/config';
import { isSipError } from '@tandem/sip';

/** The `[general]` settings that name TLS files. */
const TLS_FILE_SETTINGS = ['tlscertfile', 'sslcert', 'tlscert', 'tlsprivatekey', 'sslprivatekey', 'tlscafile', 'sslcafile'];

/**
 * A TLS file that cannot be read or used when `sip reload` reads the certificates again
 * (chan_sip reload_config() re-reads them): a diagnostic at the sip.conf line that names the
 * TLS files, so the reload is refused with a clear message and the running TLS stays as it was.
 * Other errors are not TLS file errors: undefined.
 */
export function tlsFileDiagnostic(sipDocument: ConfDocument, error: unknown): Diagnostic | undefined {
  if (!isSipError(error) || error.code !== 'tls-config') return undefined;
  const general = sipDocument.categories.find((category) => !category.isTemplate && category.name.toLowerCase() === 'general');
  const lines = TLS_FILE_SETTINGS.map((name) => general?.variables.findLast((variable) => variable.name.toLowerCase() === name)).filter((found) => found !== undefined);
  // The line naming the file the error is about, else the first TLS file line.
  const line = lines.find((candidate) => candidate.value !== '' && error.message.includes(candidate.value)) ?? lines[0];
  const where = line ?? general ?? { file: sipDocument.file, line: 0 };
  return { severity: 'error', file: where.file, line: where.line, message: error.message };
}
