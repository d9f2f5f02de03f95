import { describe, expect, it } from 'vitest';
import { TestChannel } from '../src/testing/index.js';
import { engineFor } from './support/dialplan-fixture.js';

const DIAL_PLAN = (dial: string): string => `[ctx]
exten => s,1,Set(__INHERIT=forever)
 same => n,Set(_ONCE=one-level)
 same => n,Set(PLAIN=not-copied)
 same => n,${dial}
 same => n,Set(AFTER=\${DIALSTATUS})
 same => n,Hangup()
`;

describe('Dial', () => {
  it('bridges the first leg to answer, cancels the others and sets ANSWER variables', async () => {
    const { engine, host } = engineFor(DIAL_PLAN('Dial(SIP/alice&SIP/bob,5)'), {
      destinations: {
        'SIP/alice': { ringAfterMs: 5, outcome: 'answer', outcomeAfterMs: 60 },
        'SIP/bob': { ringAfterMs: 5, outcome: 'answer', outcomeAfterMs: 20, hangupAfterAnswerMs: 10 },
      },
    });
    const caller = new TestChannel({ callerId: { number: '1000', name: 'Caller' } });
    await engine.run(caller, { context: 'ctx', exten: 's' });
    const [alice, bob] = host.requested;
    expect(bob?.events).toContain('answered');
    expect(alice?.isHungUp).toBe(true);
    expect(alice?.events).not.toContain('answered');
    expect(caller.variables.get('DIALSTATUS')).toBe('ANSWER');
    expect(caller.variables.get('DIALEDPEERNAME')).toBe(bob?.name);
    expect(caller.variables.get('DIALEDPEERNUMBER')).toBe('bob');
    expect(caller.variables.get('ANSWEREDTIME')).toBe('0');
    expect(Number(caller.variables.get('DIALEDTIME_MS'))).toBeGreaterThanOrEqual(0);
    expect(caller.events.slice(0, 2)).toEqual(['indicate:ringing', 'answer']);
    // Answered and bridged: Dial returns "hang up", so AFTER is never set.
    expect(caller.variables.get('AFTER')).toBeUndefined();
    expect(host.bridges).toHaveLength(1);
  });

  it('copies _X as X and __X as __X onto the new channel before call()', async () => {
    const { engine, host } = engineFor(DIAL_PLAN('Dial(SIP/bob,1)'), { destinations: { 'SIP/bob': { outcome: 'busy', outcomeAfterMs: 5 } } });
    await engine.run(new TestChannel(), { context: 'ctx', exten: 's' });
    const bob = host.requested[0];
    expect(bob?.variables.get('__INHERIT')).toBe('forever');
    expect(bob?.variables.get('ONCE')).toBe('one-level');
    expect(bob?.variables.get('_ONCE')).toBeUndefined();
    expect(bob?.variables.get('PLAIN')).toBeUndefined();
  });

  it('reports BUSY over CONGESTION over CHANUNAVAIL when every leg fails', async () => {
    const scenarios: Array<[Record<string, object>, string]> = [
      [{ 'SIP/a': { outcome: 'busy' }, 'SIP/b': { outcome: 'congestion' } }, 'BUSY'],
      [{ 'SIP/a': { outcome: 'congestion' }, 'SIP/b': { unavailable: 20 } }, 'CONGESTION'],
      [{ 'SIP/a': { outcome: 'hangup', cause: 21 }, 'SIP/b': { unavailable: 20 } }, 'CHANUNAVAIL'],
      [{ 'SIP/a': { unavailable: 20 }, 'SIP/b': { unavailable: 3 } }, 'CHANUNAVAIL'],
      [{ 'SIP/a': { outcome: 'hangup', cause: 16 }, 'SIP/b': { outcome: 'hangup', cause: 19 } }, 'NOANSWER'],
    ];
    for (const [destinations, expected] of scenarios) {
      const { engine } = engineFor(DIAL_PLAN('Dial(SIP/a&SIP/b,5)'), { destinations });
      const caller = new TestChannel();
      await engine.run(caller, { context: 'ctx', exten: 's' });
      expect(caller.variables.get('AFTER')).toBe(expected);
    }
  });

  it('gives NOANSWER after the timeout (fractions allowed) and cancels the legs', async () => {
    const { engine, host } = engineFor(DIAL_PLAN('Dial(SIP/bob,0.05)'), { destinations: { 'SIP/bob': { ringAfterMs: 1 } } });
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(caller.variables.get('AFTER')).toBe('NOANSWER');
    expect(host.requested[0]?.isHungUp).toBe(true);
    expect(caller.variables.get('RINGTIME')).toBe('0');
  });

  it('gives CHANUNAVAIL when the progress timeout (^) expires first', async () => {
    const { engine } = engineFor(DIAL_PLAN('Dial(SIP/bob,5^0.03)'), { destinations: { 'SIP/bob': {} } });
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(caller.variables.get('AFTER')).toBe('CHANUNAVAIL');
  });

  it('returns CANCEL and stops the dialplan when the caller hangs up while ringing', async () => {
    const { engine, host } = engineFor(DIAL_PLAN('Dial(SIP/bob,5)'), { destinations: { 'SIP/bob': { ringAfterMs: 1 } } });
    const caller = new TestChannel();
    setTimeout(() => caller.hangup(16), 30);
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(caller.variables.get('DIALSTATUS')).toBe('CANCEL');
    expect(caller.variables.get('AFTER')).toBeUndefined();
    expect(host.requested[0]?.isHungUp).toBe(true);
  });

  it('connects early media on progress and forces ringing with r', async () => {
    const { engine, host } = engineFor(DIAL_PLAN('Dial(SIP/bob,0.05)'), { destinations: { 'SIP/bob': { progressAfterMs: 1 } } });
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(host.earlyMedia).toHaveLength(1);
    expect(caller.events).toContain('indicate:progress');
    const forced = engineFor(DIAL_PLAN('Dial(SIP/bob,0.05,r)'), { destinations: { 'SIP/bob': { progressAfterMs: 1 } } });
    const other = new TestChannel();
    await forced.engine.run(other, { context: 'ctx', exten: 's' });
    expect(forced.host.earlyMedia).toHaveLength(0);
    expect(other.events[0]).toBe('indicate:ringing');
  });

  it('continues after the callee hangs up with g, and passes S()/L() to the bridge', async () => {
    const { engine, host } = engineFor(DIAL_PLAN('Dial(SIP/bob,5,gS(30)L(60000))'), {
      destinations: { 'SIP/bob': { outcome: 'answer', outcomeAfterMs: 5, hangupAfterAnswerMs: 5 } },
    });
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(caller.variables.get('AFTER')).toBe('ANSWER');
    expect(host.bridges[0]?.options).toEqual({ limitMs: 60000, hangupAfterMs: 30000 });
  });

  it('runs U() on the callee before bridging and obeys GOSUB_RESULT', async () => {
    const { engine, host } = engineFor(
      `[ctx]
exten => s,1,Dial(SIP/bob,5,U(screen^abc))
 same => n,Set(AFTER=\${DIALSTATUS})
[screen]
exten => s,1,Set(SEEN=\${ARG1})
 same => n,Set(GOSUB_RESULT=BUSY)
 same => n,Return()
`,
      { destinations: { 'SIP/bob': { outcome: 'answer', outcomeAfterMs: 5 } } },
    );
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(host.requested[0]?.variables.get('SEEN')).toBe('abc');
    expect(host.requested[0]?.isHungUp).toBe(true);
    expect(caller.variables.get('AFTER')).toBe('BUSY');
    expect(host.bridges).toHaveLength(0);
  });

  it('marks cancelled legs ANSWERED_ELSEWHERE with c, and records HANGUPCAUSE per failed leg', async () => {
    const { engine, host } = engineFor(
      `[ctx]
exten => s,1,Dial(SIP/a&SIP/b&SIP/c,5,cg)
 same => n,Set(KEYS=\${HANGUPCAUSE_KEYS()})
 same => n,Set(CAUSE=\${HANGUPCAUSE(\${KEYS},ast)})
`,
      {
        destinations: {
          'SIP/a': { outcome: 'busy', outcomeAfterMs: 1 },
          'SIP/b': { outcome: 'answer', outcomeAfterMs: 10, hangupAfterAnswerMs: 5 },
          'SIP/c': { ringAfterMs: 1 },
        },
      },
    );
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(host.requested[2]?.hangupCause).toBe(26);
    expect(caller.variables.get('KEYS')).toBe(host.requested[0]?.name);
    expect(caller.variables.get('CAUSE')).toBe('17');
  });

  it('cancels the other legs as ANSWERED_ELSEWHERE once one answers (Q(cause) overrides it), and gives the caller the busy leg\'s cause', async () => {
    const legs = {
      'SIP/a': { ringAfterMs: 1 },
      'SIP/b': { outcome: 'answer' as const, outcomeAfterMs: 10, hangupAfterAnswerMs: 5 },
    };
    const plain = engineFor('[ctx]\nexten => s,1,Dial(SIP/a&SIP/b,5)\n', { destinations: legs });
    await plain.engine.run(new TestChannel(), { context: 'ctx', exten: 's' });
    expect(plain.host.requested[0]?.hangupCause).toBe(26);
    const forced = engineFor('[ctx]\nexten => s,1,Dial(SIP/a&SIP/b,5,Q(NO_ANSWER))\n', { destinations: legs });
    await forced.engine.run(new TestChannel(), { context: 'ctx', exten: 's' });
    expect(forced.host.requested[0]?.hangupCause).toBe(19);
    const busy = engineFor('[ctx]\nexten => s,1,Dial(SIP/a)\n same => n,Set(CAUSE=${HANGUPCAUSE})\n', { destinations: { 'SIP/a': { outcome: 'busy', cause: 21 } } });
    const caller = new TestChannel();
    await busy.engine.run(caller, { context: 'ctx', exten: 's' });
    expect(caller.variables.get('CAUSE')).toBe('21');
  });

  it('warns about options it does not implement and rejects bad dial strings', async () => {
    const { engine, host } = engineFor(DIAL_PLAN('Dial(SIP/bob,1,tTk)'), { destinations: { 'SIP/bob': { outcome: 'busy' } } });
    await engine.run(new TestChannel(), { context: 'ctx', exten: 's' });
    expect(host.warnings()).toContain('Dial: option(s) t, T, k accepted but not supported by Tandem; ignored');
    const bad = engineFor(`[ctx]\nexten => s,1,Dial(bob)\n`);
    const caller = new TestChannel();
    await bad.engine.run(caller, { context: 'ctx', exten: 's' });
    expect(caller.variables.get('DIALSTATUS')).toBe('INVALIDARGS');
  });

  it('re-dials a 3xx forward target, or counts it as busy with i', async () => {
    const forwarded = engineFor(DIAL_PLAN('Dial(SIP/bob,5)'), {
      destinations: { 'SIP/bob': { outcome: 'forward', forwardTo: 'Local/200@ctx', outcomeAfterMs: 2 }, 'Local/200@ctx': { outcome: 'busy', outcomeAfterMs: 2 } },
    });
    const caller = new TestChannel();
    await forwarded.engine.run(caller, { context: 'ctx', exten: 's' });
    expect(forwarded.host.requested.map((leg) => leg.name.split('-')[0])).toEqual(['SIP/bob', 'Local/200@ctx']);
    expect(caller.variables.get('FORWARDERNAME')).toBe(forwarded.host.requested[0]?.name);
    expect(caller.variables.get('AFTER')).toBe('BUSY');
    const ignored = engineFor(DIAL_PLAN('Dial(SIP/bob,5,i)'), { destinations: { 'SIP/bob': { outcome: 'forward', forwardTo: 'Local/200@ctx' } } });
    const other = new TestChannel();
    await ignored.engine.run(other, { context: 'ctx', exten: 's' });
    expect(ignored.host.requested).toHaveLength(1);
    expect(other.variables.get('AFTER')).toBe('BUSY');
  });
});

describe('Dial predial and macro options', () => {
  it('runs b(context^exten^priority(args)) on each new channel before calling it, and M() on the answered callee', async () => {
    const { engine, host } = engineFor(
      `[ctx]
exten => s,1,Dial(SIP/bob,5,b(pre^s^1(x))M(screen^y))
 same => n,Set(AFTER=\${DIALSTATUS})
[pre]
exten => s,1,Set(PRE=\${ARG1})
 same => n,Return()
[macro-screen]
exten => s,1,Set(MACRO_SEEN=\${ARG1})
 same => n,Set(MACRO_RESULT=CONTINUE)
`,
      { destinations: { 'SIP/bob': { outcome: 'answer', outcomeAfterMs: 5 } } },
    );
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    const bob = host.requested[0];
    expect(bob?.variables.get('PRE')).toBe('x');
    expect(bob?.events.indexOf('call')).toBeGreaterThan(-1);
    expect(bob?.variables.get('MACRO_SEEN')).toBe('y');
    expect(bob?.isHungUp).toBe(true);
    expect(caller.variables.get('AFTER')).toBe('ANSWER');
    expect(host.bridges).toHaveLength(0);
  });
});
