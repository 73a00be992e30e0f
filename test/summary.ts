import { TerraformJson } from './helpers';

/** Properties worth reading in a review, per resource type; every resource also shows its `name`. */
const KEY_PROPERTIES: Record<string, (r: any) => unknown> = {
  azurerm_windows_virtual_machine: (r) =>
    `${r.computer_name} ${r.size} zone=${r.zone ?? '-'} role=${r.tags?.role} protect=${r.lifecycle?.prevent_destroy ?? false}`,
  azurerm_network_security_rule: (r) =>
    `${r.direction} ${r.priority} ${r.access} ${r.protocol} ${r.source_address_prefix ?? r.source_address_prefixes} -> ${r.destination_address_prefix ?? r.destination_address_prefixes}:${r.destination_port_range ?? r.destination_port_ranges}`,
  azurerm_lb_rule: (r) => `${r.protocol}/${r.frontend_port} ${r.load_distribution}`,
  azurerm_lb_probe: (r) => `${r.protocol}/${r.port}${r.request_path ?? ''}`,
  azurerm_lb: (r) => r.frontend_ip_configuration.map((f: any) => f.private_ip_address ?? 'public').join(','),
  azurerm_subnet: (r) => r.address_prefixes.join(','),
  azurerm_virtual_network: (r) => `${r.address_space.join(',')} dns=${r.dns_servers.join(',')}`,
  azurerm_virtual_machine_extension: (r) => r.type,
  azurerm_network_interface_backend_address_pool_association: (r) =>
    r.backend_address_pool_id.replace(/^\$\{azurerm_lb_backend_address_pool\.(.*)\.id\}$/, '$1'),
  azurerm_public_ip: (r) => `${r.sku} ${r.allocation_method} zones=${(r.zones ?? []).join(',') || '-'}`,
  azurerm_backup_policy_vm: (r) => `${r.backup.frequency} ${r.backup.time} keep ${r.retention_daily.count} days`,
  azurerm_management_lock: (r) => r.lock_level,
  azurerm_role_assignment: (r) => r.role_definition_name,
  azurerm_route_table: (r) => r.route.map((x: any) => `${x.address_prefix} -> ${x.next_hop_type} ${x.next_hop_in_ip_address ?? ''}`.trim()).join(', '),
  azurerm_virtual_machine_run_command: (r) =>
    `after ${(r.depends_on ?? []).map((d: string) => d.replace(/^azurerm_[a-z_]+\.([a-z]+)_servers_([a-z]+-\d+)_([a-z-]+)_[0-9A-F]+$/, '$2/$3')).join(', ')}`,
  azurerm_monitor_metric_alert: (r) =>
    `sev${r.severity} ${r.criteria[0].metric_name} ${r.criteria[0].aggregation} ${r.criteria[0].operator} ${r.criteria[0].threshold} over ${r.window_size} ${r.criteria[0].dimension.map((d: any) => `${d.name}=${d.values.join('|')}`).join(' ')}`,
  azurerm_monitor_data_collection_rule: (r) =>
    (r.data_sources.windows_event_log ?? r.data_sources.log_file ?? []).flatMap((d: any) => d.x_path_queries ?? d.file_patterns).join(' ; '),
  azurerm_key_vault_certificate: (r) => r.certificate_policy.x509_certificate_properties.subject,
};

/**
 * A compact view of a synthesized stack, one line per resource: `type.address: name — key properties`.
 * Reviewers read its snapshot diff instead of the full Terraform JSON.
 */
export function summarize(tf: TerraformJson): string {
  const lines: string[] = [];
  for (const [type, byAddress] of Object.entries(tf.resource).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [address, body] of Object.entries(byAddress).sort(([a], [b]) => a.localeCompare(b))) {
      const key = KEY_PROPERTIES[type]?.(body);
      lines.push(`${type}.${address}: ${[body.name, key].filter((part) => part !== undefined).join(' — ')}`);
    }
  }
  return lines.join('\n');
}
