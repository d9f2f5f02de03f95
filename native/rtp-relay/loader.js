// Loads the compiled addon (build/Release/tandem_rtp.node); the typed API is in @tandem/media.
// TANDEM_RTP_ADDON=/path/to/tandem_rtp.node loads another build instead (ASan/valgrind runs).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const nodeGypBuild = require('node-gyp-build');

/** The raw addon exports; typed by @tandem/media's native-binding.ts. */
export const binding = process.env.TANDEM_RTP_ADDON
  ? require(process.env.TANDEM_RTP_ADDON)
  : nodeGypBuild(dirname(fileURLToPath(import.meta.url)));
