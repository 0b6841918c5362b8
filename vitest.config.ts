import { availableParallelism } from 'node:os';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * Vite's transformer (oxc) lowers legacy decorators only and leaves standard ones in place, which Node cannot
 * run yet. Files under an `es-decorators` folder are compiled by TypeScript itself, as an app using
 * `@mikro-orm/decorators/es` without `experimentalDecorators` would compile them.
 */
function standardDecorators(): Plugin {
  return {
    name: 'standard-decorators',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]es-decorators[\\/][^\\/]+\.ts$/.test(id)) return null;
      const { outputText, sourceMapText } = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          sourceMap: true,
          experimentalDecorators: false,
        },
      });
      return { code: outputText, map: sourceMapText };
    },
  };
}

export default defineConfig({
  plugins: [standardDecorators()],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // A loaded 2-core machine (CI runs the database suites and Chromium side by side) needs more than 1 s.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    // The JSON report lets .ci/run print one plain summary line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    hookTimeout: 60_000,
    // Vitest's default (cores − 1) runs one file at a time on a 2-core machine; the files spend much of their
    // time waiting on databases, Chromium and child processes, so two side by side finish sooner (measured on
    // 2 cores: 390 s against 449–523 s). Every file has databases of its own, so files never share state.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
