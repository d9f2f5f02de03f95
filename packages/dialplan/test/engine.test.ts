import { describe, expect, it } from 'vitest';
import { TestChannel } from '../src/testing/index.js';
import { engineFor, runCall } from './support/dialplan-fixture.js';

describe('PbxEngine: return values, special extensions, autofallthrough', () => {
  it('runs h after the call ends, in the current context, with the channel already hung up', async () => {
    const { channel } = await runCall(
      `[ctx]
exten => s,1,Set(X=1)
 same => n,Hangup(21)
exten => h,1,Set(SEEN=\${HANGUPCAUSE}-\${EXTEN})
 same => n,NoOp(after)
`,
      { context: 'ctx', exten: 's' },
    );
    expect(channel.hangupCause).toBe(21);
    expect(channel.variables.get('SEEN')).toBe('21-h');
    expect(channel.events).toEqual(['hangup:21']);
  });

  it('falls through with BUSY: busy indication, cause 17 (autofallthrough=yes)', async () => {
    const { channel } = await runCall(`[ctx]\nexten => s,1,Set(DIALSTATUS=BUSY)\n`, { context: 'ctx', exten: 's' });
    // pbx_builtins.c indicate_busy(): the indication (which ends a SIP call at once) comes
    // before the cause is set.
    expect(channel.events).toEqual(['indicate:busy', 'hangup:0']);
    expect(channel.hangupCause).toBe(17);
  });

  it('falls through with CHANUNAVAIL or CONGESTION: congestion, cause 34', async () => {
    for (const status of ['CHANUNAVAIL', 'CONGESTION']) {
      const { channel } = await runCall(`[ctx]\nexten => s,1,Set(DIALSTATUS=${status})\n`, { context: 'ctx', exten: 's' });
      expect(channel.events).toEqual(['indicate:congestion', 'hangup:0']);
      expect(channel.hangupCause).toBe(34);
    }
  });

  it('just hangs up when running off the end otherwise (no cause: 603 for SIP)', async () => {
    const { channel } = await runCall(`[ctx]\nexten => s,1,NoOp()\n same => n,NoOp()\n`, { context: 'ctx', exten: 's' });
    expect(channel.events).toEqual(['hangup:0']);
  });

  it('stops on a gap in priorities like running off the end', async () => {
    const { channel } = await runCall(`[ctx]\nexten => s,1,Set(A=1)\nexten => s,3,Set(B=1)\n`, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('B')).toBeUndefined();
    expect(channel.isHungUp).toBe(true);
  });

  it('ends the call on an unknown application, with a warning', async () => {
    const { channel, host } = await runCall(`[ctx]\nexten => s,1,Frobnicate()\n same => n,Set(NEVER=1)\n`, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('NEVER')).toBeUndefined();
    expect(host.warnings()).toContain("No application 'Frobnicate' for extension (ctx, s, 1)");
  });

  it('sends an unknown extension to i with INVALID_EXTEN, or e with EXCEPTION(reason)', async () => {
    const { channel } = await runCall(`[ctx]\nexten => i,1,Set(WHERE=\${INVALID_EXTEN})\n`, { context: 'ctx', exten: '555' });
    expect(channel.variables.get('WHERE')).toBe('555');
    const exception = await runCall(`[ctx]\nexten => e,1,Set(WHY=\${EXCEPTION(reason)})\n`, { context: 'ctx', exten: '555' });
    expect(exception.channel.variables.get('WHY')).toBe('INVALID');
  });

  it('uses s when no extension is given', async () => {
    const { engine } = engineFor(`[ctx]\nexten => s,1,Set(X=s)\n`);
    const channel = new TestChannel();
    await engine.run(channel, { context: 'ctx', exten: '' });
    expect(channel.variables.get('X')).toBe('s');
  });

  it('waits for digits with autofallthrough=no, then goes to the dialled extension', async () => {
    const { engine } = engineFor(`[general]\nautofallthrough=no\n[ctx]\nexten => s,1,Answer()\nexten => 12,1,Set(GOT=12)\n`);
    const channel = new TestChannel({ digits: '12' });
    await engine.run(channel, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('GOT')).toBe('12');
  });

  it('goes to t on a response timeout with autofallthrough=no', async () => {
    const { engine } = engineFor(`[general]\nautofallthrough=no\n[ctx]\nexten => s,1,Answer()\nexten => 1,1,NoOp()\nexten => t,1,Set(TIMED=yes)\n same => n,Hangup()\n`);
    const channel = new TestChannel();
    await engine.run(channel, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('TIMED')).toBe('yes');
  });

  it('collects digits after BackGround and goes to i for an invalid entry', async () => {
    const { engine } = engineFor(`[ctx]
exten => s,1,Answer()
 same => n,BackGround(menu)
 same => n,WaitExten(1)
exten => 12,1,Set(CHOSE=12)
exten => i,1,Set(BAD=\${INVALID_EXTEN})
`);
    const ok = new TestChannel({ digits: '12' });
    await engine.run(ok, { context: 'ctx', exten: 's' });
    expect(ok.variables.get('CHOSE')).toBe('12');
    const bad = new TestChannel({ digits: '19' });
    await engine.run(bad, { context: 'ctx', exten: 's' });
    expect(bad.variables.get('BAD')).toBe('19');
  });

  it('goes to T when the absolute timeout expires', async () => {
    const { engine } = engineFor(`[ctx]\nexten => s,1,Answer()\n same => n,Set(TIMEOUT(absolute)=0.05)\n same => n,Wait(5)\n same => n,Set(NOT=reached)\nexten => T,1,Set(ABS=yes)\n`);
    const channel = new TestChannel();
    await engine.run(channel, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('ABS')).toBe('yes');
    expect(channel.variables.get('NOT')).toBeUndefined();
  });

  it('raises an ERROR exception to e when an application returns an error result', async () => {
    const { engine } = engineFor(`[ctx]\nexten => s,1,RaiseException(MYREASON)\nexten => e,1,Set(R=\${EXCEPTION(reason)}:\${EXCEPTION(priority)})\n`);
    const channel = new TestChannel();
    await engine.run(channel, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('R')).toBe('MYREASON:1');
  });
});

describe('Goto, Gosub, Macro, While', () => {
  it('jumps with Goto to labels, +N and other contexts', async () => {
    const { channel } = await runCall(
      `[ctx]
exten => s,1,Goto(skip)
 same => n,Set(A=wrong)
 same => n(skip),Set(A=right)
 same => n,Goto(+2)
 same => n,Set(B=wrong)
 same => n,Goto(other,100,1)
[other]
exten => 100,1,Set(C=\${CONTEXT}/\${EXTEN}/\${PRIORITY})
`,
      { context: 'ctx', exten: 's' },
    );
    expect(channel.variables.get('A')).toBe('right');
    expect(channel.variables.get('B')).toBeUndefined();
    expect(channel.variables.get('C')).toBe('other/100/1');
  });

  it('branches with GotoIf on conditions and expressions', async () => {
    const { channel } = await runCall(
      `[ctx]
exten => s,1,Set(N=5)
 same => n,GotoIf($[\${N} > 3]?big:small)
 same => n(small),Set(R=small)
 same => n,Hangup()
 same => n(big),Set(R=big)
 same => n,GotoIf(0?small)
 same => n,Set(AFTER=yes)
`,
      { context: 'ctx', exten: 's' },
    );
    expect(channel.variables.get('R')).toBe('big');
    expect(channel.variables.get('AFTER')).toBe('yes');
  });

  it('calls Gosub with arguments as frame-local variables and Return values', async () => {
    const { channel } = await runCall(
      `[ctx]
exten => s,1,Set(ARG1=outer)
 same => n,Gosub(sub,s,1(a,b))
 same => n,Set(RESULT=\${GOSUB_RETVAL}|\${ARG1}|\${ARGC})
[sub]
exten => s,1,Set(INSIDE=\${ARG1}\${ARG2}\${ARGC})
 same => n,Set(LOCAL(TMP)=x)
 same => n,Return(done)
`,
      { context: 'ctx', exten: 's' },
    );
    expect(channel.variables.get('INSIDE')).toBe('ab2');
    expect(channel.variables.get('RESULT')).toBe('done|outer|');
    expect(channel.variables.get('TMP')).toBeUndefined();
  });

  it('runs a Macro with MACRO_EXTEN and ARGn, then continues after it', async () => {
    const { channel } = await runCall(
      `[ctx]
exten => 100,1,Macro(greet,hello)
 same => n,Set(BACK=\${MACRO_EXTEN})
[macro-greet]
exten => s,1,Set(SEEN=\${MACRO_EXTEN}:\${ARG1}:\${CONTEXT})
 same => n,MacroExit()
 same => n,Set(NEVER=1)
`,
      { context: 'ctx', exten: '100' },
    );
    expect(channel.variables.get('SEEN')).toBe('100:hello:macro-greet');
    expect(channel.variables.get('NEVER')).toBeUndefined();
    expect(channel.variables.get('BACK')).toBe('');
  });

  it('loops with While/EndWhile and leaves with ExitWhile', async () => {
    const { channel } = await runCall(
      `[ctx]
exten => s,1,Set(I=0)
 same => n,While($[\${I} < 5])
 same => n,Set(I=$[\${I} + 1])
 same => n,ExecIf($[\${I} = 3]?ExitWhile())
 same => n,EndWhile()
 same => n,Set(DONE=\${I})
`,
      { context: 'ctx', exten: 's' },
    );
    expect(channel.variables.get('DONE')).toBe('3');
  });
});

describe('hangup handlers', () => {
  it('runs CHANNEL(hangup_handler_push) handlers after h, last pushed first, as Gosubs', async () => {
    const { channel } = await runCall(
      `[ctx]
exten => s,1,Set(CHANNEL(hangup_handler_push)=handlers,s,1(first))
 same => n,Set(CHANNEL(hangup_handler_push)=handlers,s,1(second))
 same => n,Hangup()
exten => h,1,Set(ORDER=h)
[handlers]
exten => s,1,Set(ORDER=\${ORDER},\${ARG1})
 same => n,Return()
`,
      { context: 'ctx', exten: 's' },
    );
    expect(channel.variables.get('ORDER')).toBe('h,second,first');
  });
});
