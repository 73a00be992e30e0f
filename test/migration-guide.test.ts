import * as fs from 'fs';
import * as path from 'path';
import { CDKTN_NODE, CDKTN_OVERRIDES, PACKAGE_SWAPS } from '../tools/cdktn-migration';
import { ROOT } from './helpers';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const page = fs.readFileSync(path.join(ROOT, 'docs', 'cdk-terrain.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const TITLE = '# CDKTF status: the tested way to CDK Terrain';

/** The migration guide (docs/cdk-terrain.md), which the README links to. */
function guide(): string {
  expect(page.startsWith(`${TITLE}\n`)).toBe(true);
  return page;
}

const current = (name: string): string | undefined => pkg.dependencies[name] ?? pkg.devDependencies[name];
// In the copy that npm run compat:cdktn builds, package.json is already the CDK Terrain one.
const migrated = current('cdktn') !== undefined;

describe('the migration guide to CDK Terrain (docs/cdk-terrain.md)', () => {
  test('lists exactly the package swaps the compat run applies, with today’s and the new exact versions', () => {
    // GIVEN the rows of the swap table ("| `from` x.y.z | `to` x.y.z | why |")
    const rows = [...guide().matchAll(/^\| `([^`]+)` (\S+) \| `([^`]+)` (\S+) \| (.+) \|$/gm)].map((m) => m.slice(1, 6));
    // THEN they are PACKAGE_SWAPS, in order, starting from the versions package.json pins today
    const today = (name: string) => (migrated ? expect.stringMatching(/^\d+\.\d+\.\d+$/) : current(name));
    expect(rows).toEqual(PACKAGE_SWAPS.map((s) => [s.from, today(s.from), s.to, s.version, s.why.replace(', see CDKTN_OVERRIDES', ', see the override')]));
    // AND in the compat copy, package.json holds exactly the new side
    if (migrated) for (const s of PACKAGE_SWAPS) expect([s.to, current(s.to)]).toEqual([s.to, s.version]);
  });

  test('shows the override the compat run adds', () => {
    const block = /```json\n(.+?)\n```/s.exec(guide());
    expect(JSON.parse(block![1])).toEqual({ overrides: CDKTN_OVERRIDES });
  });

  test('states the Node.js CDK Terrain needs and the one the pipelines use', () => {
    expect(guide()).toContain(`Node.js ≥ ${CDKTN_NODE.minimum}`);
    expect(guide()).toContain(`release ${CDKTN_NODE.pinned}`);
    expect(guide()).toContain(`Node.js ${CDKTN_NODE.pinned}`);
  });

  test('names a command that exists, and the intro links to the guide', () => {
    expect(pkg.scripts['compat:cdktn']).toBe('ts-node scripts/compat-cdktn.ts');
    expect(guide()).toContain('`npm run compat:cdktn`');
    expect(readme).toContain('(docs/cdk-terrain.md)');
  });

  test('depends on one CDK, never on a mix: CDKTF (the default), or CDK Terrain in the compat copy', () => {
    const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    const [cdktf, cdktn] = [/^(@cdktf\/|cdktf)/, /^(@cdktn\/|cdktn)/].map((re) => names.filter((n) => re.test(n)).sort());
    expect(migrated ? [cdktf, cdktn] : [cdktn, cdktf]).toEqual([[], expect.arrayContaining(migrated ? ['cdktn', 'cdktn-cli'] : ['cdktf', 'cdktf-cli'])]);
  });
});
