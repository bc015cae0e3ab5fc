#!/usr/bin/env node
// Entry of the published package. Kept to syntax every Node.js release parses, so that an old
// Node prints one clear line instead of a stack trace from a missing module (node:sqlite).
const REQUIRED = [22, 13, 0];

function isSupported(version) {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < REQUIRED.length; i++) {
    if ((parts[i] || 0) !== REQUIRED[i]) return (parts[i] || 0) > REQUIRED[i];
  }
  return true;
}

if (!isSupported(process.versions.node)) {
  process.stderr.write(
    'better-manager needs Node.js >= ' +
      REQUIRED.join('.') +
      ' (this is v' +
      process.versions.node +
      '); install Node.js 24 LTS from https://nodejs.org\n',
  );
  process.exit(1);
} else {
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
}
