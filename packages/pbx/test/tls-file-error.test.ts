import { describe, expect, it } from 'vitest';
import { parseConf } from '@tandem/config';
import { SipError } from '@tandem/sip';
import { tlsFileDiagnostic } from '../src/reload/tls-file-error.js';

const document = parseConf('[general]\ntlsenable=yes\ntlscertfile=/keys/server.pem\ntlsprivatekey=/keys/server.key\n', { file: 'sip.conf' });

describe('TLS files read again on sip reload', () => {
  it('points at the sip.conf line naming the file that cannot be read', () => {
    const error = new SipError('tls-config', "Cannot read TLS file '/keys/server.key': ENOENT: no such file or directory");
    expect(tlsFileDiagnostic(document, error)).toEqual({ severity: 'error', file: 'sip.conf', line: 4, message: error.message });
  });

  it('falls back to the certificate line for bad TLS material, and ignores other errors', () => {
    const error = new SipError('tls-config', 'Bad TLS material: no start line');
    expect(tlsFileDiagnostic(document, error)).toMatchObject({ file: 'sip.conf', line: 3 });
    expect(tlsFileDiagnostic(document, new SipError('bind-failed', 'in use'))).toBeUndefined();
    expect(tlsFileDiagnostic(document, new Error('other'))).toBeUndefined();
  });
});
