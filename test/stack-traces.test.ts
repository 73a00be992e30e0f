import { captureStackTrace as cdktfCreationStack } from 'cdktf/lib/tokens/private/stack-trace';
import { keepTokenStackTracesCheap, tokenStackFrames } from '../stacks/stack-traces';

const deep = (n: number): { stack: string } => {
  if (n > 0) return deep(n - 1);
  const holder = { stack: '' };
  Error.captureStackTrace(holder);
  return holder;
};

afterEach(() => keepTokenStackTracesCheap());

describe('token creation stacks', () => {
  test('are not recorded by default: cdktf reads an empty creation stack', () => {
    expect(tokenStackFrames(undefined)).toBe(0);
    keepTokenStackTracesCheap();
    expect(deep(5).stack).toBe('');
    expect(cdktfCreationStack()).toEqual([]);
  });

  test('keep the first MFA_HA_TOKEN_STACK_FRAMES frames when asked, in V8 format, without source mapping', () => {
    expect([tokenStackFrames('12'), tokenStackFrames(undefined), tokenStackFrames('many'), tokenStackFrames('-1')]).toEqual([12, 0, 0, 0]);
    keepTokenStackTracesCheap(12);
    const lines = deep(40).stack.split('\n');
    expect(lines[0]).toBe('Error');
    expect(lines[1]).toMatch(/^ {4}at .*stack-traces\.test\.(ts|js)/);
    expect(lines.slice(1)).toHaveLength(12);
    expect(cdktfCreationStack()).toHaveLength(12);
  });

  test('real errors keep the installed (source-mapped) formatter and every frame the limit allows; installing twice wraps once', () => {
    const before = [Error.prepareStackTrace, Error.captureStackTrace];
    keepTokenStackTracesCheap();
    expect([Error.prepareStackTrace, Error.captureStackTrace]).toEqual(before);
    expect(new Error('boom').stack).toMatch(/^Error: boom\n {4}at /);
    const fromDeep = (n: number): Error => (n > 0 ? fromDeep(n - 1) : new Error('deep'));
    const holder = new Error('captured');
    const capture = (n: number): void => (n > 0 ? capture(n - 1) : Error.captureStackTrace(holder));
    capture(40);
    for (const error of [fromDeep(40), holder]) expect(error.stack!.split('\n').slice(1).length).toBeGreaterThan(12);
  });
});
