import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runMfaHa } from '../cli-harness';
import { ROOT, synthJson, variant } from '../helpers';

/** Runs `mfa-ha failures` (`npm run failures`) in this process on a prod synthesized into a scratch output directory. */
async function runFailures(args: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-failures-cli-'));
  try {
    fs.mkdirSync(path.join(dir, 'stacks', 'prod'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', 'prod', 'cdk.tf.json'), synthJson(variant('prod')));
    const { stdout, errors, exitCode } = await runMfaHa(['failures', ...args], { MFA_HA_CONFIG: path.join(ROOT, 'environments'), CDKTF_OUTDIR: dir });
    return { stdout, errors, exitCode };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('npm run failures', () => {
  test('prints the table of prod: a row per failure, a column per journey, then why each journey stops or shrinks', async () => {
    const run = await runFailures(['prod']);
    expect(run.errors).toEqual([]);
    const lines = run.stdout.split('\n');
    expect(lines[2].split(/\s{2,}/)).toEqual([
      'failure',
      'internet',
      'intranet',
      'cert-auth',
      'radius mfa',
      'portal',
      'admin',
      'repl mfa-2',
      'repl mfa-3',
      'renewal',
      'patching',
    ]);
    expect(lines.find((l) => l.startsWith('mfa-1 (the MFA master) down'))!.split(/\s{2,}/)).toEqual([
      'mfa-1 (the MFA master) down',
      '2/3',
      '2/3',
      'serves',
      '2/3',
      '2/3',
      'STOPS',
      'STOPS',
      'STOPS',
      'serves',
      'serves',
    ]);
    expect(run.stdout).toContain(
      '  stops     administrative change (users, settings, PINs), at the MFA master mfa-1: mfa-1 is down: Microsoft: if the master goes offline, authentications keep working, but changes to the MFA database stop [exception: master]',
    );
  });

  test('--with combines every failure with another: a zone during a patch ring', async () => {
    const run = await runFailures(['prod', '--with', 'ring:ring-2']);
    // zone 1 holds portal-1, ring-2 restarts portal-2: the portal stops; the other tiers keep one server of three
    const row = run.stdout.split('\n').find((l) => l.startsWith('zone 1 down + ring-2 patching'))!;
    // (sign-in from the intranet skips the proxies: it keeps adfs-2 of the three AD FS servers, and one MFA server)
    expect(row.split(/\s{2,}/).slice(1, 6)).toEqual(['1/3', '1/3', '1/3', '1/3', 'STOPS']);
    expect(run.stdout).toContain('  stops     user portal and mobile app web service, at portal (lbi-mfaha-prod-portal/https): portal-1, portal-2 down');
  });

  test('refuses a failure it does not know, with one line', async () => {
    const run = await runFailures(['prod', '--with', 'zone:9']);
    expect(run).toEqual({
      stdout: '',
      errors: [
        'error: --with names no failure of prod: "zone:9" (give a failure id such as zone:1 or ring:ring-1, a server id, master, wid-primary, zone or ring)',
      ],
      exitCode: 1,
    });
  });
});
