// Benchmark: generate a 10,000-peer sip.conf (templates, an include), then time parsing and
// building the SipConf model and print the heap growth. Figures only, no assertions.
// Runs against dist/ (turbo's `bench` task builds first): node --expose-gc bench/sip-conf.bench.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSipConf, readConfFile } from '../dist/index.js';

const PEERS = 10_000;
const ROUNDS = 5;

const dir = mkdtempSync(join(tmpdir(), 'tandem-config-bench-'));
const lines = ['[phone](!)', 'type=friend', 'host=dynamic', 'context=internal', 'disallow=all', 'allow=ulaw,alaw', 'qualify=yes', 'nat=force_rport,comedia', ''];
for (let index = 0; index < PEERS; index++) {
  const name = 10_000 + index;
  lines.push(`[${name}](phone)`, `secret=pw-${name}`, `callerid="User ${name}" <${name}>`, `mailbox=${name}@default`, `setvar=ACCOUNT=${index}`, '');
}
writeFileSync(join(dir, 'peers.conf'), lines.join('\n'));
writeFileSync(join(dir, 'sip.conf'), '[general]\ncontext=public\nallowguest=no\n#include peers.conf\n');

const gc = globalThis.gc;
const results = [];
for (let round = 0; round < ROUNDS; round++) {
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const { document } = readConfFile(dir, 'sip.conf');
  const parsed = process.hrtime.bigint();
  const { config, diagnostics } = buildSipConf(document);
  const built = process.hrtime.bigint();
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  if (config.devices.length !== PEERS || diagnostics.length > 0 || document.diagnostics.length > 0) {
    throw new Error(`unexpected result: ${config.devices.length} devices, ${diagnostics.length + document.diagnostics.length} diagnostics`);
  }
  results.push({
    parseMs: Number(parsed - start) / 1e6,
    buildMs: Number(built - parsed) / 1e6,
    heapDeltaMiB: (heapAfter - heapBefore) / 1024 / 1024,
    keep: config,
  });
}
rmSync(dir, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`sip.conf with ${PEERS} peers (${lines.length} lines), ${ROUNDS} rounds${gc ? '' : ' (run with --expose-gc for exact heap figures)'}`);
for (const [index, result] of results.entries()) {
  console.log(
    `  round ${index + 1}: parse ${result.parseMs.toFixed(1)} ms, build SipConf ${result.buildMs.toFixed(1)} ms, heap +${result.heapDeltaMiB.toFixed(1)} MiB (document + model retained)`,
  );
}
console.log(
  `  median: parse ${median(results.map((r) => r.parseMs)).toFixed(1)} ms, build ${median(results.map((r) => r.buildMs)).toFixed(1)} ms, heap +${median(results.map((r) => r.heapDeltaMiB)).toFixed(1)} MiB`,
);
