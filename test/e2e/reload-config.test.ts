/**
 * What each reload changes on a running server, seen from outside: a register => line still
 * configured is kept (same Call-ID, registered again at once) and a removed one disappears;
 * a removed peer loses its registration; a new bindaddr moves the SIP listener; `dialplan
 * reload` swaps extensions.conf (and refuses a broken one); `core reload` names the settings
 * only a restart applies (block 127.0.34.11-15).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSipp, scenarioWith, sipOptionsPing, startSipp, startTandem, type SippRun, type TandemProcess } from '@tandem/test-support';
import { phonesSipConf, registerPhone, sippPhone } from './phones.js';
import { PHONE_PORT, SIP_PORT, scenario } from './test-server.js';

const SERVER = '127.0.34.11';
const MOVED = '127.0.34.12';
const PROVIDER = '127.0.34.13';
const ALICE = '127.0.34.14';
const DAVE = '127.0.34.15';
const REGISTER_LINE = `register => acme:acmepw@${PROVIDER}:${PHONE_PORT}/7000`;

const sipConf = (options: { bind?: string; register?: boolean; dave?: boolean } = {}): string =>
  phonesSipConf(
    { server: options.bind ?? SERVER, sipPort: SIP_PORT },
    { alice: '', ...(options.dave === false ? {} : { dave: '' }) },
    options.register === false ? '' : REGISTER_LINE,
  );

const extensionsConf = (extra = ''): string => `
[phones]
exten => 100,1,Answer()
exten => 100,n,Hangup()
${extra}
`;

describe('reloads seen from outside', () => {
  let tandem: TandemProcess;
  let provider: SippRun;
  let server = { server: SERVER, sipPort: SIP_PORT };
  const alice = () => sippPhone(server, 'alice', ALICE, PHONE_PORT);
  const dave = () => sippPhone(server, 'dave', DAVE, PHONE_PORT);

  beforeAll(async () => {
    // The provider listens before Tandem starts and registers to it.
    provider = startSipp({ scenario: scenario('reload-provider-registrar.xml'), remote: `${SERVER}:${SIP_PORT}`, localAddress: PROVIDER, localPort: PHONE_PORT, timeoutMs: 60_000 });
    tandem = await startTandem({
      files: { 'sip.conf': sipConf(), 'extensions.conf': extensionsConf(), 'rtp.conf': '[general]\nrtpstart=22400\nrtpend=22500\n' },
      sipAddress: SERVER,
      sipPort: SIP_PORT,
    });
  });

  afterAll(async () => {
    provider?.kill();
    await tandem?.[Symbol.asyncDispose]();
  });

  it('keeps a register => line that is still configured: same Call-ID, registered again at once', async () => {
    const first = await provider.waitForLog(/register callid=(\S+) cseq=(\d+)/);
    expect(first, provider.logs()).toBeDefined();
    await expect.poll(async () => (await tandem.rx('sip show registry')).output, { timeout: 5000 }).toMatch(/acme\s+\d+ Registered/);

    const reload = await tandem.rx('sip reload');
    expect(reload.code, reload.output).toBe(0);
    const result = await provider.done;
    expect(result.exitCode, result.messages).toBe(0);
    const lines = [...result.logs.matchAll(/register callid=(\S+) cseq=(\d+)/g)];
    expect(lines).toHaveLength(2);
    expect(lines[1]?.[1]).toBe(first?.[1]);
    expect(Number(lines[1]?.[2])).toBeGreaterThan(Number(first?.[2]));
    await expect.poll(async () => (await tandem.rx('sip show registry')).output, { timeout: 5000 }).toMatch(/acme\s+\d+ Registered/);
  });

  it('drops a register => line removed from sip.conf', async () => {
    tandem.confDir.write('sip.conf', sipConf({ register: false }));
    expect((await tandem.rx('sip reload')).code).toBe(0);
    expect((await tandem.rx('sip show registry')).output).toContain('0 SIP registrations.');
  });

  it('unregisters a peer removed from sip.conf: gone from sip show peers, its REGISTER refused', async () => {
    await registerPhone(dave(), 'dave');
    expect((await tandem.rx('sip show peers')).output).toMatch(/^dave\/dave\s+127\.0\.34\.15\s/m);

    tandem.confDir.write('sip.conf', sipConf({ register: false, dave: false }));
    const reload = await tandem.rx('sip reload');
    expect(reload.output).toContain('peers: 1 kept, 1 removed (dave)');
    const peers = (await tandem.rx('sip show peers')).output;
    expect(peers).not.toContain('dave');
    expect(peers).toContain('1 sip peers');
    expect((await tandem.rx('sip show peer dave')).output).toContain('Peer dave not found.');
    // alwaysauthreject=yes: challenged, then refused like a wrong password.
    const again = await runSipp(dave()({ scenario: scenario('register-wrong-password.xml'), args: ['-s', 'dave'] }));
    expect(again.exitCode, again.messages).toBe(0);
  });

  it('moves the SIP listener to a new bindaddr; phones register there and the old address is silent', async () => {
    tandem.confDir.write('sip.conf', sipConf({ bind: MOVED, register: false, dave: false }));
    const reload = await tandem.rx('sip reload');
    expect(reload.code, reload.output).toBe(0);
    expect(reload.output).toContain(`SIP listener opened: udp ${MOVED}:${SIP_PORT}`);
    expect(reload.output).toContain(`SIP listener closed: udp ${SERVER}:${SIP_PORT}`);
    server = { server: MOVED, sipPort: SIP_PORT };
    expect(await sipOptionsPing(MOVED, SIP_PORT)).toMatch(/^SIP\/2\.0 \d{3}/);
    expect(await sipOptionsPing(SERVER, SIP_PORT)).toBeUndefined();
    await registerPhone(alice(), 'alice');
  });

  it('swaps extensions.conf on dialplan reload, and keeps it when the new one is broken', async () => {
    tandem.confDir.write('extensions.conf', extensionsConf('exten => 101,1,Busy()'));
    const reload = await tandem.rx('dialplan reload');
    expect(reload.code, reload.output).toBe(0);
    expect((await tandem.rx('dialplan show 101@phones')).output).toContain("'101' =>");
    const busy = await runSipp(alice()({ scenario: scenarioWith(scenario('uac-expect-final.xml'), { EXPECTED_STATUS: '486' }), args: ['-s', '101', '-set', 'rtpport', '7400'] }));
    expect(busy.exitCode, busy.messages).toBe(0);

    tandem.confDir.write('extensions.conf', '[phones]\nsame => n,Hangup()\n');
    const refused = await tandem.rx('dialplan reload');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/^extensions\.conf:2: error: No previous pattern/m);
    expect((await tandem.rx('dialplan show 101@phones')).output).toContain("'101' =>");
  });

  it('names on core reload the settings only a restart applies', async () => {
    tandem.confDir.write('extensions.conf', extensionsConf('exten => 101,1,Busy()'));
    tandem.confDir.write('rtp.conf', '[general]\nrtpstart=22600\nrtpend=22700\n');
    const reload = await tandem.rx('core reload');
    expect(reload.code, reload.output).toBe(0);
    expect(reload.output).toContain('changed, applied at the next restart: rtp.conf rtpstart/rtpend (22400-22500 in use, 22600-22700 configured)');
  });
});
