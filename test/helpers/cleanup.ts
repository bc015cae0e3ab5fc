// A vitest setup file (vitest.config.ts `setupFiles`): after each test file, its child processes are
// stopped and its temporary folders removed. Registered first, this afterAll runs after the test
// file's own afterAll hooks (vitest runs after-hooks in reverse order).
import { afterAll } from 'vitest';
import { cleanUpTestFile } from './cli.ts';

afterAll(cleanUpTestFile, 30_000);
