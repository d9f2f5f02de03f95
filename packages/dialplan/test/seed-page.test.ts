/**
 * The wiki page in shared/seed ("SIP Channel Module"): its dialplan examples, run the way
 * Asterisk 20 runs them (reference §10.7, §10.8, §10.10).
 */
import { describe, expect, it } from 'vitest';
import type { DialplanFunction } from '../src/index.js';
import { TestChannel } from '../src/testing/index.js';
import { engineFor } from './support/dialplan-fixture.js';

/** A stand-in for the SIP_HEADER function the PBX registers: headers of the "initial INVITE". */
function sipHeaderFunction(headers: Record<string, string>): DialplanFunction {
  return {
    name: 'SIP_HEADER',
    synopsis: 'Gets the specified SIP header from an incoming INVITE message.',
    syntax: 'SIP_HEADER(name[,number])',
    read: (_session, args) => headers[args.split(',')[0]?.toUpperCase() ?? ''] ?? '',
  };
}

const CROSSED_LINES = (assignment: string): string => `[route-calls]
exten => s,1,Answer
exten => s,n,${assignment}
exten => s,n,GotoIf($[\${cNum} = 12223334444]?sipLine1,s,1)
exten => s,n,GotoIf($[\${cNum} = 12223335555]?sipLine2,s,1)
exten => s,n,Set(ROUTED=nowhere)
[sipLine1]
exten => s,1,Set(ROUTED=line1)
[sipLine2]
exten => s,1,Set(ROUTED=line2)
`;

async function routeCall(assignment: string, to: string): Promise<{ channel: TestChannel; warnings: string[]; diagnostics: string[] }> {
  const { engine, host, compiled } = engineFor(CROSSED_LINES(assignment));
  engine.functions.register(sipHeaderFunction({ TO: to }));
  const channel = new TestChannel();
  await engine.run(channel, { context: 'route-calls', exten: 's' });
  return { channel, warnings: host.warnings(), diagnostics: compiled.diagnostics.map((d) => d.message) };
}

describe('"Crossed Incoming SIP Lines" routing on ${SIP_HEADER(TO):5:11}', () => {
  it('as written (Set(cNum = ...)), does not route in Asterisk 20 and warns, like Asterisk', async () => {
    const { channel, warnings, diagnostics } = await routeCall('Set(cNum = ${SIP_HEADER(TO):5:11})', '<sip:12223334444@domain.com>');
    expect(channel.variables.get('cNum ')).toBe(' 12223334444');
    expect(channel.variables.get('ROUTED')).toBe('nowhere');
    expect(warnings).toContain("Please avoid unnecessary spaces on variables as it may lead to unexpected results ('cNum ' set to ' 12223334444').");
    expect(diagnostics).toEqual([expect.stringContaining("Variable name 'cNum '")]);
  });

  it('without the spaces, routes each called number to its line context', async () => {
    const first = await routeCall('Set(cNum=${SIP_HEADER(TO):5:11})', '<sip:12223334444@domain.com>');
    expect(first.channel.variables.get('ROUTED')).toBe('line1');
    const second = await routeCall('Set(cNum=${SIP_HEADER(TO):5:11})', '<sip:12223335555@domain.com>');
    expect(second.channel.variables.get('ROUTED')).toBe('line2');
    const other = await routeCall('Set(cNum=${SIP_HEADER(TO):5:11})', '<sip:19998887777@domain.com>');
    expect(other.channel.variables.get('ROUTED')).toBe('nowhere');
  });
});

describe('Distinctive ring: Alert-Info via SIPAddHeader, inherited by the dialled channel', () => {
  it('stores the header in __SIPADDHEADER01 and the new SIP channel inherits it', async () => {
    const { engine, host } = engineFor(
      `[ctx]
exten => s,1,SIPAddHeader(Alert-Info: something)
exten => s,2,SIPAddHeader(X-Second: two)
exten => s,3,Dial(SIP/myphone,1)
`,
      { destinations: { 'SIP/myphone': { outcome: 'busy' } } },
    );
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect(caller.variables.get('__SIPADDHEADER01')).toBe('Alert-Info: something');
    const phone = host.requested[0];
    expect(phone?.variables.get('__SIPADDHEADER01')).toBe('Alert-Info: something');
    expect(phone?.variables.get('__SIPADDHEADER02')).toBe('X-Second: two');
  });

  it('removes headers by prefix (case-insensitive) with SIPRemoveHeader', async () => {
    const { engine } = engineFor(`[ctx]
exten => s,1,SIPAddHeader(Alert-Info: a)
 same => n,SIPAddHeader(X-Keep: b)
 same => n,SIPRemoveHeader(alert-info:)
 same => n,SIPAddHeader(X-New: c)
`);
    const caller = new TestChannel();
    await engine.run(caller, { context: 'ctx', exten: 's' });
    expect([...caller.variables.entries()]).toEqual([
      ['__SIPADDHEADER02', 'X-Keep: b'],
      ['__SIPADDHEADER01', 'X-New: c'],
    ]);
  });

  it('runs the legacy SetVar(_ALERT_INFO=...) form: the child gets ALERT_INFO (no SIP effect in 20)', async () => {
    const { engine, host } = engineFor(
      `[ctx]
exten => s,1,SetVar(_ALERT_INFO=something)
exten => s,2,SetVar(VXML_URL=foobar)
exten => s,3,Set(_VXML_URL=foobar)
exten => s,4,Dial(SIP/myphone,1)
`,
      { destinations: { 'SIP/myphone': { outcome: 'busy' } } },
    );
    await engine.run(new TestChannel(), { context: 'ctx', exten: 's' });
    expect(host.requested[0]?.variables.get('ALERT_INFO')).toBe('something');
    expect(host.requested[0]?.variables.get('VXML_URL')).toBe('foobar');
  });
});

describe('Names of established SIP connections: the legacy Cut application', () => {
  it('extracts the channel type and the peer like the page shows', async () => {
    const { engine } = engineFor(`[ctx]
exten => s,1,Set(Foo=SIP/ipphone-45ed721c)
 same => n,Cut(ChannelType=Foo,/,1)
 same => n,GotoIf($[\${ChannelType} = SIP]?sip)
 same => n,Hangup()
 same => n(sip),Cut(Bar=Foo,/,2)
 same => n,Cut(Bar=Bar,-,1)
 same => n,Set(Dash=SIP/my-name-83ee2891)
 same => n,Cut(Short=Dash,/,2)
 same => n,Cut(Short=Short,-,1)
`);
    const channel = new TestChannel();
    await engine.run(channel, { context: 'ctx', exten: 's' });
    expect(channel.variables.get('ChannelType')).toBe('SIP');
    expect(channel.variables.get('Bar')).toBe('ipphone');
    expect(channel.variables.get('Short')).toBe('my');
  });
});
