import type { TierName } from '../values';
import type { PolicyContext } from './rule';
import { isRecord, listOf, ResourceView, StackView } from './stack-view';

/** Resource types of virtual machines. */
export const VM_TYPES: readonly string[] = ['azurerm_windows_virtual_machine', 'azurerm_linux_virtual_machine', 'azurerm_virtual_machine'];

/** True for a virtual machine resource. */
export const isVm = (r: ResourceView) => r.kind === 'resource' && VM_TYPES.includes(r.type);

/** The blocks of a nested-block attribute, whether rendered as an object or a list. */
export const blocksOf = (value: unknown): Record<string, unknown>[] => listOf(value).filter(isRecord);

/** The address ranges of a subnet. */
export const subnetPrefixes = (subnet: ResourceView): string[] => [...listOf(subnet.body.address_prefixes), ...listOf(subnet.body.address_prefix)].map(String);

/** The tier whose configured range a subnet has; undefined for any other subnet. */
export function tierOfSubnet(subnet: ResourceView | undefined, context: PolicyContext): TierName | undefined {
  if (!subnet) return undefined;
  const prefixes = subnetPrefixes(subnet);
  const tiers = Object.entries(context.inputs.subnets) as [TierName, string][];
  return tiers.find(([, cidr]) => prefixes.includes(cidr))?.[0];
}

/** The subnets a NIC's IP configurations sit in. */
export const subnetsOfNic = (nic: ResourceView, stack: StackView) => blocksOf(nic.body.ip_configuration).flatMap((c) => listOf(stack.target(c.subnet_id)));

/** The NICs of a virtual machine. */
export const nicsOfVm = (vm: ResourceView, stack: StackView) => listOf(vm.body.network_interface_ids).flatMap((id) => listOf(stack.target(id)));

/** The tier of a virtual machine, from the subnet of its first NIC. */
export function tierOfVm(vm: ResourceView, context: PolicyContext): TierName | undefined {
  const nic = nicsOfVm(vm, context.stack)[0];
  return nic ? tierOfSubnet(subnetsOfNic(nic, context.stack)[0], context) : undefined;
}

/** The frontend IP configurations of a load balancer. */
export const frontendsOf = (lb: ResourceView) => blocksOf(lb.body.frontend_ip_configuration);

/** True for a load balancer with a frontend on a public IP. */
export const isPublicLb = (lb: ResourceView) => frontendsOf(lb).some((f) => f.public_ip_address_id || f.public_ip_prefix_id);

/** The tier whose subnet holds a load balancer's private frontend. */
export function tierOfLb(lb: ResourceView, context: PolicyContext): TierName | undefined {
  return frontendsOf(lb)
    .map((f) => tierOfSubnet(context.stack.target(f.subnet_id), context))
    .find((t) => t !== undefined);
}

/** The NICs in a backend pool. */
export const nicsInPool = (pool: ResourceView, stack: StackView) =>
  stack
    .referrers('azurerm_network_interface_backend_address_pool_association', 'backend_address_pool_id', pool)
    .flatMap((a) => listOf(stack.target(a.body.network_interface_id)));

/** The backend pools of a load balancer. */
export const poolsOf = (lb: ResourceView, stack: StackView) => stack.referrers('azurerm_lb_backend_address_pool', 'loadbalancer_id', lb);

/** The virtual machines behind a load balancer, in any of its pools. */
export function serversBehind(lb: ResourceView, stack: StackView): ResourceView[] {
  const nics = new Set(poolsOf(lb, stack).flatMap((pool) => nicsInPool(pool, stack)));
  return VM_TYPES.flatMap((type) => stack.ofType(type)).filter((vm) => nicsOfVm(vm, stack).some((nic) => nics.has(nic)));
}
