import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { environmentSchemaJson } from '../config/json-schema';
import { RENEWAL_ALERTS } from '../constructs/certificate-renewal';
import { HEALTH_ALERTS } from '../constructs/health-alerts';
import { PLATFORM_DEPENDENCIES } from '../constructs/platform-dependencies';
import { GENERATED_DOCS, README_SECTIONS, generatedSectionsIn, renderedDocs } from '../tools/readme-tables';
import { ROOT } from './helpers';

/** Every TypeScript file git tracks or would track (node_modules and build output excluded). */
function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: ROOT, encoding: 'utf8' });
  return listed.split('\n').filter((f) => f.endsWith('.ts') && fs.existsSync(path.join(ROOT, f)));
}

describe('project rules', () => {
  test('runs no dependency install script: .npmrc ignores them, and only packages known to work without theirs ship one', () => {
    expect(fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m);
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const withScripts = Object.entries<any>(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([name]) => name.replace(/^.*node_modules\//, ''));
    // Both load prebuilt binaries (@swc/core's platform packages; node-pty's prebuilds): the tests and synth run on them.
    // (The CDK Terrain copy of the project, npm run compat:cdktn, has no node-pty.)
    const known = ['@cdktf/node-pty-prebuilt-multiarch', '@swc/core'];
    expect(withScripts.filter((name) => !known.includes(name))).toEqual([]);
    expect(withScripts).toContain('@swc/core');
  });

  test('imports provider resources only by deep path (the barrel costs ~12 s and ~1 GB per synth)', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(20);
    // CDKTF's bindings or CDK Terrain's (npm run compat:cdktn rewrites the imports).
    const barrel = /from\s+['"]@cdkt[fn]\/provider-(azurerm|random)['"]|require\(\s*['"]@cdkt[fn]\/provider-(azurerm|random)['"]\s*\)/;
    const offenders = files.filter((f) => barrel.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('ships an up-to-date JSON Schema of environment files (npm run schema)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'environments', 'environment.schema.json'), 'utf8');
    expect(committed).toBe(environmentSchemaJson());
  });

  test('points every shipped environment at the schema', () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'environments')).filter((f) => f.endsWith('.json') && !f.includes('schema'))) {
      expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'environments', file), 'utf8')).$schema).toBe('./environment.schema.json');
    }
  });

  test("the generated tables of the README and docs/ are the code's (npm run docs:readme)", () => {
    const docs = new Map(GENERATED_DOCS.map((file) => [file, fs.readFileSync(path.join(ROOT, file), 'utf8')]));
    // every section stands in exactly one file, and each file is as npm run docs:readme writes it
    expect([...docs.values()].flatMap(generatedSectionsIn).sort()).toEqual(Object.keys(README_SECTIONS).sort());
    expect(renderedDocs(ROOT)).toEqual(docs);
    const readme = [...docs.values()].join('\n');
    for (const d of PLATFORM_DEPENDENCIES) expect(readme).toContain(d.why);
    for (const a of HEALTH_ALERTS) expect(readme).toContain(`alert-<prefix>-<tier>-${a.key}`);
    for (const a of RENEWAL_ALERTS) expect(readme).toContain(`alert-<prefix>-${a.key}`);
  });
});
