#!/usr/bin/env node
// `mfa-ha`, the project's command line (package.json `bin`; `npm run <command>` aliases it): the TypeScript sources run
// through ts-node, as every npm script of the project does (tsconfig.json's "ts-node": transpile only, with swc).
const path = require('path');
require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json') });
require('../tools/commands/index.ts').main(process.argv.slice(2));
