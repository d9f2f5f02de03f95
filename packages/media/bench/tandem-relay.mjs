#!/usr/bin/env node
// Tandem media benchmark: hosts Tandem's relay for the load generator. Allocates CALLS pairs of
// endpoints on RELAY_HOST facing the generator's phones, connects them, writes the generator's
// config, prints "ready", and runs until SIGTERM.
//
// usage: node tandem-relay.mjs CONFIG_OUT CALLS THREADS TICK_US
import { writeFileSync } from 'node:fs';

import { MediaEngine } from '../dist/index.js';

const [configOut, callsText, threadsText, tickText] = process.argv.slice(2);
const calls = Number(callsText);
const relayHost = '127.0.2.250';
const phoneHosts = ['127.0.2.251', '127.0.2.252'];
const phoneBase = 20000;

const engine = MediaEngine.open({
  portStart: 20000,
  portEnd: 39999,
  threads: Number(threadsText),
  pollTickUs: Number(tickText),
});
const rssBefore = process.memoryUsage().rss;
const lines = [`${relayHost} ${phoneHosts[0]} ${phoneHosts[1]}`];
const codec = { payloadType: 0, name: 'PCMU', clockRate: 8000, ptimeMs: 20 };
const endpoints = [];
for (let call = 0; call < calls; call++) {
  const a = engine.allocate({ localAddress: relayHost });
  const b = engine.allocate({ localAddress: relayHost });
  a.setRemote(phoneHosts[0], phoneBase + call);
  b.setRemote(phoneHosts[1], phoneBase + call);
  a.setCodec(codec);
  b.setCodec(codec);
  a.connect(b);
  endpoints.push(a, b);
  lines.push(`${a.rtpPort} ${b.rtpPort} ${phoneBase + call} ${phoneBase + call}`);
}
writeFileSync(configOut, `${lines.join('\n')}\n`);
// Collect the set-up's garbage now (run with --expose-gc): otherwise V8 does it during the
// measured window, on the JS and GC threads, and the one-time cost of setting up the calls
// is counted as CPU per relayed packet (2-3 % at 1000 calls).
globalThis.gc?.();
console.log(JSON.stringify({ ready: true, rssBefore }));

const keepAlive = setInterval(() => {}, 1 << 30);
process.on('SIGTERM', async () => {
  clearInterval(keepAlive);
  await engine.close();
  process.exit(0);
});
