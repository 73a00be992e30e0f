import { ConfigError, ConfigErrors } from '../../config/errors';
import { runTool } from '../../tools/cli';

describe('a tool answering a bad configuration', () => {
  test('prints every mistake on a line of its own, each as an error, and exits 1', async () => {
    // GIVEN a tool whose environment files hold two mistakes
    const mistakes = new ConfigErrors([
      new ConfigError('a.json', 'mfa.count', 'must be an integer from 2 to 20', 1),
      new ConfigError('b.json', 'location', 'must be an Azure region', 'x'),
    ]);
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const saved = process.exitCode;
    process.exitCode = undefined;
    let exitCode: typeof process.exitCode;
    try {
      // WHEN it runs
      await runTool(
        {
          name: 't',
          description: 'a tool',
          options: {},
          run: () => {
            throw mistakes;
          },
        },
        ['dev'],
      );
      exitCode = process.exitCode;
    } finally {
      process.exitCode = saved;
      spy.mockRestore();
    }
    // THEN one error line per mistake
    expect(exitCode).toBe(1);
    expect(lines.join('')).toBe('error: a.json: mfa.count must be an integer from 2 to 20, got 1\nerror: b.json: location must be an Azure region, got "x"\n');
  });
});
