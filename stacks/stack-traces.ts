const CHEAP = Symbol.for('mfa-ha.cheap-stack-traces');

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;
type CaptureStackTrace = typeof Error.captureStackTrace;

/**
 * Frames kept of a token's creation stack: enough to name the construct code that created the token, which
 * is all cdktf uses it for (in the message of a resolution error).
 */
export const TOKEN_STACK_FRAMES = 12;

/**
 * cdktf records where each token was created by capturing a complete stack trace on a plain object, tens of
 * thousands of times per synth, and formats every frame at once. Under ts-node and jest, source-map-support
 * then maps every frame through the inline source maps of cdktf and the providers, which cost most of the
 * synth's time and memory. This keeps those captures to their first TOKEN_STACK_FRAMES frames, in V8's own
 * format; real errors keep their complete, source-mapped stack traces.
 */
export function keepTokenStackTracesCheap(): void {
  const capture = Error.captureStackTrace as CaptureStackTrace & { [CHEAP]?: true };
  if (!capture[CHEAP]) {
    const capped = (target: object, below?: Function) => {
      // Without `below`, hide this wrapper as V8 hides captureStackTrace itself.
      if (target instanceof Error) return capture(target, below ?? capped);
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = Math.min(limit, TOKEN_STACK_FRAMES);
      try {
        capture(target, below ?? capped);
      } finally {
        Error.stackTraceLimit = limit;
      }
    };
    Error.captureStackTrace = Object.assign(capped, { [CHEAP]: true as const });
  }
  const mapped = Error.prepareStackTrace as (PrepareStackTrace & { [CHEAP]?: true }) | undefined;
  if (mapped === undefined || mapped[CHEAP]) return;
  const prepare = (error: Error, frames: NodeJS.CallSite[]) =>
    error instanceof Error ? mapped(error, frames) : `Error\n${frames.map((frame) => `    at ${frame}`).join('\n')}`;
  Error.prepareStackTrace = Object.assign(prepare, { [CHEAP]: true as const });
}
