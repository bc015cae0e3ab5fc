import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // Stops each test file's child processes and removes its temporary folders (test/helpers/cli.ts).
    setupFiles: ['test/helpers/cleanup.ts'],
  },
});
