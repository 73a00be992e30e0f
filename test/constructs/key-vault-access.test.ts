import { DEPLOYER_ROLE_PROPAGATION } from '../../constructs/key-vault';
import { TIME_PROVIDER } from '../../constructs/time-sleep';
import { synthObject, variant } from '../helpers';

/*
 * The first apply grants the deploying identity its roles on the vaults it creates, then writes into them. Key
 * Vault's RBAC takes minutes to apply a new role and the provider does not retry a 403: every write waits for a
 * time_sleep after the roles.
 */
describe.each(['dev', 'prod'] as const)('writes into the vaults %s creates', (name) => {
  const tf = synthObject(variant(name));
  // The waits for the deployer roles (the AD FS servers' restarts after their farm configuration, and the hardening's, wait too).
  const sleeps = Object.entries<any>(tf.resource.time_sleep ?? {}).filter(([key]) => key.includes('_deployer-roles-propagation_'));

  test('wait for the deployer roles of their vault, then for their propagation', () => {
    const roles = Object.keys(tf.resource.azurerm_role_assignment).filter((k) => k.includes('_deployer-'));
    expect(sleeps.length).toBe(roles.length);
    for (const [, sleep] of sleeps) {
      expect(sleep.create_duration).toBe(DEPLOYER_ROLE_PROPAGATION);
      expect(sleep.depends_on).toHaveLength(1);
      expect(roles.some((r) => sleep.depends_on[0] === `azurerm_role_assignment.${r}`)).toBe(true);
      // A role assignment made again is waited for again.
      expect(Object.values(sleep.triggers)).toEqual([`\${${sleep.depends_on[0]}.id}`]);
    }
    const writes = [...Object.values<any>(tf.resource.azurerm_key_vault_secret ?? {}), ...Object.values<any>(tf.resource.azurerm_key_vault_certificate ?? {})];
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(write.depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
  });

  test('pin the time provider', () => {
    expect(tf.terraform.required_providers.time).toEqual({ source: TIME_PROVIDER.source, version: TIME_PROVIDER.version });
  });
});
