import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (test/support/src -> ../../..). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The built server executable. */
export const serverMain = join(repoRoot, 'apps/server/dist/main.js');
