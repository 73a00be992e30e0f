import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The folder where one jest run keeps what it synthesized (helpers.synthJson); unset outside jest. */
export const SYNTH_CACHE_ENV = 'MFA_HA_SYNTH_CACHE';

/**
 * jest globalSetup: a fresh synth cache folder for this run, which the workers inherit, and the run's temporary
 * folder inside it (TMPDIR, and TEMP and TMP for Windows), which globalTeardown removes with it. cdktf's
 * `Testing.app()` makes a `cdktf.outdir.*` folder in the temporary folder for every stack a test builds and never
 * removes it: about two hundred per run, which were left in the system's /tmp.
 */
export default function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-ha-synth-cache-'));
  process.env[SYNTH_CACHE_ENV] = dir;
  const temp = path.join(dir, 'tmp');
  fs.mkdirSync(temp);
  for (const name of ['TMPDIR', 'TEMP', 'TMP']) process.env[name] = temp;
}
