#!/usr/bin/env node
// `mfa-ha`, the project's command line (package.json `bin`; `npm run <command>` aliases it): the TypeScript sources run
// through ts-node, as every npm script of the project does (tsconfig.json's "ts-node": transpile only, with swc).
const fs = require('fs');
const path = require('path');
const entry = path.join(__dirname, '..', 'tools', 'commands', 'index.ts');
if (!fs.existsSync(entry)) {
  // The construct library's package holds lib/ only (docs/library.md): the command line runs in a checkout.
  process.stderr.write(
    'error: mfa-ha runs in a checkout of the project (npm ci there, then npx mfa-ha); the installed package is the construct library only\n',
  );
  process.exit(1);
}
require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json') });
require(entry).main(process.argv.slice(2));
