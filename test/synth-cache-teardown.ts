import * as fs from 'fs';
import { SYNTH_CACHE_ENV } from './synth-cache';

/** jest globalTeardown: the run's synth cache goes with it, and the run's temporary folder inside it. */
export default function teardown(): void {
  const dir = process.env[SYNTH_CACHE_ENV];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
