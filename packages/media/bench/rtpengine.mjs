// Tandem media benchmark: rtpengine (Debian's rtpengine-daemon) in userspace forwarding mode
// (--table=-1), calls set up over its ng control protocol (bencode over UDP).
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';

function bencode(value) {
  if (typeof value === 'number') return Buffer.from(`i${value}e`);
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = Buffer.from(value);
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(value).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((key) => [bencode(key), bencode(value[key])]), Buffer.from('e')]);
}

function bdecode(bytes, at = 0) {
  const kind = String.fromCharCode(bytes[at]);
  if (kind === 'i') {
    const end = bytes.indexOf(0x65, at);
    return [Number(bytes.toString('latin1', at + 1, end)), end + 1];
  }
  if (kind === 'l' || kind === 'd') {
    const items = [];
    let next = at + 1;
    while (bytes[next] !== 0x65) {
      const [item, after] = bdecode(bytes, next);
      items.push(item);
      next = after;
    }
    if (kind === 'l') return [items, next + 1];
    const object = {};
    for (let i = 0; i < items.length; i += 2) object[items[i]] = items[i + 1];
    return [object, next + 1];
  }
  const colon = bytes.indexOf(0x3a, at);
  const length = Number(bytes.toString('latin1', at, colon));
  return [bytes.toString('utf8', colon + 1, colon + 1 + length), colon + 1 + length];
}

const sdp = (host, port) =>
  ['v=0', `o=- 1 1 IN IP4 ${host}`, 's=-', `c=IN IP4 ${host}`, 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');

const mediaPort = (text) => Number(/m=audio (\d+)/.exec(text)?.[1]);

/** Starts rtpengine; rejects with the reason when it is not installed or does not come up. */
export async function startRtpengine({ host, work, phoneHosts, phoneBase }) {
  if (spawnSync('rtpengine', ['--version']).status !== 0) {
    throw new Error('not installed (apt-get install rtpengine-daemon)');
  }
  const controlPort = 22223;
  const child = spawn(
    'rtpengine',
    ['--config-file=none', '--foreground', '--log-stderr', '--log-level=3', '--table=-1', `--interface=${host}`,
      `--listen-ng=${host}:${controlPort}`, '--port-min=40000', '--port-max=59999', '--num-threads=2',
      '--delete-delay=0', `--pidfile=${join(work, 'rtpengine.pid')}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-2000)));
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, host, resolve));
  const waiting = new Map();
  let counter = 0;
  socket.on('message', (message) => {
    const space = message.indexOf(0x20);
    const cookie = message.toString('latin1', 0, space);
    const [reply] = bdecode(message, space + 1);
    waiting.get(cookie)?.(reply);
    waiting.delete(cookie);
  });
  const command = (body) =>
    new Promise((resolve, reject) => {
      const cookie = `c${++counter}`;
      const timer = setTimeout(() => {
        waiting.delete(cookie);
        reject(new Error(`ng ${body.command} timed out`));
      }, 2000);
      waiting.set(cookie, (reply) => {
        clearTimeout(timer);
        if (reply.result !== 'ok') reject(new Error(`ng ${body.command}: ${reply['error-reason'] ?? reply.result}`));
        else resolve(reply);
      });
      socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(body)]), controlPort, host);
    });
  // Wait for the control socket to answer.
  for (let attempt = 0; ; attempt++) {
    try {
      await command({ command: 'ping' }).catch((error) => {
        if (!/pong/.test(error.message)) throw error;
      });
      break;
    } catch (error) {
      if (child.exitCode !== null || attempt > 30) {
        socket.close();
        child.kill('SIGKILL');
        throw new Error(`did not start: ${error.message}; ${log.trim().split('\n').at(-1) ?? ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  let active = [];
  return {
    pid: child.pid,
    async createCalls(calls) {
      const lines = [`${host} ${phoneHosts[0]} ${phoneHosts[1]}`];
      for (let call = 0; call < calls; call++) {
        const callId = `bench-${Date.now()}-${call}`;
        const offer = await command({ command: 'offer', 'call-id': callId, 'from-tag': 'a', sdp: sdp(phoneHosts[0], phoneBase + call) });
        const answer = await command({ command: 'answer', 'call-id': callId, 'from-tag': 'a', 'to-tag': 'b', sdp: sdp(phoneHosts[1], phoneBase + call) });
        active.push(callId);
        lines.push(`${mediaPort(answer.sdp)} ${mediaPort(offer.sdp)} ${phoneBase + call} ${phoneBase + call}`);
      }
      return `${lines.join('\n')}\n`;
    },
    async deleteCalls() {
      for (const callId of active) await command({ command: 'delete', 'call-id': callId, 'from-tag': 'a' }).catch(() => {});
      active = [];
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    stop() {
      socket.close();
      child.kill('SIGTERM');
    },
  };
}
