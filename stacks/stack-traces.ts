const CHEAP = Symbol.for('mfa-ha.cheap-stack-traces');

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;
type CaptureStackTrace = typeof Error.captureStackTrace & { [CHEAP]?: { frames: number } };

/**
 * Frames kept of a token's creation stack. cdktf uses that stack in one place only: the message of a token
 * resolution error, which is a fault of the toolkit's own code, never of a configuration. So none are kept by
 * default (the synth's construction is about four times faster without them); MFA_HA_TOKEN_STACK_FRAMES=12
 * brings back enough frames to name the construct code that created the token while debugging such an error.
 */
export const TOKEN_STACK_FRAMES = tokenStackFrames(process.env.MFA_HA_TOKEN_STACK_FRAMES);

/** The frame count a setting asks for: a whole number, else none. */
export function tokenStackFrames(setting: string | undefined): number {
  const frames = Number(setting ?? 0);
  return Number.isInteger(frames) && frames >= 0 ? frames : 0;
}

/**
 * cdktf records where each token was created by capturing a complete stack trace on a plain object, tens of
 * thousands of times per synth, and formats every frame at once. Under ts-node and jest, source-map-support
 * then maps every frame through the inline source maps of cdktf and the providers, which cost most of the
 * synth's time and memory. This keeps those captures to their first TOKEN_STACK_FRAMES frames (none by
 * default: an empty stack, which cdktf reads as no creation stack), in V8's own format; real errors keep
 * their complete, source-mapped stack traces.
 */
export function keepTokenStackTracesCheap(frames = TOKEN_STACK_FRAMES): void {
  const capture = Error.captureStackTrace as CaptureStackTrace;
  const installed = capture[CHEAP];
  if (installed) installed.frames = frames;
  else {
    const kept = { frames };
    const capped = (target: object, below?: Parameters<typeof Error.captureStackTrace>[1]) => {
      // Without `below`, hide this wrapper as V8 hides captureStackTrace itself.
      if (target instanceof Error) return capture(target, below ?? capped);
      if (kept.frames === 0) {
        (target as { stack?: string }).stack = '';
        return;
      }
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = Math.min(limit, kept.frames);
      try {
        capture(target, below ?? capped);
      } finally {
        Error.stackTraceLimit = limit;
      }
    };
    Error.captureStackTrace = Object.assign(capped, { [CHEAP]: kept });
  }
  const mapped = Error.prepareStackTrace as (PrepareStackTrace & { [CHEAP]?: true }) | undefined;
  if (mapped === undefined || mapped[CHEAP]) return;
  const prepare = (error: Error, frames: NodeJS.CallSite[]) =>
    error instanceof Error ? mapped(error, frames) : `Error\n${frames.map((frame) => `    at ${frame}`).join('\n')}`;
  Error.prepareStackTrace = Object.assign(prepare, { [CHEAP]: true as const });
}
