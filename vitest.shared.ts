import { defineConfig } from 'vitest/config';

interface TandemVitestOptions {
  include?: string[];
  testTimeout?: number;
  fileParallelism?: boolean;
}

/**
 * Shared Vitest settings: tests run from TypeScript sources through the `@tandem/source`
 * export condition, so no build is needed before `vitest run` (Vitest 4 applies the
 * condition only through `ssr.resolve.conditions` for Node tests).
 */
export function tandemVitest(options: TandemVitestOptions = {}) {
  return defineConfig({
    ssr: { resolve: { conditions: ['@tandem/source'] } },
    test: {
      include: options.include ?? ['test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 10_000,
      // Hooks start servers and phones: on a busy machine that takes as long as a test.
      hookTimeout: options.testTimeout ?? 10_000,
      fileParallelism: options.fileParallelism ?? true,
    },
  });
}
