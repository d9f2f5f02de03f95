/**
 * Dialplan executions per second: a 20-priority route with expressions, functions and
 * substrings, reached by pattern matching in a 10,000-extension context. Prints figures only.
 */
import type { ConfCategory, ConfVariable, ExtensionsConf } from '@tandem/config';
import { compileDialplan, PbxEngine } from '../src/index.js';
import { TestChannel, TestHost } from '../src/testing/index.js';

function line(name: string, value: string, lineNumber: number): ConfVariable {
  return { name, value, isObject: true, file: 'bench.conf', line: lineNumber };
}

function buildConf(): ExtensionsConf {
  const variables: ConfVariable[] = [];
  let lineNumber = 1;
  // 9,000 literal extensions and 980 patterns that never match the route...
  for (let i = 0; i < 9000; i++) variables.push(line('exten', `${100000 + i},1,NoOp(literal ${i})`, lineNumber++));
  for (let i = 0; i < 980; i++) variables.push(line('exten', `_${(i % 9) + 1}${String(i).padStart(3, '0')}XX,1,NoOp(pattern ${i})`, lineNumber++));
  // ...and 20 more patterns, the last of which is the route.
  for (let i = 0; i < 19; i++) variables.push(line('exten', `_4${String(i).padStart(2, '0')}N[2-8]XXXXX,1,NoOp(near miss ${i})`, lineNumber++));
  const route = [
    '_5[0-5]XXXXXXXX,1,Set(NUM=${EXTEN})',
    'n,Set(AREA=${NUM:0:3})',
    'n,Set(LOCAL=${NUM:-7})',
    'n,Set(LENGTH=${LEN(${NUM})})',
    'n,GotoIf($[${LENGTH} != 10]?bad)',
    'n,Set(COST=$[${AREA} * 3 / 7 + 1.5])',
    'n,Set(ROUNDED=$[FLOOR(${COST})])',
    'n,Set(PREFIX=$["${NUM}" : "(5[0-9][0-9])"])',
    'n,Set(_TRUNK=${IF($[${AREA} > 520]?north:south)})',
    'n,Set(PARTS=${AREA}-${LOCAL:0:3}-${LOCAL:3})',
    'n,Set(SECOND=${CUT(PARTS,-,2)})',
    'n,Set(UPPER=${TOUPPER(${TRUNK})})',
    'n,Set(COUNT=$[0${COUNT} + 1])',
    'n,Set(ODD=$[${LOCAL} % 2])',
    'n,GotoIf($[${ODD} = 1]?odd:even)',
    'n(odd),Set(PARITY=odd)',
    'n,Goto(done)',
    'n(even),Set(PARITY=even)',
    'n(done),Set(RESULT=${UPPER}/${PARITY}/${ROUNDED})',
    'n,Hangup(16)',
  ];
  variables.push(line('exten', route[0] as string, lineNumber++));
  for (const step of route.slice(1)) variables.push(line('same', step, lineNumber++));
  variables.push(line('exten', '_5[0-5]XXXXXXXX,n(bad),Hangup(1)', lineNumber++));
  const context: ConfCategory = { name: 'bench', isTemplate: false, inherits: [], variables, file: 'bench.conf', line: 0 };
  return {
    general: { static: false, writeprotect: false, autofallthrough: true, extenpatternmatchnew: false, clearglobalvars: false, userscontext: 'default' },
    globals: [],
    contexts: [context],
  };
}

function format(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

async function main(): Promise<void> {
  const compileStart = performance.now();
  const { dialplan } = compileDialplan(buildConf());
  const compileMs = performance.now() - compileStart;
  const extensions = dialplan.context('bench')?.extensions.length ?? 0;
  // The test host records every log line; the bench drops them.
  const host = Object.assign(new TestHost(), { log: () => undefined });
  const engine = new PbxEngine({ dialplan, host, answerSettleMs: 0 });

  const rounds = 3;
  const callsPerRound = 2000;
  console.log(`dialplan bench: ${format(extensions)} extensions in context 'bench' (compiled in ${compileMs.toFixed(1)} ms), route of 20 priorities`);
  let lastResult = '';
  for (let round = 1; round <= rounds; round++) {
    const start = performance.now();
    for (let call = 0; call < callsPerRound; call++) {
      const channel = new TestChannel({ callerId: { number: '1000' } });
      await engine.run(channel, { context: 'bench', exten: `5${String(100000000 + call * 7919).slice(-9)}` });
      lastResult = channel.variables.get('RESULT') ?? '';
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `round ${round}: ${format(callsPerRound / seconds)} executions/s, ${format((callsPerRound * 20) / seconds)} priorities/s, ${((seconds * 1e6) / callsPerRound).toFixed(1)} µs per execution`,
    );
  }
  console.log(`last RESULT=${lastResult}`);

  const lookups = 200_000;
  const lookupStart = performance.now();
  for (let i = 0; i < lookups; i++) dialplan.find('bench', i % 2 === 0 ? `${100000 + (i % 9000)}` : '5123456789', 1);
  const lookupSeconds = (performance.now() - lookupStart) / 1000;
  console.log(`lookups (half literal, half the route pattern behind 999 patterns): ${format(lookups / lookupSeconds)} finds/s`);
}

await main();
