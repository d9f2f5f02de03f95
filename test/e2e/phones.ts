/**
 * Phones for the end-to-end tests: a sip.conf with a `[phone](!)` template and one section per
 * phone (secret `<name>pw`), and sipp runs that act as one of them.
 */
import { expect } from 'vitest';
import { runSipp, type SippOptions } from '@tandem/test-support';
import { scenario, sipGeneral, sippAt, type PartyOptions, type ServerAddress } from './test-server.js';

/**
 * sip.conf: `[general]` on `server` (allowguest=no, plus `general` lines), the `[phone](!)`
 * template (friend, dynamic, context `phones`, ulaw), then `phones` (name → extra lines).
 */
export function phonesSipConf(server: ServerAddress, phones: Readonly<Record<string, string>>, general = ''): string {
  const sections = Object.entries(phones).map(([name, extra]) => `[${name}](phone)\nsecret=${name}pw\n${extra}`);
  return `
${sipGeneral(server)}
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
  return (options: PartyOptions & { readonly localPort?: number }): SippOptions =>
    sippAt(server, address, options.localPort ?? port, { ...options, args: ['-au', name, '-ap', `${name}pw`, '-set', 'caller', name, ...(options.args ?? [])] });
}

/** Registers a phone with register.xml and expects 200. */
export async function registerPhone(phone: ReturnType<typeof sippPhone>, name: string): Promise<void> {
  const result = await runSipp(phone({ scenario: scenario('register.xml'), args: ['-s', name] }));
  expect(result.exitCode, result.messages).toBe(0);
}
