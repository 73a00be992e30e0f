import { keepTokenStackTracesCheap, TOKEN_STACK_FRAMES } from '../stacks/stack-traces';

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

describe('token creation stacks', () => {
  test('keep their first frames only: enough to name the code that created the token', () => {
    keepTokenStackTracesCheap();
    const deep = (n: number): { stack: string } => {
      if (n > 0) return deep(n - 1);
      const holder = { stack: '' };
      Error.captureStackTrace(holder);
      return holder;
    };
    expect(deep(40).stack.split('\n').slice(1)).toHaveLength(TOKEN_STACK_FRAMES);
    expect(new Error('boom').stack!.split('\n').length).toBeGreaterThan(1);
  });

  test('real errors keep every frame the stack trace limit allows', () => {
    keepTokenStackTracesCheap();
    const deep = (n: number): Error => (n > 0 ? deep(n - 1) : new Error('deep'));
    const holder = new Error('captured');
    const capture = (n: number): void => (n > 0 ? capture(n - 1) : Error.captureStackTrace(holder));
    capture(40);
    for (const error of [deep(40), holder]) expect(error.stack!.split('\n').slice(1).length).toBeGreaterThan(TOKEN_STACK_FRAMES);
  });
});
