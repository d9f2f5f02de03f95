/**
 * Pbx.reload() on a running PBX (in this process, on the 127.0.34.10x addresses of this test
 * block): what stays, what changes, and that a configuration with errors changes nothing.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@tandem/registrar';
import { Pbx } from '../src/index.js';

const SERVER = '127.0.34.100';
const MOVED = '127.0.34.101';
const PHONE = '127.0.34.102';
const SIP_PORT = 5170;

const sipConf = (options: { bind?: string; peers?: string[]; extra?: string } = {}): string => `
[general]
bindaddr=${options.bind ?? SERVER}
bindport=${SIP_PORT}
allowguest=no
${options.extra ?? ''}

[phone](!)
type=friend
host=dynamic
context=phones

${(options.peers ?? ['alice', 'bob']).map((name) => `[${name}](phone)\n`).join('\n')}
`;

const extensionsConf = (extension = '100'): string => `
[phones]
exten => ${extension},1,Answer()
`;

/** A phone's UDP socket: sends one request and resolves with the first line of the answer. */
class Phone {
  readonly #socket: Socket;
  #cseq = 1;

  private constructor(socket: Socket) {
    this.#socket = socket;
  }

  static async open(): Promise<Phone> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, PHONE, () => resolve()));
    return new Phone(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** Sends `method` to `server`; undefined when nothing answers within 1 s. */
  async request(method: 'REGISTER' | 'OPTIONS', user: string, server = SERVER): Promise<string | undefined> {
    const branch = `z9hG4bK${Math.random().toString(16).slice(2)}`;
    const lines = [
      `${method} sip:${server}:${SIP_PORT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PHONE}:${this.port};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:${user}@${server}>;tag=${branch.slice(-8)}`,
      `To: <sip:${user}@${server}>`,
      `Call-ID: ${branch}@${PHONE}`,
      `CSeq: ${this.#cseq++} ${method}`,
      `Contact: <sip:${user}@${PHONE}:${this.port}>`,
      ...(method === 'REGISTER' ? ['Expires: 300'] : []),
      'Content-Length: 0',
      '',
      '',
    ];
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), 1000);
      const onMessage = (data: Buffer): void => {
        const text = data.toString('latin1');
        if (text.includes(branch)) finish(text.split('\r\n')[0]);
      };
      const finish = (line: string | undefined): void => {
        clearTimeout(timer);
        this.#socket.off('message', onMessage);
        resolve(line);
      };
      this.#socket.on('message', onMessage);
      this.#socket.send(lines.join('\r\n'), SIP_PORT, server);
    });
  }

  close(): void {
    this.#socket.close();
  }
}

describe('Pbx.reload()', () => {
  let dir: string;
  let pbx: Pbx;
  let phone: Phone;
  const write = (name: string, text: string): void => writeFileSync(join(dir, name), text);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-reload-'));
    write('sip.conf', sipConf());
    write('extensions.conf', extensionsConf());
    write('rtp.conf', '[general]\nrtpstart=23000\nrtpend=23100\n');
    pbx = await Pbx.start({ configDir: dir, dataDir: join(dir, 'data'), logger: silentLogger });
    phone = await Phone.open();
  });

  afterEach(async () => {
    phone.close();
    await pbx.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the registrations of peers still configured, unregisters removed ones and adds new ones', async () => {
    expect(await phone.request('REGISTER', 'alice')).toBe('SIP/2.0 200 OK');
    expect(await phone.request('REGISTER', 'bob')).toBe('SIP/2.0 200 OK');
    expect(pbx.store.bindings.load('bob')).toBeDefined();

    write('sip.conf', sipConf({ peers: ['alice', 'carol'] }));
    const result = await pbx.reload('sip');
    expect(result).toMatchObject({ ok: true, changes: ['peers: 1 kept, 1 added (carol), 1 removed (bob)'] });

    expect(pbx.directory.get('alice')?.binding).toMatchObject({ address: PHONE, port: phone.port });
    expect(pbx.directory.get('bob')).toBeUndefined();
    // Gone from the store too: a restart does not bring bob's registration back.
    expect(pbx.store.bindings.load('bob')).toBeUndefined();
    expect((await pbx.execute('sip show peers')).output).toContain('2 sip peers');
    expect(await phone.request('REGISTER', 'carol')).toBe('SIP/2.0 200 OK');
    // alwaysauthreject=yes: an unknown name is challenged like a real one.
    expect(await phone.request('REGISTER', 'bob')).toBe('SIP/2.0 401 Unauthorized');
  });

  it('refuses a sip.conf with errors, names file and line, and changes nothing', async () => {
    expect(await phone.request('REGISTER', 'alice')).toBe('SIP/2.0 200 OK');
    write('sip.conf', `${sipConf({ peers: ['alice'] })}\n[dave]\ntype=wizard\n`);
    const result = await pbx.reload('sip');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([expect.objectContaining({ severity: 'error', file: 'sip.conf', line: 17 })]);
    expect(pbx.directory.get('bob')).toBeDefined();
    expect(pbx.directory.get('alice')?.binding).toBeDefined();

    const cli = await pbx.execute('sip reload');
    expect(cli.ok).toBe(false);
    expect(cli.output).toMatch(/^Reload failed; the running configuration is unchanged\.\nsip\.conf:17:1: error: unknown type 'wizard'/);
  });

  it('judges each reload on its own files: dialplan reload past a broken sip.conf, and back', async () => {
    write('sip.conf', 'bindaddr=1.2.3.4\n');
    write('extensions.conf', extensionsConf('200'));
    expect(await pbx.reload('dialplan')).toMatchObject({ ok: true, changes: ['dialplan: 1 contexts'] });
    expect(pbx.engine.dialplan.exists('phones', '200', 1)).toBe(true);
    expect(await pbx.reload('sip')).toMatchObject({ ok: false, errors: [expect.objectContaining({ file: 'sip.conf', line: 1 })] });
    expect(await pbx.reload('all')).toMatchObject({ ok: false });

    write('sip.conf', sipConf());
    write('extensions.conf', '[phones]\nexten => 300,1,Answer(\n[broken\n');
    expect((await pbx.reload('dialplan')).ok).toBe(false);
    expect(pbx.engine.dialplan.exists('phones', '200', 1)).toBe(true);
    expect((await pbx.reload('sip')).ok).toBe(true);
  });

  it('moves the SIP listener when bindaddr changes, and refuses an address it cannot bind', async () => {
    write('sip.conf', sipConf({ bind: MOVED }));
    const moved = await pbx.reload('sip');
    expect(moved).toMatchObject({ ok: true });
    if (!moved.ok) return;
    expect(moved.changes).toContain(`SIP listener opened: udp ${MOVED}:${SIP_PORT}`);
    expect(moved.changes).toContain(`SIP listener closed: udp ${SERVER}:${SIP_PORT}`);
    expect(await phone.request('OPTIONS', 'alice', MOVED)).toMatch(/^SIP\/2\.0 \d{3}/);
    expect(await phone.request('OPTIONS', 'alice', SERVER)).toBeUndefined();

    // 192.0.2.1 (TEST-NET-1) is no address of this machine.
    write('sip.conf', sipConf({ bind: '192.0.2.1' }));
    const refused = await pbx.reload('sip');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors).toEqual([
      expect.objectContaining({ file: 'sip.conf', line: 3, message: expect.stringMatching(/^cannot listen on udp 192\.0\.2\.1:5170: /) }),
    ]);
    expect(await phone.request('OPTIONS', 'alice', MOVED)).toMatch(/^SIP\/2\.0 \d{3}/);
  });

  it('applies [general] settings to new requests (useragent in the Server header)', async () => {
    write('sip.conf', sipConf({ extra: 'useragent=Reloaded PBX' }));
    expect((await pbx.reload('sip')).ok).toBe(true);
    expect(pbx.chanSip.general.useragent).toBe('Reloaded PBX');
    expect(pbx.config.sip.general.useragent).toBe('Reloaded PBX');
  });

  it('names the settings only a restart applies and keeps them in force', async () => {
    write('rtp.conf', '[general]\nrtpstart=24000\nrtpend=24100\n');
    const result = await pbx.reload('all');
    expect(result).toMatchObject({ ok: true, awaitingRestart: ['rtp.conf rtpstart/rtpend (23000-23100 in use, 24000-24100 configured)'] });
    expect(pbx.config.rtp.rtpStart).toBe(23000);
    const cli = await pbx.execute('core reload');
    expect(cli.output).toContain('changed, applied at the next restart: rtp.conf rtpstart/rtpend');
    expect(cli.output.endsWith('Reloaded.\n')).toBe(true);
  });

  it("answers module reload per module in Asterisk's words", async () => {
    write('extensions.conf', '[phones]\nsame => n,NoOp()\n');
    const result = await pbx.execute('module reload chan_sip.so pbx_config.so app_voicemail.so');
    expect(result.ok).toBe(false);
    expect(result.output).toBe(
      [
        "Module 'chan_sip.so' reloaded successfully.",
        "The module 'pbx_config.so' reported a reload failure",
        "extensions.conf:2: error: No previous pattern in the first entry of context 'phones' to match 'same' at line 2 of extensions.conf!",
        "No such module 'app_voicemail.so'",
        '',
      ].join('\n'),
    );
    write('extensions.conf', extensionsConf('300'));
    expect(await pbx.execute('module reload pbx_config')).toEqual({ ok: true, output: "Module 'pbx_config' reloaded successfully.\n" });
    expect(pbx.engine.dialplan.exists('phones', '300', 1)).toBe(true);
  });

  it('runs reloads one after the other', async () => {
    write('sip.conf', sipConf({ bind: MOVED }));
    const results = await Promise.all([pbx.reload('sip'), pbx.reload('all'), pbx.reload('sip')]);
    expect(results.map((result) => result.ok)).toEqual([true, true, true]);
    // Only the first one moved the listener; the others found it in place.
    expect(results.map((result) => (result.ok ? result.changes.filter((line) => line.startsWith('SIP listener')).length : -1))).toEqual([2, 0, 0]);
    expect(await phone.request('OPTIONS', 'alice', MOVED)).toMatch(/^SIP\/2\.0 \d{3}/);
  });
});
