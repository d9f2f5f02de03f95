#!/usr/bin/env node
// Builds the addon with node-gyp against the headers of the Node.js that runs this script when
// they are installed next to it (<prefix>/include/node, as Debian's nodejs and the official
// tarballs ship them), so no header download is needed; otherwise node-gyp fetches them.
// Usage: node build-addon.mjs rebuild|build
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const prefix = dirname(dirname(process.execPath));
const local = existsSync(join(prefix, 'include', 'node', 'node.h'));
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const args = [nodeGyp, process.argv[2] ?? 'rebuild', ...(local ? [`--nodedir=${prefix}`] : [])];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: dirname(new URL(import.meta.url).pathname) });
process.exit(result.status ?? 1);
