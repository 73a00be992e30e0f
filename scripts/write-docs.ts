import * as fs from 'fs';
import * as path from 'path';
import { renderedDocs } from '../tools/readme-tables';

// Rewrites the generated tables of the README and docs/ (egress, alerts, patching calendar, renewal) from the code;
// a test fails when they are stale.
const root = path.join(__dirname, '..');
const docs = renderedDocs(root);
for (const [file, text] of docs) fs.writeFileSync(path.join(root, file), text);
process.stderr.write(`[docs] wrote the generated sections of ${[...docs.keys()].join(', ')}\n`);
