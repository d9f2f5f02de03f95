import { describe, expect, it } from 'vitest';
import { TestChannel } from '../src/testing/index.js';
import { engineFor, runCall } from './support/dialplan-fixture.js';

async function run(body: string, channel: TestChannel = new TestChannel(), hostOptions: Parameters<typeof engineFor>[1] = {}): Promise<{ channel: TestChannel; warnings: string[]; host: ReturnType<typeof engineFor>['host'] }> {
  const { engine, host } = engineFor(`[ctx]\n${body}`, hostOptions);
  await engine.run(channel, { context: 'ctx', exten: 's' });
  return { channel, warnings: host.warnings(), host };
}

describe('call control applications', () => {
  it('Hangup accepts causes by number or Q.850 name, and keeps an existing cause otherwise', async () => {
    expect((await run('exten => s,1,Hangup(USER_BUSY)')).channel.hangupCause).toBe(17);
    expect((await run('exten => s,1,Hangup(normal_circuit_congestion)')).channel.hangupCause).toBe(34);
    expect((await run('exten => s,1,Hangup(19)')).channel.hangupCause).toBe(19);
    expect((await run('exten => s,1,Hangup()')).channel.hangupCause).toBe(16);
    const kept = new TestChannel();
    kept.hangupCause = 17;
    expect((await run('exten => s,1,Hangup()', kept)).channel.hangupCause).toBe(17);
    const bad = await run('exten => s,1,Hangup(bogus)');
    expect(bad.warnings).toContain('Invalid cause given to Hangup(): "bogus"');
    expect(bad.channel.hangupCause).toBe(16);
  });

  it('Busy and Congestion indicate, set 17/34 when not answered, and stop the dialplan', async () => {
    const busy = await run('exten => s,1,Busy(5)\n same => n,Set(NOT=1)');
    expect(busy.channel.events).toEqual(['indicate:busy', 'hangup:0']);
    expect(busy.channel.hangupCause).toBe(17);
    expect(busy.channel.variables.get('NOT')).toBeUndefined();
    const up = new TestChannel({ state: 'up', hangupOnIndication: [] });
    const congestion = await run('exten => s,1,Congestion(0.01)', up);
    expect(congestion.channel.events).toEqual(['indicate:congestion', 'hangup:0']);
  });

  it('answering waits for media as __ast_answer() does: MAX(delay, 500) ms, only on a ringing channel, for Playback/Read too', async () => {
    const waits = async (body: string, channel = new TestChannel()): Promise<number[]> => {
      const slept: number[] = [];
      const { engine } = engineFor(`[ctx]\n${body}`, {}, { answerSettleMs: 500, sleep: async (ms) => void slept.push(ms) });
      await engine.run(channel, { context: 'ctx', exten: 's' });
      return slept;
    };
    expect(await waits('exten => s,1,Answer()')).toEqual([500]);
    expect(await waits('exten => s,1,Answer(100)')).toEqual([500]);
    expect(await waits('exten => s,1,Answer(800)')).toEqual([800]);
    expect(await waits('exten => s,1,Answer(800,i)')).toEqual([]);
    expect(await waits('exten => s,1,Answer()', new TestChannel({ state: 'up' }))).toEqual([]);
    expect(await waits('exten => s,1,Playback(hello-world)')).toEqual([500]);
    expect(await waits('exten => s,1,Playback(hello-world,noanswer)')).toEqual([]);
    // With media the channel can report, Answer() stops at the first packet instead of sleeping.
    const channel = new TestChannel();
    const asked: number[] = [];
    Object.assign(channel.media, { waitForMedia: async (ms: number) => (asked.push(ms), 'media' as const) });
    expect(await waits('exten => s,1,Answer()', channel)).toEqual([]);
    expect(asked).toEqual([500]);
  });

  it('Answer, Progress, Ringing, Wait, NoOp, Verbose and Log', async () => {
    const { channel, host } = await run(`exten => s,1,Ringing()
 same => n,Progress()
 same => n,Answer()
 same => n,Wait(0.01)
 same => n,NoOp(\${EXTEN})
 same => n,Verbose(3,hello)
 same => n,Log(NOTICE,note \${CONTEXT})
 same => n,Log(BOGUS,x)`);
    expect(channel.events.slice(0, 3)).toEqual(['indicate:ringing', 'indicate:progress', 'answer']);
    expect(host.logged.filter((line) => line.level === 'notice').map((line) => line.message)).toEqual(['note ctx']);
    expect(host.logged.some((line) => line.level === 'verbose' && line.message === 'hello')).toBe(true);
    expect(host.warnings()).toContain("Unknown log level 'BOGUS'");
  });

  it('MSet sets several variables; Set keeps commas in the value; Set(FUNC()=x) writes', async () => {
    const { channel } = await run(`exten => s,1,MSet(A=1,B="two, three",C)
 same => n,Set(D=x,y)
 same => n,Set(CALLERID(num)=5550000)`);
    expect(channel.variables.get('A')).toBe('1');
    expect(channel.variables.get('B')).toBe('two, three');
    expect(channel.variables.get('C')).toBeUndefined();
    expect(channel.variables.get('D')).toBe('x,y');
    expect(channel.callerId.number).toBe('5550000');
  });

  it('ExecIf, Exec and TryExec run other applications', async () => {
    const { channel } = await run(`exten => s,1,ExecIf($[1=1]?Set(A=yes):Set(A=no))
 same => n,ExecIf(0?Set(B=yes):Set(B=no))
 same => n,Exec(Set(C=\${A}))
 same => n,TryExec(NoSuchApp(1))
 same => n,Set(T1=\${TRYSTATUS})
 same => n,TryExec(Set(E=1))
 same => n,Set(T2=\${TRYSTATUS})`);
    expect(channel.variables.get('A')).toBe('yes');
    expect(channel.variables.get('B')).toBe('no');
    expect(channel.variables.get('C')).toBe('yes');
    expect(channel.variables.get('T1')).toBe('NOAPP');
    expect(channel.variables.get('T2')).toBe('SUCCESS');
  });

  it('GotoIfTime and ExecIfTime follow the host clock', async () => {
    const wednesdayNoon = new Date(2024, 0, 3, 12, 0);
    const { channel } = await run(
      `exten => s,1,GotoIfTime(09:00-17:00,mon-fri,*,*?open,1:closed,1)
exten => open,1,ExecIfTime(11:00-13:00,*,*,*?Set(LUNCH=yes))
 same => n,Set(WHERE=open)
exten => closed,1,Set(WHERE=closed)`,
      new TestChannel(),
      { now: wednesdayNoon },
    );
    expect(channel.variables.get('WHERE')).toBe('open');
    expect(channel.variables.get('LUNCH')).toBe('yes');
  });

  it('SendDTMF, PlayTones and Echo reach the channel', async () => {
    const { channel } = await run(`exten => s,1,Answer()
 same => n,SendDTMF(12#)
 same => n,PlayTones(440/100)
 same => n,StopPlayTones()
 same => n,Echo()`);
    expect(channel.events).toEqual(['answer', 'senddtmf:12#', 'tones:440/100', 'tones:stop', 'echo', 'hangup:0']);
  });

  it('System is refused unless the host allows it; TrySystem reports statuses', async () => {
    const refused = await run('exten => s,1,TrySystem(true)\n same => n,Set(S=${SYSTEMSTATUS})');
    expect(refused.channel.variables.get('S')).toBe('FAILURE');
    expect(refused.warnings[0]).toContain('refused');
    const allowed = await run('exten => s,1,TrySystem(exit 3)\n same => n,Set(S1=${SYSTEMSTATUS})\n same => n,System(true)\n same => n,Set(S2=${SYSTEMSTATUS})', new TestChannel(), { allowSystem: true });
    expect(allowed.channel.variables.get('S1')).toBe('APPERROR');
    expect(allowed.channel.variables.get('S2')).toBe('SUCCESS');
  });

  it('ChanIsAvail reports the first channel that could be created, by its channel name (app_chanisavail.c)', async () => {
    const { channel, host } = await run('exten => s,1,ChanIsAvail(SIP/down&SIP/up&SIP/other)', new TestChannel(), {
      destinations: { 'SIP/down': { unavailable: 20 }, 'SIP/up': {}, 'SIP/other': {} },
      deviceStates: { 'SIP/up': 'NOT_INUSE' },
    });
    expect(channel.variables.get('AVAILORIGCHAN')).toBe('SIP/up');
    expect(channel.variables.get('AVAILCHAN')).toBe(host.requested[0]?.name);
    expect(channel.variables.get('AVAILCHAN')).toMatch(/^SIP\/up-[0-9a-f]{8}$/);
    // Without s/t no device state is asked: UNKNOWN (0) for each device tried; causes only for
    // the channels that could be created.
    expect(channel.variables.get('AVAILSTATUS')).toBe('0&0');
    expect(channel.variables.get('AVAILCAUSECODE')).toBe('0');
    expect(host.requested).toHaveLength(1);
    expect(host.requested[0]?.isHungUp).toBe(true);
  });

  it('ChanIsAvail with a: every available channel; s: devices in use are skipped; a bad argument counts as INVALID', async () => {
    const all = await run('exten => s,1,ChanIsAvail(SIP/a&SIP/b&bogus,a)', new TestChannel(), { destinations: { 'SIP/a': {}, 'SIP/b': {} } });
    expect(all.channel.variables.get('AVAILORIGCHAN')).toBe('SIP/a&SIP/b');
    expect(all.channel.variables.get('AVAILSTATUS')).toBe('0&0&4');
    expect(all.channel.variables.get('AVAILCAUSECODE')).toBe('0&0');
    expect(all.warnings).toContain("Invalid ChanIsAvail technology/resource argument: 'bogus'");
    const state = await run('exten => s,1,ChanIsAvail(SIP/a&SIP/b,s)', new TestChannel(), {
      destinations: { 'SIP/a': {}, 'SIP/b': {} },
      deviceStates: { 'SIP/a': 'INUSE', 'SIP/b': 'NOT_INUSE' },
    });
    expect(state.channel.variables.get('AVAILORIGCHAN')).toBe('SIP/b');
    expect(state.channel.variables.get('AVAILSTATUS')).toBe('2&1');
  });

  it('ChanIsAvail with t skips a device that has a live channel (ast_parse_device_state())', async () => {
    const { engine, host } = engineFor('[default]\nexten => s,1,ChanIsAvail(SIP/a&SIP/b,t)', { destinations: { 'SIP/a': {}, 'SIP/b': {} } });
    host.addChannel(new TestChannel({ name: 'SIP/a-0000002a', state: 'up' }));
    const caller = new TestChannel();
    await engine.run(caller, { context: 'default', exten: 's' });
    expect(caller.variables.get('AVAILORIGCHAN')).toBe('SIP/b');
    expect(caller.variables.get('AVAILSTATUS')).toBe('2&0');
  });

  it('Transfer reports UNSUPPORTED without channel support and the channel result otherwise', async () => {
    expect((await run('exten => s,1,Transfer(200)\n same => n,Set(T=${TRANSFERSTATUS})')).channel.variables.get('T')).toBe('UNSUPPORTED');
    const channel = new TestChannel({ tech: 'SIP' });
    const targets: string[] = [];
    Object.assign(channel, {
      transfer: async (destination: string) => {
        targets.push(destination);
        return { status: 'SUCCESS' as const, protocolStatus: '202' };
      },
    });
    const result = await run('exten => s,1,Transfer(SIP/200@pbx)\n same => n,Set(T=${TRANSFERSTATUS}/${TRANSFERSTATUSPROTOCOL})', channel);
    expect(targets).toEqual(['200@pbx']);
    expect(result.channel.variables.get('T')).toBe('SUCCESS/202');
  });
});

describe('media applications', () => {
  it('Playback answers first, plays each file and sets PLAYBACKSTATUS', async () => {
    const { channel } = await run('exten => s,1,Playback(hello&missing/file)\n same => n,Set(P=${PLAYBACKSTATUS})');
    expect(channel.events.slice(0, 3)).toEqual(['answer', 'play:hello', 'play:missing/file']);
    expect(channel.variables.get('P')).toBe('FAILED');
    const skipped = await run('exten => s,1,Playback(hello,skip)');
    expect(skipped.channel.played).toEqual([]);
    const noanswer = await run('exten => s,1,Playback(hello,noanswer)');
    expect(noanswer.channel.events[0]).toBe('play:hello');
  });

  it('SayDigits, SayNumber and SayAlpha use the English prompt names', async () => {
    const { channel } = await run(`exten => s,1,Answer()
 same => n,SayDigits(12*#)
 same => n,SayNumber(1234567)
 same => n,SayNumber(-15)
 same => n,SayAlpha(aB3@)`);
    expect(channel.played).toEqual([
      'digits/1', 'digits/2', 'digits/star', 'digits/pound',
      'digits/1', 'digits/million', 'digits/2', 'digits/hundred', 'digits/30', 'digits/4', 'digits/thousand', 'digits/5', 'digits/hundred', 'digits/60', 'digits/7',
      'digits/minus', 'digits/15',
      'letters/a', 'letters/b', 'digits/3', 'letters/at',
    ]);
  });

  it('Read collects digits up to # or maxdigits and sets READSTATUS', async () => {
    const collected = await run('exten => s,1,Read(PIN,enter-pin,4)\n same => n,Set(S=${READSTATUS})', new TestChannel({ digits: '123456' }));
    expect(collected.channel.variables.get('PIN')).toBe('1234');
    expect(collected.channel.variables.get('S')).toBe('OK');
    const terminated = await run('exten => s,1,Read(PIN,,0)\n same => n,Set(S=${READSTATUS})', new TestChannel({ digits: '42#9' }));
    expect(terminated.channel.variables.get('PIN')).toBe('42');
    const timeout = await run('exten => s,1,Read(PIN,,3,,2,0.01)\n same => n,Set(S=${READSTATUS})');
    expect(timeout.channel.variables.get('S')).toBe('TIMEOUT');
    const skipped = await run('exten => s,1,Read(PIN,,3,s)\n same => n,Set(S=${READSTATUS})');
    expect(skipped.channel.variables.get('S')).toBe('SKIPPED');
  });

  it('Record records to the named file and sets RECORDED_FILE and RECORD_STATUS', async () => {
    const { channel } = await run('exten => s,1,Record(/tmp/msg.wav,3,10,q)\n same => n,Set(S=${RECORD_STATUS}:${RECORDED_FILE})', new TestChannel({ digits: '#' }));
    expect(channel.events).toContain('record:/tmp/msg.wav');
    expect(channel.variables.get('S')).toBe('DTMF:/tmp/msg');
    const bad = await run('exten => s,1,Record(noformat)\n same => n,Set(S=${RECORD_STATUS})');
    expect(bad.channel.variables.get('RECORD_STATUS')).toBe('ERROR');
  });

  it('WaitDigit sets WAITDIGITSTATUS and WAITDIGITRESULT', async () => {
    const { channel } = await run('exten => s,1,WaitDigit(1,5)\n same => n,Set(S=${WAITDIGITSTATUS}:${WAITDIGITRESULT})', new TestChannel({ digits: '15' }));
    expect(channel.variables.get('S')).toBe('DTMF:5');
  });

  it('WaitExten goes to t when nothing is dialled', async () => {
    const { channel } = await runCall(`[ctx]\nexten => s,1,Answer()\n same => n,WaitExten(0.01)\nexten => t,1,Set(T=yes)\n`, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('T')).toBe('yes');
  });
});
