#!/usr/bin/env node
// Exercises the addon end to end for a memory checker: `pnpm -F @tandem/media memcheck` runs it
// under valgrind (node --jitless); with LD_PRELOAD=libasan.so and TANDEM_RTP_ADDON pointing at
// an ASan build it serves the same purpose.
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaEngine } from '../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-memcheck-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
writeFileSync(join(dir, 'p.ulaw'), Buffer.alloc(1600, 0x55));
const engine = MediaEngine.open({ portStart: 44000, portEnd: 44099, threads: 2, soundsDir: dir });
const alice = dgram.createSocket('udp4'); const bob = dgram.createSocket('udp4');
await new Promise((r) => alice.bind(0, '127.0.2.50', r)); await new Promise((r) => bob.bind(0, '127.0.2.51', r));
const codec = { payloadType: 0, name: 'PCMU', clockRate: 8000, ptimeMs: 20, telephoneEventPt: 101 };
for (let round = 0; round < 5; round++) {
  const a = engine.allocate({ localAddress: '127.0.0.1' }); const b = engine.allocate({ localAddress: '127.0.0.1' });
  a.setRemote('127.0.2.50', alice.address().port); b.setRemote('127.0.2.51', bob.address().port);
  a.setCodec(codec); b.setCodec({ ...codec, payloadType: 8, name: 'PCMA' }); a.connect(b);
  for (let i = 0; i < 20; i++) { const p = Buffer.alloc(172, 0xff); p[0] = 0x80; p.writeUInt16BE(i, 2); alice.send(p, a.rtpPort, '127.0.0.1'); }
  const rec = a.record(join(dir, 'r.wav'), { silenceMs: 0, maxDurationMs: 300, terminators: '#', append: false });
  const play = b.play(['p']);
  b.playTones('440/50,0/50'); await sleep(100); b.stopTones();
  await b.sendDtmf('12', 60);
  a.setDtmfMode('inband'); a.echo();
  console.log(round, (await rec).status, (await play).status);
  a.release(); if (round % 2) b.release();
}
await engine.close(); alice.close(); bob.close();
rmSync(dir, { recursive: true, force: true });
console.log('memcheck smoke: done');
