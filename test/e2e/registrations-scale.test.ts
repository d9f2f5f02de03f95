/**
 * Registrations at scale and their persistence: 1,000 sip.conf phones register with digest
 * authentication from one sipp process (an injection file gives each call its phone), Tandem
 * restarts (gracefully, then killed with SIGKILL), and a call reaches a phone that did not
 * register again, at the Contact it registered before the restart.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp, startSipp, startTandem, useConfDir, type ConfDir, type SippOptions, type TandemProcess } from '@tandem/test-support';
import { SIP_PORT, rtpConf, scenario, sipGeneral, sippAt } from './test-server.js';

// Addresses 127.0.35.1-19 belong to this file.
const SERVER = '127.0.35.1';
const PHONES = '127.0.35.2';
const CALLER = '127.0.35.3';
const net = { server: SERVER, sipPort: SIP_PORT };
const PHONES_PORT = 5170;
const MOVED_PORT = 5171;
const CALLER_PORT = 5172;
const PHONE_COUNT = 1000;
const phoneName = (index: number): string => `phone${String(index).padStart(4, '0')}`;
const phoneSecret = (index: number): string => `pw${String(index).padStart(4, '0')}-secret`;

function sipConf(): string {
  const lines = [
    sipGeneral(net),
    'allowguest=no',
    'alwaysauthreject=yes',
    '',
    '[phone](!)',
    'type=friend',
    'host=dynamic',
    'context=phones',
    'disallow=all',
    'allow=ulaw',
  ];
  for (let index = 1; index <= PHONE_COUNT; index++) lines.push('', `[${phoneName(index)}](phone)`, `secret=${phoneSecret(index)}`);
  return `${lines.join('\n')}\n`;
}

const files = {
  'sip.conf': sipConf(),
  'extensions.conf': `
[phones]
exten => _X.,1,Dial(SIP/phone\${EXTEN},10)
`,
  'rtp.conf': rtpConf(23500, 23540),
};

/** An injection file with phones `first`..`last` (one per sipp call, in order). */
function injectionFile(confDir: ConfDir, name: string, first: number, last: number): string {
  const lines = ['SEQUENTIAL'];
  for (let index = first; index <= last; index++) {
    lines.push(`${phoneName(index)};[authentication username=${phoneName(index)} password=${phoneSecret(index)}]`);
  }
  const path = join(confDir.path, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** sipp registering phones `first`..`last` from PHONES:`port`, 200 per second, 50 at a time. */
function registerPhones(confDir: ConfDir, first: number, last: number, port: number): SippOptions {
  return sippAt(net, PHONES, port, {
    scenario: scenario('register-from-csv.xml'),
    calls: last - first + 1,
    timeoutMs: 60_000,
    args: ['-inf', injectionFile(confDir, `phones-${first}-${last}.csv`, first, last), '-r', '200', '-l', '50'],
  });
}

/** The `sip show peers` row of a phone, with its host and port. */
function peerRow(output: string, index: number): string | undefined {
  return output.split('\n').find((line) => line.startsWith(`${phoneName(index)}/`));
}

describe(`${PHONE_COUNT} registered phones survive restarts`, () => {
  const confDir = useConfDir(files);
  let tandem: TandemProcess;

  beforeAll(async () => {
    tandem = await startTandem({ confDir, sipAddress: SERVER, sipPort: SIP_PORT });
  });

  afterAll(async () => {
    await tandem?.stop();
    confDir.remove();
  });

  it(`registers ${PHONE_COUNT} phones with digest authentication from an injection file`, async () => {
    const result = await runSipp(registerPhones(confDir, 1, PHONE_COUNT, PHONES_PORT));
    expect(result.exitCode, result.stdout + result.errors).toBe(0);
    const { output } = await tandem.rx('sip show peers');
    expect(output).toContain(`${PHONE_COUNT} sip peers [Monitored: 0 online, 0 offline Unmonitored: ${PHONE_COUNT} online, 0 offline]`);
    expect(peerRow(output, 537)).toMatch(new RegExp(`^phone0537/phone0537\\s+127\\.0\\.35\\.2\\s+D\\s.*\\s${PHONES_PORT}\\s+Unmonitored`));
  });

  it('keeps every binding across a graceful restart (SIGTERM)', async () => {
    expect(await tandem.stop()).toBe(0);
    tandem = await startTandem({ confDir, sipAddress: SERVER, sipPort: SIP_PORT });
    expect(tandem.output()).toContain(`restored ${PHONE_COUNT} registration(s) from the store`);
    const { output } = await tandem.rx('sip show peers');
    expect(output).toContain(`Unmonitored: ${PHONE_COUNT} online, 0 offline`);
    const peer = await tandem.rx('sip show peer phone0537');
    expect(peer.output).toMatch(new RegExp(`Reg\\. Contact\\s*: sip:phone0537@127\\.0\\.35\\.2:${PHONES_PORT}`));
  });

  it('keeps bindings acknowledged just before a crash (SIGKILL)', async () => {
    // Phones 901-1000 move to another port; Tandem is killed as soon as the last 200 arrived.
    const result = await runSipp(registerPhones(confDir, 901, PHONE_COUNT, MOVED_PORT));
    expect(result.exitCode, result.stdout + result.errors).toBe(0);
    await tandem.kill();
    tandem = await startTandem({ confDir, sipAddress: SERVER, sipPort: SIP_PORT });
    const { output } = await tandem.rx('sip show peers');
    expect(output).toContain(`Unmonitored: ${PHONE_COUNT} online, 0 offline`);
    expect(peerRow(output, 900)).toMatch(new RegExp(`\\s${PHONES_PORT}\\s+Unmonitored`));
    for (const index of [901, 950, PHONE_COUNT]) expect(peerRow(output, index)).toMatch(new RegExp(`\\s${MOVED_PORT}\\s+Unmonitored`));
  });

  it('calls a phone that has not registered since the restarts, at its registered Contact', async () => {
    const callee = startSipp(sippAt(net, PHONES, PHONES_PORT, { scenario: scenario('uas-answer-log-ruri.xml'), args: ['-set', 'rtpport', '7100'] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const caller = await runSipp(
      sippAt(net, CALLER, CALLER_PORT, {
        scenario: scenario('uac-call.xml'),
        args: ['-s', '0537', '-au', phoneName(1), '-ap', phoneSecret(1), '-set', 'caller', phoneName(1), '-set', 'rtpport', '7102', '-d', '500'],
      }),
    );
    const calleeResult = await callee.done;
    expect(caller.exitCode, caller.messages).toBe(0);
    expect(calleeResult.exitCode, calleeResult.messages).toBe(0);
    expect(calleeResult.logs).toContain('ruri=phone0537');
  });
});
