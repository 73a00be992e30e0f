import { cdktnSpecifier } from '../../tools/cdktn-migration';
import { isScriptFile, rewriteModuleSpecifiers } from '../../tools/module-specifiers';

const rewrite = (text: string, file = 'x.ts') => rewriteModuleSpecifiers(file, text, cdktnSpecifier);

describe('rewriting module specifiers from CDKTF to CDK Terrain', () => {
  test.each([
    ["import { App } from 'cdktf';", "import { App } from 'cdktn';"],
    ['import { App } from "cdktf";', 'import { App } from "cdktn";'],
    ["import 'cdktf/lib/testing/adapters/jest';", "import 'cdktn/lib/testing/adapters/jest';"],
    ["import { Lb } from '@cdktf/provider-azurerm/lib/lb';", "import { Lb } from '@cdktn/provider-azurerm/lib/lb';"],
    ["import type { Password } from '@cdktf/provider-random/lib/password';", "import type { Password } from '@cdktn/provider-random/lib/password';"],
    ["export { Fn } from 'cdktf';", "export { Fn } from 'cdktn';"],
    ["export * from '@cdktf/provider-random/lib/provider';", "export * from '@cdktn/provider-random/lib/provider';"],
    ["import cdktf = require('cdktf');", "import cdktf = require('cdktn');"],
    ["const { App } = require('cdktf');", "const { App } = require('cdktn');"],
    ["const dir = require.resolve('@cdktf/provider-azurerm/package.json');", "const dir = require.resolve('@cdktn/provider-azurerm/package.json');"],
    ["const m = await import('cdktf');", "const m = await import('cdktn');"],
    ["let t: import('cdktf').App;", "let t: import('cdktn').App;"],
    ["jest.mock('cdktf', () => ({}));", "jest.mock('cdktn', () => ({}));"],
    ["const real = jest.requireActual('cdktf');", "const real = jest.requireActual('cdktn');"],
    ["declare module 'cdktf' { interface X {} }", "declare module 'cdktn' { interface X {} }"],
  ])('%s', (before, after) => {
    expect(rewrite(before).text).toBe(after);
  });

  test('leaves strings that are not module specifiers alone', () => {
    // GIVEN strings and comments that mention cdktf without importing it
    const source = [
      "// cdktf records where each token was created: import { x } from 'cdktf'",
      "const outdir = path.join(dir, 'cdktf.out');",
      "spawnSync('npx', ['cdktf', 'synth']);",
      "const pkg = 'cdktf';",
      "expect(text).toMatch(/from 'cdktf'/);",
      "import { other } from 'cdktf-cli-helpers';",
      "import { x } from '@cdktf/commons';",
    ].join('\n');
    // THEN nothing is rewritten
    expect(rewrite(source)).toEqual({ text: source, rewrites: [] });
  });

  test('reports each rewrite with its line, and keeps everything around it byte for byte', () => {
    const source = "/* header */\nimport { App } from 'cdktf';\n\nimport { Lb } from '@cdktf/provider-azurerm/lib/lb'; // the LB\n";
    expect(rewrite(source)).toEqual({
      text: "/* header */\nimport { App } from 'cdktn';\n\nimport { Lb } from '@cdktn/provider-azurerm/lib/lb'; // the LB\n",
      rewrites: [
        { from: 'cdktf', to: 'cdktn', line: 2 },
        { from: '@cdktf/provider-azurerm/lib/lb', to: '@cdktn/provider-azurerm/lib/lb', line: 4 },
      ],
    });
  });

  test('reads JavaScript as well as TypeScript', () => {
    expect(rewrite("module.exports = require('cdktf');", 'jest.config.js').text).toBe("module.exports = require('cdktn');");
    expect(rewrite("import { App } from 'cdktf';", 'main.mjs').text).toBe("import { App } from 'cdktn';");
  });

  test('rewrites only script files', () => {
    expect(['a.ts', 'b.d.ts', 'c.js', 'd.mjs', 'e.cts', 'f.tsx'].every(isScriptFile)).toBe(true);
    expect(['cdktf.json', 'README.md', 'x.snap', 'run.sh'].some(isScriptFile)).toBe(false);
  });
});

describe('the CDK Terrain name of a CDKTF module', () => {
  test.each([
    ['cdktf', 'cdktn'],
    ['cdktf/lib/testing/adapters/jest', 'cdktn/lib/testing/adapters/jest'],
    ['@cdktf/provider-azurerm', '@cdktn/provider-azurerm'],
    ['@cdktf/provider-azuread/lib/group', '@cdktn/provider-azuread/lib/group'],
    ['cdktf-cli', undefined],
    ['@cdktf/commons', undefined],
    ['constructs', undefined],
    ['cdktn', undefined],
  ])('%s → %s', (from, to) => {
    expect(cdktnSpecifier(from)).toBe(to);
  });
});
