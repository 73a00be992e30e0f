import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  bindingPinChanges,
  boundProvider,
  copyFiles,
  migratePackageFile,
  normalizeSnapshots,
  packageOf,
  rewriteImports,
  workingTreeFiles,
} from '../../tools/cdktn-copy';

const write = (dir: string, file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};

describe('the throwaway copy of the working tree', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-copy-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root });
    git('init', '-q');
    write(root, '.gitignore', 'node_modules/\ncdktf.out/\n');
    write(root, 'main.ts', "import { App } from 'cdktf';\n");
    write(root, 'gone.ts', '');
    git('add', '-A');
    git('commit', '-q', '-m', 'x');
    fs.rmSync(path.join(root, 'gone.ts'));
    write(root, 'constructs/new-tier.ts', "import { Lb } from '@cdktf/provider-azurerm/lib/lb';\n");
    write(root, 'node_modules/cdktf/index.js', '');
    write(root, 'cdktf.out/manifest.json', '{}');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('holds tracked and untracked files, but not ignored or deleted ones', () => {
    expect(workingTreeFiles(root)).toEqual(['.gitignore', 'constructs/new-tier.ts', 'main.ts']);
  });

  test('is a copy: the files are the same, the originals untouched after the rewrite', () => {
    const to = path.join(root, 'copy');
    const files = workingTreeFiles(root);
    copyFiles(root, to, files);
    expect(files.map((f) => fs.readFileSync(path.join(to, f), 'utf8'))).toEqual(files.map((f) => fs.readFileSync(path.join(root, f), 'utf8')));
    // WHEN the copy's imports are rewritten
    const summary = rewriteImports(to, files);
    // THEN the copy imports CDK Terrain and the working tree still imports CDKTF
    expect(summary).toEqual({
      files: ['constructs/new-tier.ts', 'main.ts'],
      packages: new Map([
        ['@cdktf/provider-azurerm → @cdktn/provider-azurerm', 1],
        ['cdktf → cdktn', 1],
      ]),
    });
    expect(fs.readFileSync(path.join(to, 'main.ts'), 'utf8')).toBe("import { App } from 'cdktn';\n");
    expect(fs.readFileSync(path.join(root, 'main.ts'), 'utf8')).toBe("import { App } from 'cdktf';\n");
  });

  test('gets the CDK Terrain package.json', () => {
    write(root, 'package.json', JSON.stringify({ name: 'p', dependencies: { cdktf: '0.21.0' }, devDependencies: { 'cdktf-cli': '0.21.0' } }));
    const migrated = migratePackageFile(root);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))).toEqual(migrated);
    expect([migrated.dependencies, migrated.devDependencies]).toEqual([{ cdktn: '0.24.0' }, { 'cdktn-cli': '0.24.0' }]);
  });

  test('normalizes its snapshots and reports what it changed', () => {
    const snap =
      'exports[`s 1`] = `\n"{\n  "a": {\n  },\n  "terraform": {\n    "required_providers": {\n      "azurerm": {\n        "source": "azurerm",\n        "version": "4.55.0"\n      }\n    }\n  }\n}"\n`;\n';
    write(root, 'test/__snapshots__/x.test.ts.snap', snap);
    const [report] = normalizeSnapshots(root, ['main.ts', 'test/__snapshots__/x.test.ts.snap'], [{ provider: 'azurerm', before: '4.55.0', after: '4.73.0' }]);
    expect(report).toEqual({
      file: 'test/__snapshots__/x.test.ts.snap',
      edits: [
        { what: 'azurerm pin 4.55.0 → 4.73.0', count: 1 },
        { what: 'empty {} / [] printed on one line', count: 1 },
      ],
      problems: [],
    });
    expect(fs.readFileSync(path.join(root, 'test/__snapshots__/x.test.ts.snap'), 'utf8')).toContain('"version": "4.73.0"');
  });
});

describe('the provider a prebuilt binding package binds', () => {
  test('is read from its package.json, for CDKTF’s and CDK Terrain’s layout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-'));
    write(
      dir,
      'a/@cdktf/provider-azurerm/package.json',
      JSON.stringify({ cdktf: { provider: { name: 'registry.terraform.io/hashicorp/azurerm', version: '4.55.0' } } }),
    );
    write(
      dir,
      'a/@cdktf/provider-random/package.json',
      JSON.stringify({ cdktf: { provider: { name: 'registry.terraform.io/hashicorp/random', version: '3.7.2' } } }),
    );
    write(
      dir,
      'b/@cdktn/provider-azurerm/package.json',
      JSON.stringify({ cdktn: { provider: { name: 'registry.terraform.io/hashicorp/azurerm', version: '4.73.0' } } }),
    );
    write(
      dir,
      'b/@cdktn/provider-random/package.json',
      JSON.stringify({ cdktf: { provider: { name: 'registry.terraform.io/hashicorp/random', version: '3.9.1' } } }),
    );
    expect(boundProvider(path.join(dir, 'a/@cdktf/provider-azurerm'))).toEqual({ provider: 'azurerm', version: '4.55.0' });
    expect(bindingPinChanges(path.join(dir, 'a'), path.join(dir, 'b'))).toEqual([
      { provider: 'azurerm', before: '4.55.0', after: '4.73.0' },
      { provider: 'random', before: '3.7.2', after: '3.9.1' },
    ]);
    write(dir, 'c/package.json', '{}');
    expect(() => boundProvider(path.join(dir, 'c'))).toThrow('names no bound provider');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('is found in the bindings installed for this project (CDKTF’s, or CDK Terrain’s in the compat copy)', () => {
    expect(boundProvider(path.dirname(require.resolve('@cdktf/provider-azurerm/package.json')))).toEqual({
      provider: 'azurerm',
      version: expect.stringMatching(/^4\.\d+\.\d+$/),
    });
  });
});

describe('the package of a module specifier', () => {
  test.each([
    ['cdktf', 'cdktf'],
    ['cdktf/lib/testing/adapters/jest', 'cdktf'],
    ['@cdktf/provider-azurerm/lib/lb', '@cdktf/provider-azurerm'],
  ])('%s → %s', (specifier, pkg) => expect(packageOf(specifier)).toBe(pkg));
});
