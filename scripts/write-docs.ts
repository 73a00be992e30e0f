import * as fs from 'fs';
import * as path from 'path';
import { prodAtStage } from '../test/config/fixtures';
import { migrationGuide } from '../tools/migration/guide';
import { availabilityDoc } from '../tools/failures/guide';
import { runbooksAtEveryStage, synthesizeStack } from '../tools/migration/stage-stacks';
import { parseEnvironment } from '../config/load';
import type { EnvironmentInput } from '../config/schema';
import { variant } from '../test/helpers';
import { renderedDocs } from '../tools/readme-tables';

// Rewrites the generated tables of the README and docs/ (egress, alerts, patching calendar, renewal, migration
// stages, availability exceptions) from the code, docs/migration.md from the runbook of prod at each stage (its stage
// fixtures, as the tests synthesize them), and docs/availability.md from the failures of the synthesized prod; a test
// fails when they are stale.
const root = path.join(__dirname, '..');
const docs = renderedDocs(root);
for (const [file, text] of docs) fs.writeFileSync(path.join(root, file), text);
const guide = path.join('docs', 'migration.md');
fs.writeFileSync(path.join(root, guide), migrationGuide(runbooksAtEveryStage('environments/prod.json', (stage) => prodAtStage(stage))));
const availability = path.join('docs', 'availability.md');
const prod = (change?: (c: EnvironmentInput) => void) => ({ file: 'environments/prod.json', env: parseEnvironment('environments/prod.json', JSON.stringify(variant('prod', change))) });
fs.writeFileSync(path.join(root, availability), availabilityDoc(synthesizeStack(prod()), synthesizeStack(prod((c) => (c.chaos = { enabled: true })))));
process.stderr.write(`[docs] wrote the generated sections of ${[...docs.keys()].join(', ')}, ${guide} and ${availability}\n`);
