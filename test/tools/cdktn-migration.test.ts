import * as fs from 'fs';
import * as path from 'path';
import { CDKTN_NODE, CDKTN_OVERRIDES, isCdktfPackage, migratePackageJson, MigrationError, PACKAGE_SWAPS, PackageJson } from '../../tools/cdktn-migration';
import { atLeast } from '../../tools/node-runtime';
import { ROOT } from '../helpers';

const projectPackage = (): PackageJson => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('the package swaps to CDK Terrain', () => {
  test('pin exact versions', () => {
    for (const s of PACKAGE_SWAPS) expect([s.to, s.version]).toEqual([s.to, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
  });

  test('cover every CDKTF package the project depends on, so the copy keeps none', () => {
    // GIVEN the project's package.json as it is (a provider added later must get a swap)
    const migrated = migratePackageJson(projectPackage());
    // THEN no CDKTF package is left in any section
    const names = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].flatMap((s) =>
      Object.keys((migrated[s] as Record<string, string>) ?? {}),
    );
    expect(names.filter(isCdktfPackage)).toEqual([]);
  });

  test('replace each package in the section it was in, at its exact version, and leave the others alone', () => {
    const migrated = migratePackageJson({
      name: 'x',
      dependencies: { cdktf: '0.21.0', '@cdktf/provider-azurerm': '14.23.1', constructs: '10.4.2', zod: '4.6.7' },
      devDependencies: { 'cdktf-cli': '0.21.0', jest: '29.7.0' },
    });
    expect(migrated.dependencies).toEqual({ '@cdktn/provider-azurerm': '16.1.0', cdktn: '0.24.0', constructs: '10.6.0', zod: '4.6.7' });
    expect(migrated.devDependencies).toEqual({ 'cdktn-cli': '0.24.0', jest: '29.7.0' });
    expect(migrated.name).toBe('x');
  });

  test('keep a peer range a range: the library takes CDK Terrain from its consumer, at or above the version it is tested on', () => {
    const migrated = migratePackageJson({
      name: 'x',
      peerDependencies: { cdktf: '^0.21.0', constructs: '^10.4.2', '@cdktf/provider-random': '12.0.1' },
      devDependencies: { cdktf: '0.21.0', constructs: '10.4.2' },
    });
    expect(migrated.peerDependencies).toEqual({ '@cdktn/provider-random': '15.0.1', cdktn: '^0.24.0', constructs: '^10.6.0' });
    expect(migrated.devDependencies).toEqual({ cdktn: '0.24.0', constructs: '10.6.0' });
  });

  test('add the overrides that let the provider bindings accept cdktn 0.24, keeping existing ones', () => {
    const migrated = migratePackageJson({ dependencies: { cdktf: '0.21.0' }, overrides: { semver: '7.7.0' } });
    expect(migrated.overrides).toEqual({ semver: '7.7.0', '@cdktn/provider-azurerm': { cdktn: '$cdktn' } });
    expect(CDKTN_OVERRIDES).toEqual({ '@cdktn/provider-azurerm': { cdktn: '$cdktn' } });
  });

  test('refuse a CDKTF package without a declared swap, naming it', () => {
    expect(() => migratePackageJson({ dependencies: { '@cdktf/provider-azuread': '14.0.0' } })).toThrow(MigrationError);
    expect(() => migratePackageJson({ dependencies: { '@cdktf/provider-azuread': '14.0.0' } })).toThrow(
      'package.json: dependencies.@cdktf/provider-azuread has no CDK Terrain counterpart in PACKAGE_SWAPS (tools/cdktn-migration.ts): add its @cdktn package and exact version',
    );
  });

  test('leave the input untouched', () => {
    const input = projectPackage();
    const copy = structuredClone(input);
    migratePackageJson(input);
    expect(input).toEqual(copy);
  });

  test('need a Node.js newer than the one the project declares, and pin one that satisfies it', () => {
    expect(atLeast(CDKTN_NODE.pinned, CDKTN_NODE.minimum)).toBe(true);
    expect(projectPackage().engines).toEqual({ node: '>=20' });
  });
});
