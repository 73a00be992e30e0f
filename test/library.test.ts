import { builtinModules } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import * as ts from 'typescript';
import { addStacks } from '../examples/own-stack/app';
import { lab } from '../examples/own-stack/lab-environment';
import * as entry from '../index';
import { ConfigError, validateEnvironment } from '../index';
import { packageOf } from '../tools/cdktn-copy';
import { ROOT, shippedInput, synthJson } from './helpers';

/** The public entry (package.json `exports["."]`), and what docs/library.md says it exports. */
const INDEX = path.join(ROOT, 'index.ts');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const parse = (file: string, withParents = true) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, withParents);

interface PublicExport {
  readonly name: string;
  readonly typeOnly: boolean;
  /** The module it comes from, as written in index.ts: `./constructs/adfs-farm`. */
  readonly from: string;
}

/** Every name index.ts exports, read from its syntax: the barrel is explicit `export { … } from '…'` lists only. */
function publicExports(): PublicExport[] {
  const found: PublicExport[] = [];
  for (const statement of parse(INDEX).statements) {
    if (!ts.isExportDeclaration(statement))
      throw new Error(`index.ts: only \`export { … } from '…'\` belongs in the barrel, found: ${statement.getText().slice(0, 60)}`);
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) throw new Error(`index.ts: \`export *\` hides what is public: name each export (${statement.getText()})`);
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    for (const e of clause.elements) found.push({ name: e.name.text, typeOnly: statement.isTypeOnly || e.isTypeOnly, from });
  }
  return found;
}

/** The names of the table of docs/library.md's "Public API" section: `| \`Name\` | kind | … |`. */
function documentedExports(): { name: string; kind: string }[] {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'library.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('Public API'));
  if (!section) throw new Error('docs/library.md has no "## Public API" section');
  return [...section.matchAll(/^\| `(\w+)` \| ([\w ]+?) \|/gm)].map((m) => ({ name: m[1], kind: m[2] }));
}

/** The top-level declaration named `name` in a source file, with the statement that carries its JSDoc. */
function declarationOf(file: ts.SourceFile, name: string): ts.Statement | undefined {
  return file.statements.find((s) => {
    if (ts.isVariableStatement(s)) return s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
    return (ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isFunctionDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name?.text === name;
  });
}

const imports = new Map<string, string[]>();
/** The module specifiers a TypeScript file imports or re-exports (each file parsed once). */
function importsOf(file: string): string[] {
  if (!imports.has(file)) {
    const statements = parse(file, false).statements;
    const declarations = statements.filter(
      (st): st is ts.ImportDeclaration | ts.ExportDeclaration => (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier !== undefined,
    );
    imports.set(
      file,
      declarations.map((st) => (st.moduleSpecifier as ts.StringLiteral).text),
    );
  }
  return imports.get(file)!;
}

/** Every source file that `start` loads, following relative imports. */
function reachableFiles(start: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (target) visit(target);
      else if (!fs.existsSync(base)) throw new Error(`${path.relative(ROOT, file)}: cannot resolve ${spec}`);
    }
  };
  visit(start);
  return [...seen];
}

const jsDocOf = (node: ts.Node): string =>
  ts
    .getJSDocCommentsAndTags(node)
    .map((d) => (ts.isJSDoc(d) ? (ts.getTextOfJSDocComment(d.comment) ?? '') : ''))
    .join(' ')
    .trim();

describe('the construct library', () => {
  test('exports exactly the names docs/library.md lists, types as types', () => {
    const exported = publicExports();
    const documented = documentedExports();
    expect(exported.map((e) => e.name).sort()).toEqual(documented.map((d) => d.name).sort());
    // a type stays erasable: what the docs call a type (or an interface) is exported with `export type`
    const kinds = new Map(documented.map((d) => [d.name, d.kind]));
    for (const e of exported) expect([e.name, e.typeOnly]).toEqual([e.name, ['type', 'interface'].includes(kinds.get(e.name)!)]);
  });

  test('exports at run time exactly its values (the classes and functions), no more', () => {
    const values = publicExports()
      .filter((e) => !e.typeOnly)
      .map((e) => e.name);
    expect(Object.keys(entry).sort()).toEqual(values.sort());
    for (const name of values) expect([name, entry[name as keyof typeof entry]]).toEqual([name, expect.anything()]);
  });

  test('documents every export and every member of its props and classes with JSDoc', () => {
    const undocumented: string[] = [];
    for (const e of publicExports()) {
      const file = parse(path.join(ROOT, `${e.from}.ts`));
      const declaration = declarationOf(file, e.name);
      if (!declaration) {
        undocumented.push(`${e.name}: not declared in ${e.from}.ts`);
        continue;
      }
      if (jsDocOf(declaration) === '') undocumented.push(e.name);
      if (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration)) {
        for (const member of declaration.members) {
          const isPublic = (ts.getCombinedModifierFlags(member as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
          if (!isPublic || ts.isConstructorDeclaration(member) || !member.name || member.name.getText().startsWith('#')) continue;
          if (jsDocOf(member) === '') undocumented.push(`${e.name}.${member.name.getText()}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  test('is one entry in package.json: its exports map, types and files point at the build output of index.ts', () => {
    const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));
    const outDir = build.compilerOptions.outDir;
    expect(build.files).toEqual(['index.ts']);
    expect(build.compilerOptions).toMatchObject({ declaration: true, noEmit: false });
    expect(pkg.exports).toEqual({
      '.': { types: `./${outDir}/index.d.ts`, default: `./${outDir}/index.js` },
      './package.json': './package.json',
    });
    expect([pkg.main, pkg.types]).toEqual([`${outDir}/index.js`, `${outDir}/index.d.ts`]);
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
    // npm adds package.json and README.md itself
    expect(pkg.files).toEqual([`${outDir}/`, 'docs/library.md']);
    // the build output is never committed
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(new RegExp(`^/${outDir}/$`, 'm'));
  });

  test('declares every package the public entry loads: the construct frameworks as peers, tested against exact copies', () => {
    // GIVEN the packages the files behind index.ts import (node's own modules aside)
    const used = [
      ...new Set(
        reachableFiles(INDEX)
          .flatMap(importsOf)
          .filter((s) => !s.startsWith('.') && !builtinModules.includes(s))
          .map(packageOf),
      ),
    ];
    const peers: Record<string, string> = pkg.peerDependencies;
    // THEN each is a dependency or a peer: a consumer's install has it, and nothing declared goes unused
    expect(used.sort()).toEqual([...Object.keys(pkg.dependencies), ...Object.keys(peers)].sort());
    // cdktf (or cdktn in the CDK Terrain copy), constructs and the provider bindings: one copy in the consumer's tree
    const framework = /^(cdkt[fn]|constructs|@cdkt[fn]\/provider-.*)$/;
    expect(Object.keys(peers).sort()).toEqual(used.filter((name) => framework.test(name)).sort());
    expect(Object.keys(peers)).toContain('constructs');
    for (const [name, range] of Object.entries(peers)) {
      // the exact copy the tests run on is the lowest version the peer range admits
      expect([name, range]).toEqual([name, `^${pkg.devDependencies[name]}`]);
      expect([name, pkg.devDependencies[name]]).toEqual([name, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
    }
  });
});

describe('validateEnvironment, the config check of the public entry', () => {
  test('accepts an environment object and fills in defaults, as a file is read', () => {
    const env = validateEnvironment(shippedInput('dev'), 'dev.ts');
    expect(env.name).toBe('dev');
    expect(env.backend).toEqual({ type: 'local' });
  });

  test('refuses with one line per mistake, each naming the source given', () => {
    const input: any = shippedInput('dev');
    input.mfa.count = 1;
    input.wap.cout = 2;
    let thrown: unknown;
    try {
      validateEnvironment(input, 'examples/lab.ts');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message.split('\n')).toEqual([
      'examples/lab.ts: wap.cout is not a known field (did you mean "count"? see environments/environment.schema.json)',
      'examples/lab.ts: mfa.count must be an integer from 2 to 20 (high availability needs at least 2 servers), got 1',
    ]);
  });
});

describe('examples/own-stack, a project that consumes the library by its package name', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-stack-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  // jest maps `mfa-ha-cdktf` to index.ts (jest.config.js); CI installs the packed build and synthesizes it (scripts/consume-library.sh)
  const stackJson = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  beforeAll(() => {
    const app = new App({ outdir });
    addStacks(app);
    app.synth();
  });

  test('imports the library only through its package name', () => {
    const dir = path.join(ROOT, 'examples', 'own-stack');
    const specifiers = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]));
    expect(specifiers).toContain('mfa-ha-cdktf');
    expect(specifiers.filter((s) => s.startsWith('..'))).toEqual([]);
  });

  test("places the library tiers in the subnets of the team's own virtual network", () => {
    const tf = stackJson('perimeter');
    const subnets = tf.resource.azurerm_subnet;
    expect(Object.keys(tf.resource.azurerm_virtual_network)).toEqual(['vnet']);
    const vms = Object.values<any>(tf.resource.azurerm_windows_virtual_machine);
    expect(vms.map((vm) => vm.computer_name).sort()).toEqual(['ADFS1', 'ADFS2', 'WAP1', 'WAP2']);
    const nics = Object.values<any>(tf.resource.azurerm_network_interface);
    const subnetOf = (nic: any) => Object.keys(subnets).find((k) => nic.ip_configuration[0].subnet_id === `\${azurerm_subnet.${k}.id}`);
    expect(nics.map((n) => `${n.name} ${subnetOf(n)}`).sort()).toEqual([
      'nic-identity-adfs-1 snet-adfs',
      'nic-identity-adfs-2 snet-adfs',
      'nic-identity-wap-1 snet-wap',
      'nic-identity-wap-2 snet-wap',
    ]);
    // the admin passwords are generated references, never literals
    for (const vm of vms) expect(vm.admin_password).toMatch(/^\$\{random_password\./);
  });

  test('synthesizes the whole design from a config object, exactly as the same config in an environment file', () => {
    const tf = stackJson('lab');
    // Testing.synth leaves out the cdktf metadata ("//") that an app writes beside each block
    const withoutMetadata = (json: unknown) => JSON.parse(JSON.stringify(json), (key, value) => (key === '//' ? undefined : value));
    // the JSON text of the object, read and validated as npm run synth reads environments/lab.json
    const fromFile = JSON.parse(synthJson(JSON.parse(JSON.stringify(lab))));
    expect(withoutMetadata(tf)).toEqual(fromFile);
    expect(
      Object.values<any>(tf.resource.azurerm_windows_virtual_machine)
        .map((vm) => vm.name)
        .sort(),
    ).toEqual(['adfs-1', 'adfs-2', 'mfa-1', 'mfa-2', 'portal-1', 'portal-2', 'wap-1', 'wap-2'].map((s) => `vm-mfaha-lab-${s}`));
  });
});
