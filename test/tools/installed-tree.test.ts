import * as path from 'path';
import { isCdktfPackage } from '../../tools/cdktn-migration';
import { NpmLsNode, resolutionProblems, treeProblems, versionsIn } from '../../tools/installed-tree';

/** `npm ls --all --json` of a CDK Terrain copy, shortened: deduplicated nodes carry only their version. */
function tree(change: (t: any) => void = () => {}): NpmLsNode {
  const t: any = {
    version: '0.1.0',
    name: 'mfa-ha-cdktf',
    dependencies: {
      '@cdktn/provider-azurerm': { version: '16.1.0', overridden: false, dependencies: { cdktn: { version: '0.24.0' }, constructs: { version: '10.6.0' } } },
      '@cdktn/provider-random': { version: '15.0.1', dependencies: { cdktn: { version: '0.24.0' }, constructs: { version: '10.6.0' } } },
      'cdktn-cli': { version: '0.24.0', dependencies: { cdktn: { version: '0.24.0' }, constructs: { version: '10.6.0' }, yargs: { version: '17.7.3' } } },
      cdktn: { version: '0.24.0', dependencies: { constructs: { version: '10.6.0' } } },
      constructs: { version: '10.6.0' },
    },
  };
  change(t);
  return t;
}

const EXPECTED = { exact: { cdktn: '0.24.0', constructs: '10.6.0', '@cdktn/provider-azurerm': '16.1.0' }, forbidden: isCdktfPackage };

describe('checking the installed tree', () => {
  test('collects every version of every package, wherever it sits', () => {
    expect(versionsIn(tree((t) => (t.dependencies['cdktn-cli'].dependencies.cdktn.version = '0.23.0'))).get('cdktn')).toEqual(new Set(['0.24.0', '0.23.0']));
  });

  test('accepts one cdktn, one constructs, and no CDKTF package', () => {
    expect(treeProblems(tree(), EXPECTED)).toEqual([]);
  });

  test('reports a second cdktn nested under a provider (the peer range not overridden)', () => {
    const nested = tree((t) => (t.dependencies['@cdktn/provider-azurerm'].dependencies.cdktn = { version: '0.23.0' }));
    expect(treeProblems(nested, EXPECTED)).toEqual(['cdktn: expected exactly 0.24.0, found 0.23.0, 0.24.0']);
  });

  test('reports a package that is missing', () => {
    expect(
      treeProblems(
        tree((t) => delete t.dependencies['@cdktn/provider-azurerm']),
        EXPECTED,
      ),
    ).toEqual(['@cdktn/provider-azurerm: expected exactly 16.1.0, found none']);
  });

  test('reports any CDKTF package still installed', () => {
    const stale = tree((t) => {
      t.dependencies.cdktf = { version: '0.21.0' };
      t.dependencies['cdktn-cli'].dependencies['@cdktf/hcl2json'] = { version: '0.21.0' };
    });
    expect(treeProblems(stale, EXPECTED)).toEqual(['@cdktf/hcl2json is installed (0.21.0) but must not be', 'cdktf is installed (0.21.0) but must not be']);
  });

  test("passes on npm's own problems (invalid peer, missing dependency)", () => {
    const invalid = tree((t) => (t.problems = ['invalid: cdktn@0.24.0 node_modules/cdktn']));
    expect(treeProblems(invalid, EXPECTED)).toEqual(['invalid: cdktn@0.24.0 node_modules/cdktn']);
  });
});

describe('checking module resolution', () => {
  // A fake node_modules layout: the project resolves cdktn at the top; a dependent may have its own copy.
  const layout =
    (nested: string[]) =>
    (id: string, { paths: [from] }: { paths: string[] }) => {
      const name = id.replace(/\/package\.json$/, '');
      const own = path.join(from, 'node_modules', name);
      if (from !== '/p' && nested.includes(`${path.relative('/p/node_modules', from)}>${name}`)) return path.join(own, 'package.json');
      return path.join('/p/node_modules', name, 'package.json');
    };

  test('passes when every dependent resolves the project’s own copy', () => {
    expect(resolutionProblems('/p', 'cdktn', ['@cdktn/provider-azurerm', 'cdktn-cli'], layout([]))).toEqual([]);
  });

  test('names a dependent that resolves a copy of its own', () => {
    expect(resolutionProblems('/p', 'cdktn', ['@cdktn/provider-azurerm', 'cdktn-cli'], layout(['@cdktn/provider-azurerm>cdktn']))).toEqual([
      '@cdktn/provider-azurerm resolves cdktn to /p/node_modules/@cdktn/provider-azurerm/node_modules/cdktn, the project to /p/node_modules/cdktn',
    ]);
  });

  test('says when the project cannot resolve the library at all', () => {
    const missing = () => {
      throw new Error('Cannot find module');
    };
    expect(resolutionProblems('/p', 'cdktn', ['cdktn-cli'], missing)).toEqual(['the project does not resolve cdktn']);
  });
});
