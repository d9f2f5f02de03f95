import { tandemVitest } from '../../vitest.shared.ts';

// End-to-end tests start real servers and sipp processes: give them time, one file at a time.
export default tandemVitest({ include: ['**/*.test.ts'], testTimeout: 60_000, fileParallelism: false });
