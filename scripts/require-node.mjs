// `npm test` runs this first: on an old Node it stops with the CLI's one-line message instead of
// a crash inside the test runner.
import { assertSupportedNode } from '../bin/node-version.mjs';

assertSupportedNode();
