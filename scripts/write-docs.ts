import * as fs from 'fs';
import * as path from 'path';
import { withGeneratedSections } from '../tools/readme-tables';

// Rewrites the README's generated tables (egress, alerts) from the code; a test fails when they are stale.
const file = path.join(__dirname, '..', 'README.md');
fs.writeFileSync(file, withGeneratedSections(fs.readFileSync(file, 'utf8')));
process.stderr.write(`[docs] wrote the generated sections of ${path.relative(process.cwd(), file)}\n`);
