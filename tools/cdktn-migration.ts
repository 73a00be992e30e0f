/**
 * The move from CDK for Terraform (archived by HashiCorp in December 2025) to its community fork, CDK Terrain
 * (`cdktn`), declared once: `npm run compat:cdktn` applies it to a throwaway copy of the project, and the
 * migration guide (docs/cdk-terrain.md) is checked against it.
 */

/** One package of the project and what replaces it on CDK Terrain. */
export interface PackageSwap {
  /** The package the project depends on today. */
  readonly from: string;
  /** Its replacement (the same name when only the version moves). */
  readonly to: string;
  /** The exact version of the replacement. */
  readonly version: string;
  /** Why this version: what it binds or which peer range it must satisfy. */
  readonly why: string;
}

/**
 * The exact swaps. Versions are the newest the npm registry serves, read with
 * `npm view <package>@<version> peerDependencies engines`.
 */
export const PACKAGE_SWAPS: readonly PackageSwap[] = [
  { from: 'cdktf', to: 'cdktn', version: '0.24.0', why: 'the library: App, TerraformStack, Testing, Fn, backends' },
  { from: 'cdktf-cli', to: 'cdktn-cli', version: '0.24.0', why: 'the `cdktn` command (synth, diff, deploy); peer `cdktn` 0.24.0; needs Node.js ≥ 22.19.0' },
  {
    from: '@cdktf/provider-azurerm',
    to: '@cdktn/provider-azurerm',
    version: '16.1.0',
    why: 'prebuilt bindings of azurerm 4.73.0 (was 4.55.0); declares peer `cdktn` ^0.23.0, see CDKTN_OVERRIDES',
  },
  {
    from: '@cdktf/provider-random',
    to: '@cdktn/provider-random',
    version: '15.0.1',
    why: 'prebuilt bindings of random 3.9.1 (was 3.7.2); peer `cdktn` ^0.24.0',
  },
  {
    from: 'constructs',
    to: 'constructs',
    version: '10.6.0',
    why: '`cdktn` 0.24.0 peers `constructs` >=10.6.0 <10.8.0 (10.4.2 is outside); `cdktn-cli` depends on exactly 10.6.0',
  },
];

/**
 * npm `overrides` that make the published peer ranges agree. `@cdktn/provider-azurerm` 16.1.0 declares the peer
 * `cdktn` ^0.23.0, which no 0.24 release satisfies, while `@cdktn/provider-random` 15.0.1 and `cdktn-cli`
 * 0.24.0 require 0.24: without the override `npm install` stops with ERESOLVE. `$cdktn` is npm's reference to
 * the root's own `cdktn` dependency, so every package resolves one `cdktn`.
 */
export const CDKTN_OVERRIDES: Readonly<Record<string, Record<string, string>>> = {
  '@cdktn/provider-azurerm': { cdktn: '$cdktn' },
};

/**
 * The Node.js that CDK Terrain needs: `cdktn-cli` 0.24.0 declares `engines.node` >=22.19.0 (and fails on
 * Node.js 20 with `util.markAsUncloneable is not a function`), `@cdktn/provider-random` 15.0.1 >= 22.11.0.
 * `pinned` is the release used where the running Node.js is older: the `node-<os>-<cpu>` package of the npm
 * registry ships its binary.
 */
export const CDKTN_NODE = { minimum: '22.19.0', pinned: '22.23.3' } as const;

/** Packages that must not be installed in the CDK Terrain copy at all. */
export const isCdktfPackage = (name: string): boolean => name === 'cdktf' || name === 'cdktf-cli' || name.startsWith('@cdktf/');

/**
 * The CDK Terrain module specifier for a CDKTF one, or undefined when it is not CDKTF's: `cdktf` and its deep
 * paths (`cdktf/lib/testing/adapters/jest`) become `cdktn…`; every prebuilt provider `@cdktf/provider-<name>…`
 * becomes `@cdktn/provider-<name>…`.
 */
export function cdktnSpecifier(specifier: string): string | undefined {
  if (specifier === 'cdktf' || specifier.startsWith('cdktf/')) return `cdktn${specifier.slice('cdktf'.length)}`;
  if (specifier.startsWith('@cdktf/provider-')) return `@cdktn/${specifier.slice('@cdktf/'.length)}`;
  return undefined;
}

/** The parts of a package.json that the migration reads and writes. */
export interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
  [key: string]: unknown;
}

const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** A package.json the migration cannot handle: a CDKTF package without a declared swap. */
export class MigrationError extends Error {}

/**
 * The package.json of the CDK Terrain copy: every swapped package replaced in the section it was in, at its
 * exact version (a caret peer range at `^` that version), and the overrides merged. Any other CDKTF package (a provider added later) is an error that
 * names it, so the copy never silently keeps a piece of CDKTF.
 */
export function migratePackageJson(pkg: PackageJson, swaps: readonly PackageSwap[] = PACKAGE_SWAPS, overrides = CDKTN_OVERRIDES): PackageJson {
  const out: PackageJson = structuredClone(pkg);
  for (const section of SECTIONS) {
    const deps = out[section];
    if (!deps) continue;
    const renamed: Record<string, string> = {};
    for (const [name, range] of Object.entries(deps)) {
      const swap = swaps.find((s) => s.from === name);
      // A caret peer range stays one (the library takes the package from its consumer, docs/library.md).
      if (swap) renamed[swap.to] = section === 'peerDependencies' && range.startsWith('^') ? `^${swap.version}` : swap.version;
      else if (isCdktfPackage(name)) {
        throw new MigrationError(
          `package.json: ${section}.${name} has no CDK Terrain counterpart in PACKAGE_SWAPS (tools/cdktn-migration.ts): add its @cdktn package and exact version`,
        );
      } else renamed[name] = range;
    }
    out[section] = Object.fromEntries(Object.entries(renamed).sort(([a], [b]) => a.localeCompare(b)));
  }
  out.overrides = { ...(out.overrides ?? {}), ...overrides };
  return out;
}
