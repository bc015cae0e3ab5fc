#!/usr/bin/env node
// Entry of the published package: the version check first, then the bundled CLI.
import * as nodeModule from 'node:module';
import { assertSupportedNode } from './node-version.mjs';

assertSupportedNode();
// V8 keeps the bundle's compiled code in a cache (Node's own, in the temporary folder) between runs:
// compiling 2 MB of JavaScript is most of a cold start. A cache is not state: it is rebuilt when gone.
// (A namespace import: a Node too old to have it must still reach the version check above.)
nodeModule.enableCompileCache?.();
import('../dist/cli.js').then(
  (cli) => cli.main(process.argv),
  (error) => {
    process.stderr.write(
      'better-manager: cannot load dist/cli.js (' +
        (error && error.code ? error.code : error) +
        '); run `npm run build` first\n',
    );
    process.exit(1);
  },
);
