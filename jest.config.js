/** Jest runs TypeScript through SWC: transpile only, type-checking is `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  // A worker per core: jest's default leaves one core to its own process, which mostly waits.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The example project imports the library by its package name (examples/own-stack): here it is the source entry;
  // CI type-checks and synthesizes the example against the build, through the package's exports map (.ci/run).
  moduleNameMapper: { '^mfa-ha-cdktf$': '<rootDir>/index.ts' },
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // One synth per distinct environment input per run, shared by the suites (test/helpers.ts synthJson).
  globalSetup: '<rootDir>/test/synth-cache.ts',
  globalTeardown: '<rootDir>/test/synth-cache-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
