import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The folder where one jest run keeps what it synthesized (helpers.synthJson); unset outside jest. */
export const SYNTH_CACHE_ENV = 'MFA_HA_SYNTH_CACHE';

/** jest globalSetup: a fresh synth cache folder for this run, which the workers inherit. */
export default function setup(): void {
  process.env[SYNTH_CACHE_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-ha-synth-cache-'));
}
