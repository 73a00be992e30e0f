import { configErrorOf, validate, variant } from '../helpers';

/*
 * The hardening blocks of an environment file (config/hardening-schema.ts): a file written before them validates with
 * the documented defaults, and each mistake is one line naming the field, what it takes and what it got.
 */
describe('hardening settings', () => {
  test('a file without them gets the documented defaults: smart lockout in log-only mode, TLS hardening and LAPS on, no DDoS IP Protection', () => {
    const env = validate(variant('dev'));
    expect(env.adfs.extranetLockout).toEqual({ enabled: true, mode: 'logOnly', threshold: 5, observationWindowMinutes: 30 });
    expect(env.hardening).toEqual({ tlsHardeningEnabled: true, laps: { enabled: true, passwordAgeDays: 30, passwordLength: 14 } });
    expect(env.wap.ddosProtectionEnabled).toBe(false);
  });

  test('a partial block keeps the defaults of what it does not say', () => {
    const env = validate(
      variant('dev', (c) => {
        c.adfs.extranetLockout = { mode: 'enforce' };
        c.hardening = { laps: { passwordLength: 24 } };
      }),
    );
    expect(env.adfs.extranetLockout).toEqual({ enabled: true, mode: 'enforce', threshold: 5, observationWindowMinutes: 30 });
    expect(env.hardening.laps).toEqual({ enabled: true, passwordAgeDays: 30, passwordLength: 24 });
  });

  test.each<[string, (c: any) => void, string]>([
    [
      'a lockout mode AD FS does not have',
      (c) => (c.adfs.extranetLockout = { mode: 'audit' }),
      'environments/test.json: adfs.extranetLockout.mode must be "logOnly" or "enforce", got "audit"',
    ],
    [
      'a threshold of 0',
      (c) => (c.adfs.extranetLockout = { threshold: 0 }),
      'environments/test.json: adfs.extranetLockout.threshold must be an integer from 1 to 999 (AD account lockout thresholds go to 999), got 0',
    ],
    [
      'an observation window of two days',
      (c) => (c.adfs.extranetLockout = { observationWindowMinutes: 2880 }),
      'environments/test.json: adfs.extranetLockout.observationWindowMinutes must be an integer from 1 to 1440 (minutes, up to a day), got 2880',
    ],
    [
      'a LAPS password shorter than Windows LAPS allows',
      (c) => (c.hardening = { laps: { passwordLength: 7 } }),
      'environments/test.json: hardening.laps.passwordLength must be an integer from 8 to 64 (Windows LAPS PasswordLength), got 7',
    ],
    [
      'a LAPS password age over a year',
      (c) => (c.hardening = { laps: { passwordAgeDays: 400 } }),
      'environments/test.json: hardening.laps.passwordAgeDays must be an integer from 1 to 365 (Windows LAPS PasswordAgeDays), got 400',
    ],
    [
      'DDoS protection as a word',
      (c) => (c.wap.ddosProtectionEnabled = 'yes'),
      'environments/test.json: wap.ddosProtectionEnabled must be true or false, got "yes"',
    ],
    [
      'TLS hardening as a number',
      (c) => (c.hardening = { tlsHardeningEnabled: 1 }),
      'environments/test.json: hardening.tlsHardeningEnabled must be true or false, got 1',
    ],
  ])('refuses %s, in one line', (_name, change, message) => {
    expect(configErrorOf(variant('dev', change))).toBe(message);
  });
});
