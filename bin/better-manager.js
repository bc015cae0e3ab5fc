#!/usr/bin/env node
// Entry of the published package: the version check first, then the bundled CLI.
import { assertSupportedNode } from './node-version.mjs';

assertSupportedNode();
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
