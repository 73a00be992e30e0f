import * as fs from 'fs';
import * as path from 'path';
import { prodAtStage } from '../test/config/fixtures';
import { migrationGuide } from '../tools/migration/guide';
import { runbooksAtEveryStage } from '../tools/migration/stage-stacks';
import { renderedDocs } from '../tools/readme-tables';

// Rewrites the generated tables of the README and docs/ (egress, alerts, patching calendar, renewal, migration
// stages) from the code, and docs/migration.md from the runbook of prod at each stage (its stage fixtures, as the
// tests synthesize them); a test fails when they are stale.
const root = path.join(__dirname, '..');
const docs = renderedDocs(root);
for (const [file, text] of docs) fs.writeFileSync(path.join(root, file), text);
const guide = path.join('docs', 'migration.md');
fs.writeFileSync(path.join(root, guide), migrationGuide(runbooksAtEveryStage('environments/prod.json', (stage) => prodAtStage(stage))));
process.stderr.write(`[docs] wrote the generated sections of ${[...docs.keys()].join(', ')}, and ${guide}\n`);
