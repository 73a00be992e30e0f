import type { EnvironmentInput } from '../config/schema';
import { planStack, StackPlan } from '../tools/change-plan';
import { synthObject, variant } from './helpers';

/*
 * The switches of availability, switched on and off in the shipped environments, through the offline diff
 * (tools/change-plan.ts, Terraform's rules and the provider's ForceNew facts): none replaces a server, and each
 * touches only what it owns.
 */

const plan = (before: EnvironmentInput, after: EnvironmentInput): StackPlan => planStack('env', synthObject(before) as any, synthObject(after) as any);
const addresses = (p: StackPlan, action: string) => p.changes.filter((c) => c.action === action).map((c) => c.address);
/** Server parts (VM, NIC, disk) and their extensions: never replaced, destroyed or changed by these switches. */
const serverParts = (p: StackPlan) =>
  p.changes
    .filter((c) => c.server || /^azurerm_(virtual_machine_extension|management_lock|backup_protected_vm)\./.test(c.address))
    .map((c) => `${c.action} ${c.address}`);

describe.each(['dev', 'prod'] as const)('switching zone-redundant egress on in %s, and off again', (name) => {
  const [off, on] = [variant(name), variant(name, (c) => (c.network.egress.zoneRedundant = true))];

  test.each([
    ['on', off, on],
    ['off', on, off],
  ] as const)('switching it %s replaces nothing and touches no server', (_direction, before, after) => {
    const p = plan(before, after);
    expect(addresses(p, 'replace')).toEqual([]);
    expect(serverParts(p)).toEqual([]);
    expect(p.changes.flatMap((c) => c.refusals)).toEqual([]);
  });

  test('on: the NAT gateway goes, outbound rules on zone-redundant public IPs come, every server of an egress tier joins the egress pool', () => {
    const p = plan(off, on);
    expect(
      addresses(p, 'destroy')
        .map((a) => a.split('.')[0])
        .sort(),
    ).toEqual(
      name === 'dev'
        ? [
            'azurerm_nat_gateway',
            'azurerm_nat_gateway_public_ip_association',
            'azurerm_public_ip',
            'azurerm_subnet_nat_gateway_association',
            'azurerm_subnet_nat_gateway_association',
            'azurerm_subnet_nat_gateway_association',
            'azurerm_subnet_nat_gateway_association',
          ]
        : ['azurerm_nat_gateway', 'azurerm_nat_gateway_public_ip_association', 'azurerm_public_ip', 'azurerm_subnet_nat_gateway_association'],
    );
    const created = addresses(p, 'create');
    // prod's internal tiers keep the hub route: only the proxies move, to an outbound rule of their own load balancer
    expect(created.filter((a) => a.startsWith('azurerm_lb_outbound_rule.')).length).toBe(name === 'dev' ? 2 : 1);
    const joined = created.filter((a) => a.startsWith('azurerm_network_interface_backend_address_pool_association.'));
    expect(joined.length).toBe(name === 'dev' ? 6 : 0);
    expect(joined.every((a) => /_(mfa|portal|adfs)-\d+_pool-egress_/.test(a))).toBe(true);
  });
});

describe.each(['dev', 'prod'] as const)('switching the Chaos Studio experiments on in %s, and off again', (name) => {
  const [off, on] = [variant(name), variant(name, (c) => (c.chaos = { enabled: true }))];
  const CHAOS_TYPES = /^azurerm_(chaos_studio_(target|capability|experiment)|role_definition|role_assignment|user_assigned_identity)\.chaos_/;

  test.each([
    ['on', off, on],
    ['off', on, off],
  ] as const)('switching it %s only adds or destroys its own resources: nothing else changes, nothing is replaced', (direction, before, after) => {
    const p = plan(before, after);
    expect(p.changes.filter((c) => c.action !== (direction === 'on' ? 'create' : 'destroy')).map((c) => `${c.action} ${c.address}`)).toEqual([]);
    expect(p.changes.filter((c) => !CHAOS_TYPES.test(c.address)).map((c) => c.address)).toEqual([]);
    expect(p.changes.length).toBeGreaterThan(20);
  });
});
