import * as path from 'path';

/** A node of `npm ls --all --json`. A deduplicated node carries only its version. */
export interface NpmLsNode {
  readonly version?: string;
  readonly invalid?: string | boolean;
  readonly missing?: boolean;
  readonly problems?: readonly string[];
  readonly dependencies?: Readonly<Record<string, NpmLsNode>>;
}

/** Every version of every package in the tree: name → versions. */
export function versionsIn(root: NpmLsNode): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  const walk = (node: NpmLsNode) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (!versions.has(name)) versions.set(name, new Set());
      versions.get(name)!.add(child.version ?? '(missing)');
      walk(child);
    }
  };
  walk(root);
  return versions;
}

/** What the installed tree must be. */
export interface TreeExpectation {
  /** Packages that must be installed in exactly this one version, wherever they appear. */
  readonly exact: Readonly<Record<string, string>>;
  /** Packages that must not be installed at all. */
  readonly forbidden: (name: string) => boolean;
}

/**
 * Checks `npm ls --all --json` output against the expectation: one version of each expected package, none of
 * the forbidden ones, and no problem npm reports itself (an invalid or missing dependency, an unmet peer).
 * Returns one line per problem.
 */
export function treeProblems(root: NpmLsNode, expected: TreeExpectation): string[] {
  const versions = versionsIn(root);
  const problems = [...(root.problems ?? [])];
  for (const [name, version] of Object.entries(expected.exact)) {
    const found = [...(versions.get(name) ?? [])].sort();
    if (found.length !== 1 || found[0] !== version) problems.push(`${name}: expected exactly ${version}, found ${found.length ? found.join(', ') : 'none'}`);
  }
  for (const name of [...versions.keys()].filter(expected.forbidden).sort())
    problems.push(`${name} is installed (${[...versions.get(name)!].join(', ')}) but must not be`);
  return problems;
}

/**
 * Checks that each of `dependents` resolves `library` to the same directory as the project itself does, the
 * way Node.js resolves it at run time. `resolve` is `require.resolve` (a parameter for tests).
 */
export function resolutionProblems(projectDir: string, library: string, dependents: readonly string[], resolve: Resolve = require.resolve): string[] {
  const dirOf = (id: string, from: string) => {
    try {
      return path.dirname(resolve(`${id}/package.json`, { paths: [from] }));
    } catch {
      return undefined;
    }
  };
  const own = dirOf(library, projectDir);
  if (!own) return [`the project does not resolve ${library}`];
  return dependents.flatMap((dependent) => {
    const dir = dirOf(dependent, projectDir);
    const theirs = dir && dirOf(library, dir);
    return theirs === own ? [] : [`${dependent} resolves ${library} to ${theirs ?? 'nothing'}, the project to ${own}`];
  });
}

/** `require.resolve`'s signature. */
export type Resolve = (id: string, options: { paths: string[] }) => string;
