// ESLint's flat config: `npm run lint`. ESLint's and typescript-eslint's recommended rules, syntax only: the
// type-checked presets would build a TypeScript program for every run (tens of seconds on a small machine), and
// `npm run typecheck` (tsc --noEmit, strict) already checks the types.
// https://typescript-eslint.io/getting-started/ · https://eslint.org/docs/latest/use/configure/configuration-files
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // What tools write, never what anyone edits: dependencies, synth output, the library build, the providers
    // cdktf get would generate, the installed PowerShell and checkov, test screenshots; the same in the examples.
    ignores: ['**/node_modules/', '**/cdktf.out/', '**/cdktf.out.*/', '**/.gen/', 'lib/', 'dist/', 'coverage/', '.tools/', '.venv/', 'test-results/'],
  },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A parameter or binding the code must name but does not read (a callback's position, a destructured field
      // left out on purpose) says so with a leading underscore. tsc's noUnusedLocals/noUnusedParameters accept the
      // same names.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `no-control-regex` stays on: the config rules refuse control characters on purpose, and each such pattern
      // carries an inline disable that says why, so that a control character anywhere else is still caught.
    },
  },
  {
    // jest.config.js and bin/mfa-ha.js are CommonJS run by Node (package.json has no "type": "module"): `module`,
    // `require`, `__dirname` and `process` are their globals, and `require` is how they load.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'readonly', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The tests read synthesized Terraform JSON, which has no TypeScript type (cdktf types what goes in, not the
    // JSON it writes): `any` there is the honest type of a document the test walks. Production code stays typed.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
