import { keepTokenStackTracesCheap } from '../stacks/stack-traces';

describe('token stack traces', () => {
  test('captures on plain objects (cdktf token creation stacks) skip source mapping', () => {
    keepTokenStackTracesCheap();
    const holder = { stack: '' };
    Error.captureStackTrace(holder);
    const lines = holder.stack.split('\n');
    expect(lines[0]).toBe('Error');
    expect(lines[1]).toMatch(/^ {4}at .*stack-traces\.test\.(ts|js)/);
  });

  test('real errors keep the installed (source-mapped) formatter, and installing twice wraps once', () => {
    const before = Error.prepareStackTrace;
    keepTokenStackTracesCheap();
    expect(Error.prepareStackTrace).toBe(before);
    expect(new Error('boom').stack).toMatch(/^Error: boom\n {4}at /);
  });
});
