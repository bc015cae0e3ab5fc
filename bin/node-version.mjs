// The Node.js version check of the CLI, `npm start` and `npm test`. Kept to syntax every Node.js
// release with ES modules parses, so that an old Node prints one clear line instead of a stack
// trace from a missing module (node:sqlite) or API (Map.groupBy in the test runner).
const REQUIRED = [22, 13, 0];

function isSupported(version) {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < REQUIRED.length; i++) {
    if ((parts[i] || 0) !== REQUIRED[i]) return (parts[i] || 0) > REQUIRED[i];
  }
  return true;
}

/** Exits with one line on stderr when this Node.js is older than the project needs. */
export function assertSupportedNode() {
  if (isSupported(process.versions.node)) return;
  process.stderr.write(
    'better-manager needs Node.js >= ' +
      REQUIRED.join('.') +
      ' (this is v' +
      process.versions.node +
      '); install Node.js 24 LTS from https://nodejs.org\n',
  );
  process.exit(1);
}
