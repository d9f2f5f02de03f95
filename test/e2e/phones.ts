/**
 * Phones for the end-to-end tests: a sip.conf with a `[phone](!)` template and one section per
 * phone (secret `<name>pw`), and sipp runs that act as one of them.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runSipp, type SippOptions } from '@tandem/test-support';

/** A scenario of test/e2e/scenarios. */
export const scenario = (name: string): string => fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));

/** Where the server listens. */
export interface ServerAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * sip.conf: `[general]` on `server` (allowguest=no, plus `general` lines), the `[phone](!)`
 * template (friend, dynamic, context `phones`, ulaw), then `phones` (name → extra lines).
 */
export function phonesSipConf(server: ServerAddress, phones: Readonly<Record<string, string>>, general = ''): string {
  const sections = Object.entries(phones).map(([name, extra]) => `[${name}](phone)\nsecret=${name}pw\n${extra}`);
  return `
[general]
; the relay is under test: Asterisk's default directmedia=yes would point the phones at each other
directmedia=no
bindaddr=${server.address}
bindport=${server.port}
allowguest=no
${general}

[phone](!)
type=friend
host=dynamic
context=phones
disallow=all
allow=ulaw

${sections.join('\n')}
`;
}

/** Builds sipp options for phone `name` at `address:port` (credentials `name`/`namepw`). */
export function sippPhone(server: ServerAddress, name: string, address: string, port: number) {
  return (options: Omit<SippOptions, 'remote' | 'localAddress' | 'localPort'> & { readonly localPort?: number }): SippOptions => ({
    remote: `${server.address}:${server.port}`,
    localAddress: address,
    localPort: options.localPort ?? port,
    ...options,
    args: ['-au', name, '-ap', `${name}pw`, '-set', 'caller', name, ...(options.args ?? [])],
  });
}

/** Registers a phone with register.xml and expects 200. */
export async function registerPhone(phone: ReturnType<typeof sippPhone>, name: string): Promise<void> {
  const result = await runSipp(phone({ scenario: scenario('register.xml'), args: ['-s', name] }));
  expect(result.exitCode, result.messages).toBe(0);
}
