import { isAbsolute, resolve } from 'node:path';
import { isAstTrue, readConfFile, type TandemConfig, type TlsSetting } from '@tandem/config';
import type { Logger } from '@tandem/registrar';
import { loadTlsFiles, type ListenOptions, type SipEndpointOptions, type TlsSettings } from '@tandem/sip';
import { splitHostPort } from './chan-sip/dial-string.js';

/** Asterisk's HTTP server defaults (main/http.c DEFAULT_PORT, DEFAULT_TLS_PORT). */
const HTTP_PORT = 8088;
const HTTPS_PORT = 8089;

/** A file named in a .conf, relative names taken from the config directory. */
function configPath(config: TandemConfig, file: string): string {
  return isAbsolute(file) ? file : resolve(config.configDir, file);
}

/**
 * The certificates of a `tls*` block (main/tcptls.c ast_tls_read_conf()): `tlscertfile`,
 * `tlsprivatekey` (default: the certificate file), `tlscafile`, `tlscipher`,
 * `tlsverifyclient`; `tlsdontverifyserver=no` verifies the servers we connect to.
 */
function tlsSettingsOf(config: TandemConfig, tls: Pick<TlsSetting, 'certFile' | 'privateKey' | 'caFile' | 'cipher' | 'verifyClient' | 'dontVerifyServer'>): Promise<TlsSettings> {
  return loadTlsFiles({
    certFile: configPath(config, tls.certFile),
    ...(tls.privateKey === '' ? {} : { privateKeyFile: configPath(config, tls.privateKey) }),
    ...(tls.caFile === '' ? {} : { caFile: configPath(config, tls.caFile) }),
    ...(tls.cipher === '' ? {} : { ciphers: tls.cipher }),
    verifyClient: tls.verifyClient,
    verifyServer: !tls.dontVerifyServer,
  });
}

/**
 * How the SIP endpoint is built from sip.conf: `tcpauthtimeout` and `tcpauthlimit` for inbound
 * TCP/TLS sessions that have not authenticated, and the client side of TLS (our certificate,
 * the CA that verifies servers unless `tlsdontverifyserver=yes`). `sip reload` applies them
 * again (chan_sip reload_config() re-reads them and the TLS files).
 * @throws {@link SipError} `tls-config` when a TLS file cannot be read.
 */
export async function endpointOptionsOf(config: TandemConfig): Promise<SipEndpointOptions> {
  const general = config.sip.general;
  return {
    authTimeoutMs: general.tcpauthtimeout * 1000,
    maxUnauthenticated: general.tcpauthlimit,
    ...(general.tls.enabled ? { tlsClient: await tlsSettingsOf(config, general.tls) } : {}),
  };
}

/**
 * The SIP listeners the configuration asks for: UDP always; TCP with `tcpenable`; TLS with
 * `tlsenable` (sip.conf certificates); WS and WSS (RFC 7118, path `<prefix>/ws`) on Asterisk's
 * HTTP server as http.conf describes it (`enabled`, `bindaddr`, `bindport`, `tlsenable`,
 * `tlsbindaddr`, `tlscertfile`, `tlsprivatekey`), when sip.conf `websocket_enabled` is on.
 * @throws {@link SipError} `tls-config` when a TLS file cannot be read.
 */
export async function listenersOf(config: TandemConfig, logger: Logger): Promise<ListenOptions[]> {
  const general = config.sip.general;
  const listeners: ListenOptions[] = [{ transport: 'udp', address: general.udpBindAddress.host, port: general.udpBindAddress.port }];
  if (general.tcpEnabled) {
    listeners.push({ transport: 'tcp', address: general.tcpBindAddress.host, port: general.tcpBindAddress.port });
  }
  if (general.tls.enabled) {
    const bind = general.tls.bindAddress;
    listeners.push({ transport: 'tls', address: bind.host, port: bind.port ?? 5061, tls: await tlsSettingsOf(config, general.tls) });
  }
  if (general.websocketEnabled) listeners.push(...(await webSocketListeners(config, logger)));
  return listeners;
}

// main/http.c __ast_http_load() and res_http_websocket's `/ws` URI, where chan_sip's
// WebSocket transport lives.
async function webSocketListeners(config: TandemConfig, logger: Logger): Promise<ListenOptions[]> {
  const read = readConfFile(config.configDir, 'http.conf');
  if (read.missing) return [];
  const values = new Map<string, string>();
  for (const variable of read.document.categories.find((category) => category.name.toLowerCase() === 'general')?.variables ?? []) {
    values.set(variable.name.toLowerCase(), variable.value);
  }
  if (!isAstTrue(values.get('enabled') ?? 'no')) return [];
  const prefix = values.get('prefix') ?? '';
  const path = `${prefix === '' ? '' : `/${prefix}`}/ws`;
  const bindText = values.get('bindaddr') ?? '';
  if (bindText === '') {
    logger.warn('http.conf: enabled without bindaddr; no WebSocket listener (as Asterisk)');
    return [];
  }
  const bind = splitHostPort(bindText);
  const port = Number.parseInt(values.get('bindport') ?? String(HTTP_PORT), 10);
  const listeners: ListenOptions[] = [{ transport: 'ws', address: bind.host, port: Number.isInteger(port) ? port : HTTP_PORT, path }];
  if (isAstTrue(values.get('tlsenable') ?? 'no')) {
    const tlsBind = splitHostPort(values.get('tlsbindaddr') ?? bind.host);
    const certFile = values.get('tlscertfile') ?? 'asterisk.pem';
    const tls = await tlsSettingsOf(config, {
      certFile,
      privateKey: values.get('tlsprivatekey') ?? '',
      caFile: '',
      cipher: values.get('tlscipher') ?? '',
      verifyClient: false,
      dontVerifyServer: true,
    });
    listeners.push({ transport: 'wss', address: tlsBind.host, port: tlsBind.port ?? HTTPS_PORT, tls, path });
  }
  return listeners;
}
