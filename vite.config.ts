import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One config for the UI build and all test projects (as chat-ui splits them):
// - server: node environment, pure functions + real transformers.js on tiny models
// - ui: the Svelte state modules and stream consumer in jsdom
// - e2e: the built app in Debian's Chromium through playwright-core
export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:7860', '/gradio_api': 'http://127.0.0.1:7860' } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['common/**/*.test.ts', 'server/**/*.test.ts', 'tests/**/*.test.ts', 'bench/**/*.test.ts', 'deploy/**/*.test.ts'],
          exclude: ['tests/e2e/**'],
          // Node 24's Float16Array hidden before any test file imports ONNX Runtime.
          setupFiles: ['server/engine/float16.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['src/**/*.test.ts'],
        },
        // Svelte's client runtime (runes with reactivity), not its server build.
        resolve: { conditions: ['browser'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
