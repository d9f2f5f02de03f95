import { describe, expect, it } from 'vitest';
import { splitArgs } from '../src/index.js';
import { TestChannel } from '../src/testing/index.js';
import { engineFor } from './support/dialplan-fixture.js';

/** Evaluates `text` on a channel in context `ctx`, exten `100`. */
async function evaluate(text: string, setup: (channel: TestChannel) => void = () => undefined, conf = '[ctx]\nexten => 100,1,NoOp()\n'): Promise<string> {
  const { engine } = engineFor(conf, { now: new Date(Date.UTC(2024, 0, 3, 12, 30, 0)) });
  const channel = new TestChannel({ name: 'SIP/alice-00000001', uniqueId: '1700000000.7', callerId: { number: '5551234', name: 'Alice' } });
  setup(channel);
  const session = engine.createSession(channel, { context: 'ctx', exten: '100', priority: 1 });
  return session.substitute(text);
}

describe('argument splitting (ast_app_separate_args)', () => {
  it('does not split inside (), [], quotes; drops quotes and backslashes', () => {
    expect(splitArgs('a,b(c,d),[e,f],"g,h",i\\,j')).toEqual(['a', 'b(c,d)', '[e,f]', 'g,h', 'i,j']);
    expect(splitArgs('a,b,')).toEqual(['a', 'b', '']);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('a,b,c,d', { max: 2 })).toEqual(['a', 'b,c,d']);
    expect(splitArgs('a|b')).toEqual(['a|b']);
  });
});

describe('substitution', () => {
  it('reads channel variables, then globals; names are case-sensitive', async () => {
    const conf = '[globals]\nG=global\nFOO=fromglobal\n[ctx]\nexten => 100,1,NoOp()\n';
    expect(await evaluate('${FOO}-${foo}-${G}', (c) => c.variables.set('FOO', 'chan'), conf)).toBe('chan--global');
  });
  it('takes substrings with negative offsets and lengths', async () => {
    const setup = (c: TestChannel): void => c.variables.set('V', '1234567890');
    expect(await evaluate('${V:2}|${V:-3}|${V:2:3}|${V:-4:2}|${V:1:-2}|${V:20}|${V:-20:2}|${V:0:-20}', setup)).toBe('34567890|890|345|78|2345678||12|');
  });
  it('resolves nested references inside out and keeps a lone $', async () => {
    const setup = (c: TestChannel): void => {
      c.variables.set('NAME', 'TARGET');
      c.variables.set('TARGET', 'hit');
      c.variables.set('N', '2');
    };
    expect(await evaluate('${${NAME}} $5 $[${N} * 2] ${TARGET:${N}}', setup)).toBe('hit $5 4 t');
  });
  it('reads _X and __X without the underscores', async () => {
    const setup = (c: TestChannel): void => {
      c.variables.set('_ONCE', 'a');
      c.variables.set('__ALWAYS', 'b');
    };
    expect(await evaluate('${ONCE}${ALWAYS}${_ONCE}', setup)).toBe('ab');
  });
  it('provides the built-in variables', async () => {
    expect(await evaluate('${EXTEN}|${CONTEXT}|${PRIORITY}|${CHANNEL}|${UNIQUEID}|${HANGUPCAUSE}|${CALLINGPRES}|${EPOCH}')).toBe(
      `100|ctx|1|SIP/alice-00000001|1700000000.7|0|0|${Date.UTC(2024, 0, 3, 12, 30) / 1000}`,
    );
  });
});

describe('functions', () => {
  it('measures, cuts and counts', async () => {
    const setup = (c: TestChannel): void => c.variables.set('L', 'a-b-c-d');
    expect(await evaluate('${LEN(hello)}|${CUT(L,-,2)}|${CUT(L,-,2-3)}|${CUT(L,-,3-)}|${CUT(L,-,-2)}|${CUT(L,-,1&4)}|${FIELDQTY(L,-)}|${FIELDNUM(L,-,c)}', setup)).toBe(
      '5|b|b-c|c-d|a-b|a-d|4|3',
    );
  });
  it('decides with IF, ISNULL, EXISTS and REGEX', async () => {
    expect(await evaluate('${IF($[1 = 1]?yes:no)}|${IF(0?yes:no)}|${ISNULL()}|${EXISTS(x)}|${REGEX("^5+" 5551234)}|${REGEX("^4" 5551234)}')).toBe('yes|no|1|1|1|0');
  });
  it('transforms strings', async () => {
    expect(await evaluate('${TOUPPER(abc)}|${TOLOWER(ABC)}|${FILTER(0-9,a1b2c3)}|${QUOTE(a"b)}|${KEYPADHASH(Hello)}')).toBe('ABC|abc|123|"a\\"b"|43556');
  });
  it('replaces and shifts lists', async () => {
    const { engine } = engineFor('[ctx]\nexten => 100,1,NoOp()\n');
    const channel = new TestChannel();
    channel.variables.set('LIST', 'a,b,c');
    const session = engine.createSession(channel, { context: 'ctx', exten: '100', priority: 1 });
    expect(await session.substitute('${SHIFT(LIST)}${POP(LIST)}')).toBe('ac');
    expect(channel.variables.get('LIST')).toBe('b');
    await session.setVariable('PUSH(LIST)', 'z');
    expect(channel.variables.get('LIST')).toBe('b,z');
    expect(await session.substitute('${STRREPLACE(LIST,z,y)}|${REPLACE(LIST,bz,x)}')).toBe('b,y|x,x');
  });
  it('reads and writes CALLERID', async () => {
    const { engine } = engineFor('[ctx]\nexten => 100,1,NoOp()\n');
    const channel = new TestChannel({ callerId: { number: '5551234', name: 'Alice' } });
    const session = engine.createSession(channel, { context: 'ctx', exten: '100', priority: 1 });
    expect(await session.substitute('${CALLERID(all)}|${CALLERID(num)}|${CALLERID(name)}|${CALLERID(pres)}')).toBe('"Alice" <5551234>|5551234|Alice|allowed_not_screened');
    await session.setVariable('CALLERID(all)', '"Bob" <200>');
    expect(channel.callerId).toMatchObject({ name: 'Bob', number: '200' });
    await session.setVariable('CALLERID(pres)', 'prohib');
    expect(await session.substitute('${CALLINGPRES}')).toBe('35');
  });
  it('uses the DB store and sets DB_RESULT', async () => {
    const { engine, host } = engineFor('[ctx]\nexten => 100,1,NoOp()\n');
    const channel = new TestChannel();
    const session = engine.createSession(channel, { context: 'ctx', exten: '100', priority: 1 });
    await session.setVariable('DB(fam/key)', 'value');
    expect(host.db.get('fam', 'key')).toBe('value');
    expect(await session.substitute('${DB(fam/key)}|${DB_EXISTS(fam/nope)}|${DB_KEYS(fam)}|${DB_DELETE(fam/key)}|${DB_EXISTS(fam/key)}')).toBe('value|0|key|value|0');
  });
  it('does arithmetic with MATH, INC, MIN, MAX, ABS', async () => {
    const setup = (c: TestChannel): void => c.variables.set('COUNT', '5');
    expect(await evaluate('${MATH(3*4)}|${MATH(10/4,i)}|${MATH(255+0,h)}|${MATH(2>1)}|${INC(COUNT)}|${MIN(3,7)}|${MAX(2.5,1)}|${ABS(-4)}', setup)).toBe(
      '12.000000|2|ff|TRUE|6|3|2.500000|4',
    );
  });
  it('formats times with STRFTIME and checks IFTIME', async () => {
    expect(await evaluate('${STRFTIME(1704285000,UTC,%Y-%m-%d %H:%M:%S)}|${STRFTIME(1704285000,UTC,%a %b %e)}|${STRPTIME(2024-01-03 12:30:00,UTC,%Y-%m-%d %H:%M:%S)}')).toBe(
      '2024-01-03 12:30:00|Wed Jan  3|1704285000',
    );
    expect(await evaluate('${IFTIME(12:00-13:00,wed,*,jan,UTC?open:closed)}|${IFTIME(14:00-15:00,*,*,*,UTC?open:closed)}')).toBe('open|closed');
  });
  it('reads and writes GLOBAL, TIMEOUT and CHANNEL', async () => {
    const { engine } = engineFor('[ctx]\nexten => 100,1,NoOp()\n');
    const channel = new TestChannel({ state: 'up' });
    const session = engine.createSession(channel, { context: 'ctx', exten: '100', priority: 1 });
    await session.setVariable('GLOBAL(SHAREDG)', 'g');
    await session.setVariable('TIMEOUT(digit)', '2.5');
    await session.setVariable('CHANNEL(language)', 'fr');
    expect(await session.substitute('${SHAREDG}|${TIMEOUT(digit)}|${TIMEOUT(response)}|${CHANNEL(language)}|${CHANNEL(state)}|${CHANNEL(name)}')).toBe(
      `g|2.500|10.000|fr|Up|${channel.name}`,
    );
  });
  it('looks up ENUM answers in order and preference, with counts and URI forms', async () => {
    const { engine } = engineFor('[ctx]\nexten => 100,1,NoOp()\n', {
      enum: {
        '+4930123': [
          { order: 20, preference: 10, service: 'sip', uri: 'sip:second@example.com' },
          { order: 10, preference: 10, service: 'sip', uri: 'sip:first@example.com' },
          { order: 10, preference: 20, service: 'tel', uri: 'tel:+4930123' },
        ],
      },
    });
    const session = engine.createSession(new TestChannel(), { context: 'ctx', exten: '100', priority: 1 });
    expect(await session.substitute('${ENUMLOOKUP(+4930123)}|${ENUMLOOKUP(+4930123,sip,c)}|${ENUMLOOKUP(+4930123,ALL,c)}|${ENUMLOOKUP(+4930123,sip,u,2)}')).toBe(
      'first@example.com|2|3|sip:second@example.com',
    );
    const id = await session.substitute('${ENUMQUERY(+4930123,ALL)}');
    expect(await session.substitute(`\${ENUMRESULT(${id},getnum)}|\${ENUMRESULT(${id},3)}`)).toBe('3|sip:second@example.com');
  });
  it('reports device and extension states and dialplan existence', async () => {
    const conf = '[ctx]\nexten => 100,hint,SIP/a&SIP/b\nexten => 100,1,NoOp()\n';
    const { engine } = engineFor(conf, { deviceStates: { 'SIP/a': 'INUSE', 'SIP/b': 'RINGING' } });
    const session = engine.createSession(new TestChannel(), { context: 'ctx', exten: '100', priority: 1 });
    expect(await session.substitute('${DEVICE_STATE(SIP/a)}|${HINT(100)}|${EXTENSION_STATE(100@ctx)}|${DIALPLAN_EXISTS(ctx,100,1)}|${DIALPLAN_EXISTS(ctx,101)}|${VALID_EXTEN(,100)}|${VALID_EXTEN(100)}')).toBe(
      'INUSE|SIP/a&SIP/b|RINGINUSE|1|0|1|',
    );
  });
  it('logs unknown functions and substitutes nothing', async () => {
    const { engine, host } = engineFor('[ctx]\nexten => 100,1,NoOp()\n');
    const session = engine.createSession(new TestChannel(), { context: 'ctx', exten: '100', priority: 1 });
    expect(await session.substitute('[${NOSUCH(x)}]')).toBe('[]');
    expect(host.warnings()).toContain('Function NOSUCH not registered');
  });
});

describe('HASH', () => {
  it('stores keys as ~HASH~ variables and lists them', async () => {
    const { engine } = engineFor('[ctx]\nexten => 100,1,NoOp()\n');
    const channel = new TestChannel();
    const session = engine.createSession(channel, { context: 'ctx', exten: '100', priority: 1 });
    await session.setVariable('HASH(user,name)', 'alice');
    await session.setVariable('HASH(user,ext)', '100');
    expect(channel.variables.get('~HASH~user~name~')).toBe('alice');
    expect(await session.substitute('${HASH(user,name)}|${HASHKEYS(user)}')).toBe('alice|name,ext');
  });
});

describe('CONNECTEDLINE and REDIRECTING', () => {
  it('keep party data per channel for the host to read', async () => {
    const { engine } = engineFor('[ctx]\nexten => 100,1,NoOp()\n');
    const channel = new TestChannel();
    const session = engine.createSession(channel, { context: 'ctx', exten: '100', priority: 1 });
    await session.setVariable('CONNECTEDLINE(all)', '"Front Desk" <200>');
    await session.setVariable('REDIRECTING(from-num)', '300');
    await session.setVariable('REDIRECTING(reason)', 'cfb');
    await session.setVariable('REDIRECTING(count)', '1');
    expect(await session.substitute('${CONNECTEDLINE(name)}|${CONNECTEDLINE(num)}|${REDIRECTING(from-num)}|${REDIRECTING(reason)}|${REDIRECTING(count)}')).toBe('Front Desk|200|300|cfb|1');
    const { connectedLineOf, redirectingOf } = await import('../src/index.js');
    expect(connectedLineOf(channel).number).toBe('200');
    expect(redirectingOf(channel).from.number).toBe('300');
  });
});
