const CHEAP = Symbol.for('mfa-ha.cheap-stack-traces');

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/**
 * cdktf records where each token was created by capturing a full stack trace on a plain object, tens of
 * thousands of times per synth. Under ts-node and jest, source-map-support then maps every frame through
 * the inline source maps of cdktf and the providers, which cost most of the synth's time and memory.
 * This keeps V8's own format for those captures; real errors keep their source-mapped stack traces.
 */
export function keepTokenStackTracesCheap(): void {
  const mapped = Error.prepareStackTrace as (PrepareStackTrace & { [CHEAP]?: true }) | undefined;
  if (mapped === undefined || mapped[CHEAP]) return;
  const prepare = (error: Error, frames: NodeJS.CallSite[]) =>
    error instanceof Error ? mapped(error, frames) : `Error\n${frames.map((frame) => `    at ${frame}`).join('\n')}`;
  Error.prepareStackTrace = Object.assign(prepare, { [CHEAP]: true as const });
}
