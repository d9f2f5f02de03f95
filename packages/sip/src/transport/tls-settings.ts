import { readFile } from 'node:fs/promises';
import type { SecureContextOptions } from 'node:tls';
import { SipError } from '../sip-error.js';

/**
 * TLS material and policy, mapped from sip.conf (`tlscertfile`, `tlsprivatekey`, `tlscafile`,
 * `tlscipher`, `tlsverifyclient`, `tlsdontverifyserver`).
 */
export interface TlsSettings {
  /** PEM certificate chain (chan_sip `tlscertfile`). */
  readonly cert: string | Buffer;
  /** PEM private key (`tlsprivatekey`; chan_sip falls back to the certificate file). */
  readonly key: string | Buffer;
  /** PEM CA certificates trusted for peers (`tlscafile`). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** OpenSSL cipher list (`tlscipher`). */
  readonly ciphers?: string;
  /** Ask inbound clients for a certificate and refuse those that fail (`tlsverifyclient`). */
  readonly verifyClient?: boolean;
  /** Verify servers we connect to against `ca` (chan_sip `tlsdontverifyserver=no`). Default false. */
  readonly verifyServer?: boolean;
}

/** Paths as written in sip.conf. */
export interface TlsFiles {
  readonly certFile: string;
  /** Defaults to `certFile` (a PEM holding both, like Asterisk's `asterisk.pem`). */
  readonly privateKeyFile?: string;
  readonly caFile?: string;
  readonly ciphers?: string;
  readonly verifyClient?: boolean;
  readonly verifyServer?: boolean;
}

/**
 * Reads the files named in sip.conf into {@link TlsSettings}.
 * @throws {@link SipError} `tls-config` naming the file that cannot be read.
 */
export async function loadTlsFiles(files: TlsFiles): Promise<TlsSettings> {
  const read = async (path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new SipError('tls-config', `Cannot read TLS file '${path}': ${(error as Error).message}`, { cause: error });
    }
  };
  const cert = await read(files.certFile);
  const key = files.privateKeyFile === undefined ? cert : await read(files.privateKeyFile);
  return {
    cert,
    key,
    ...(files.caFile === undefined ? {} : { ca: await read(files.caFile) }),
    ...(files.ciphers === undefined ? {} : { ciphers: files.ciphers }),
    ...(files.verifyClient === undefined ? {} : { verifyClient: files.verifyClient }),
    ...(files.verifyServer === undefined ? {} : { verifyServer: files.verifyServer }),
  };
}

/** The `node:tls` secure-context part of the settings. */
export function secureContextOptions(settings: TlsSettings): SecureContextOptions {
  return {
    cert: settings.cert,
    key: settings.key,
    ...(settings.ca === undefined ? {} : { ca: settings.ca as SecureContextOptions['ca'] }),
    ...(settings.ciphers === undefined ? {} : { ciphers: settings.ciphers }),
  };
}
