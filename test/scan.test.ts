import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { Secrets } from '../constructs/secrets';
import { ofType } from './constructs/fixtures';
import { resources, ROOT, shippedInput, synthObject } from './helpers';

const lines = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');

/** The ids under `skip-check:` in .checkov.yaml, each with the comment on its line or the line above. */
function skippedChecks(): { id: string; reason: string }[] {
  const config = lines('.checkov.yaml');
  const start = config.findIndex((l) => /^skip-check:/.test(l));
  const skips: { id: string; reason: string }[] = [];
  for (let i = start + 1; i < config.length && !/^\S/.test(config[i]); i++) {
    const item = /^\s*-\s*([A-Z0-9_]+)\s*(?:#\s*(.*))?$/.exec(config[i]);
    if (!item) continue;
    const above = /^\s*#\s*(.*)$/.exec(config[i - 1]);
    skips.push({ id: item[1], reason: item[2] ?? above?.[1] ?? '' });
  }
  return skips;
}

describe('checkov scan (npm run scan)', () => {
  test('installs one exact checkov version', () => {
    // GIVEN requirements-scan.txt, comments aside
    const pins = lines('requirements-scan.txt')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    // THEN it pins checkov alone, exactly
    expect(pins).toEqual([expect.stringMatching(/^checkov==\d+\.\d+\.\d+$/)]);
  });

  test('skips a check only with a reason that names it', () => {
    // GIVEN the skipped checks of .checkov.yaml
    const skips = skippedChecks();
    expect(skips.length).toBeGreaterThan(0);
    // THEN each carries a one-line reason that starts with its id
    for (const { id, reason } of skips) {
      expect(reason).toMatch(new RegExp(`^${id} \\(.+\\): .{20,}`));
    }
  });
});

describe('checkov findings fixed in the constructs', () => {
  test.each(['dev', 'prod'] as const)('%s: every generated password secret expires a year after its creation (CKV_AZURE_41)', (name) => {
    // GIVEN a shipped environment WHEN synthesized
    const secrets = resources(synthObject(shippedInput(name)), 'azurerm_key_vault_secret');
    // THEN each secret has an expiration date, fixed at creation
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.expiration_date).toBe('${timeadd(timestamp(), "8760h")}');
      expect(secret.lifecycle.ignore_changes).toEqual(['expiration_date']);
    }
  });

  test('a configured password lifetime sets the expiration date', () => {
    // GIVEN secrets with a 90-day password lifetime
    const out = Testing.synthScope(
      (s) =>
        new Secrets(s, 'secrets', {
          keyVaultName: 'kv-test',
          resourceGroupName: 'rg',
          location: 'westeurope',
          tags: {},
          allowedIpRanges: [],
          tiers: ['mfa'],
          domainJoinPassword: { keyVaultResourceId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv', secretName: 'join' },
          passwordLifetimeDays: 90,
        }),
    );
    // THEN the secret expires 90 × 24 hours after creation
    expect(ofType(out, 'azurerm_key_vault_secret').map((s) => s.expiration_date)).toEqual(['${timeadd(timestamp(), "2160h")}']);
  });

  test('the Recovery Services vault has a managed identity (CKV2_AZURE_35)', () => {
    // GIVEN prod, which backs up its MFA and AD FS servers WHEN synthesized
    const vaults = resources(synthObject(shippedInput('prod')), 'azurerm_recovery_services_vault');
    // THEN the vault has a system-assigned identity
    expect(vaults.map((v) => v.identity)).toEqual([{ type: 'SystemAssigned' }]);
  });
});
