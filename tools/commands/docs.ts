import type { Tool } from '../cli';
import type { EnvironmentInput } from '../../config/schema';

/**
 * `mfa-ha docs`: rewrites the generated tables of the README and docs/ (egress, alerts, patching calendar, renewal,
 * migration stages, availability exceptions) from the code, docs/migration.md from the runbook of prod at each stage
 * (its stage fixtures, as the tests synthesize them), and docs/availability.md from the failures of the synthesized
 * prod; a test fails when they are stale.
 */
export const DOCS_TOOL: Tool = {
  name: 'docs',
  description: 'rewrites the generated sections of the README and docs/ from the code',
  options: {},
  environments: 'none',
  run: async (_args, log) => {
    const [fs, path] = await Promise.all([import('fs'), import('path')]);
    const [
      { prodAtStage },
      { migrationGuide },
      { availabilityDoc },
      { runbooksAtEveryStage, synthesizeStack },
      { parseEnvironment },
      { variant },
      { renderedDocs },
    ] = await Promise.all([
      import('../../test/config/fixtures'),
      import('../migration/guide'),
      import('../failures/guide'),
      import('../migration/stage-stacks'),
      import('../../config/load'),
      import('../../test/helpers'),
      import('../readme-tables'),
    ]);
    const root = path.join(__dirname, '..', '..');
    const docs = renderedDocs(root);
    for (const [file, text] of docs) fs.writeFileSync(path.join(root, file), text);
    const guide = path.join('docs', 'migration.md');
    log(`synthesizing prod at every migration stage for ${guide}...`);
    fs.writeFileSync(path.join(root, guide), migrationGuide(runbooksAtEveryStage('environments/prod.json', (stage) => prodAtStage(stage))));
    const availability = path.join('docs', 'availability.md');
    log(`replaying the failures of prod for ${availability}...`);
    const prod = (change?: (c: EnvironmentInput) => void) => ({
      file: 'environments/prod.json',
      env: parseEnvironment('environments/prod.json', JSON.stringify(variant('prod', change))),
    });
    fs.writeFileSync(path.join(root, availability), availabilityDoc(synthesizeStack(prod()), synthesizeStack(prod((c) => (c.chaos = { enabled: true })))));
    log(`wrote the generated sections of ${[...docs.keys()].join(', ')}, ${guide} and ${availability}`);
  },
};
