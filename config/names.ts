/*
 * Azure's naming rules, as data: one entry per azurerm resource type and name attribute.
 * The schema validates the names a user writes with these rules (resource groups, the Key Vault, the
 * DNS label, the state backend), and a test checks every name the toolkit derives, for the longest
 * config the schema allows, against the same table (test/config/names.test.ts). The test fails when a
 * synthesized resource has a name attribute this table does not know, so a new resource type comes
 * with its rule.
 */

/** Azure's rule for one kind of name. */
export interface NameRule {
  readonly min: number;
  readonly max: number;
  /** The whole name must match (length is checked separately). */
  readonly pattern: RegExp;
  /** What Azure accepts, in words: error messages and the README. */
  readonly text: string;
  /** Where the rule is written down. */
  readonly source: string;
}

const RULES = 'learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules';
const KEY_VAULT_OBJECTS = 'learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#objects-identifiers-and-versioning';
const AZURERM = 'terraform-provider-azurerm';
/** Used only for names the toolkit derives itself, where neither Microsoft nor the provider documents a limit. */
const CONSERVATIVE = 'no documented limit: the toolkit keeps its own names to this conservative subset';

const rule = (min: number, max: number, pattern: RegExp, text: string, source: string): NameRule => ({ min, max, pattern, text, source });

/** A name inside a resource (a data source, a receiver, an association): letters, digits, `_` and `-`. */
const identifier = (source: string) =>
  rule(1, 64, /^[A-Za-z0-9][A-Za-z0-9_-]*$/, '1-64 letters, digits, underscores and hyphens, starting with a letter or digit', source);
/** A column of a Log Analytics table. */
const column = rule(1, 45, /^[A-Za-z][A-Za-z0-9_]*$/, '1-45 characters: a letter, then letters, digits and underscores', CONSERVATIVE);

/** Most Microsoft.Network names (and availability sets): letters, digits, `_ . -`; start alphanumeric; end alphanumeric or `_`. */
const NETWORK_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const NETWORK_TEXT = 'letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore';
const network = (source: string, min = 1, max = 80) => rule(min, max, NETWORK_PATTERN, `${min}-${max} ${NETWORK_TEXT}`, source);

// "Can't use spaces, control characters, or these characters: ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \ | ; : . ' " , < > / ?
// Windows virtual machines can't include periods or end with hyphens."
// eslint-disable-next-line no-control-regex -- Azure refuses control characters in the name (the page quoted above)
const WINDOWS_VM_PATTERN = /^[^\s\x00-\x1f\x7f~!@#$%^&*()=+_[\]{}\\|;:.'",<>/?]*[^\s\x00-\x1f\x7f~!@#$%^&*()=+_[\]{}\\|;:.'",<>/?-]$/;
const WINDOWS_VM_TEXT = 'no spaces, periods or any of ~!@#$%^&*()=+_[]{}\\|;:\'",<>/?, not ending with a hyphen';

/** Metric alerts and action groups: 1-260 characters, a few characters excluded, not ending with a space or period. */
const insights = (pattern: RegExp, excluded: string) =>
  rule(1, 260, pattern, `1-260 characters without control characters or any of ${excluded}, not ending with a space or period`, `${RULES}#microsoftinsights`);

/**
 * Naming rules by azurerm resource type, then by attribute path (`os_disk.name` is the `name` inside the
 * `os_disk` block). Every type the toolkit can synthesize has its entry (the longest-names test fails for a
 * missing one); `azurerm_route` and the state backend's storage types are here for names users give.
 */
export const NAME_RULES: Readonly<Record<string, Readonly<Record<string, NameRule>>>> = {
  azurerm_resource_group: {
    name: rule(
      1,
      90,
      /^[\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nd}_().-]*[\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nd}_()-]$/u,
      '1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period',
      `${RULES}#microsoftresources`,
    ),
  },
  azurerm_virtual_network: { name: network(`${RULES}#microsoftnetwork`, 2, 64) },
  azurerm_subnet: { name: network(`${RULES}#microsoftnetwork (virtualnetworks / subnets)`) },
  azurerm_network_security_group: { name: network(`${RULES}#microsoftnetwork`) },
  azurerm_network_security_rule: { name: network(`${RULES}#microsoftnetwork (networkSecurityGroups / securityRules)`) },
  azurerm_network_interface: {
    name: network(`${RULES}#microsoftnetwork`),
    'ip_configuration.name': network(`${CONSERVATIVE} (the Microsoft.Network rule)`),
  },
  azurerm_public_ip: {
    name: network(`${RULES}#microsoftnetwork`),
    domain_name_label: rule(
      3,
      63,
      /^[a-z][a-z0-9-]*[a-z0-9]$/,
      '3-63 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit',
      `${AZURERM} internal/services/network/validate PublicIpDomainNameLabel`,
    ),
  },
  azurerm_nat_gateway: { name: network(`${AZURERM} internal/services/network/validate/nat_gateway_name.go (rules of the NAT gateway service team)`) },
  azurerm_bastion_host: {
    name: network(`${RULES}#microsoftnetwork; ${AZURERM} internal/services/network/validate/bastion_host_name.go`),
    'ip_configuration.name': network(`${CONSERVATIVE} (the Microsoft.Network rule)`),
  },
  azurerm_lb: {
    name: network(`${RULES}#microsoftnetwork`),
    'frontend_ip_configuration.name': network(`${CONSERVATIVE} (the rule of the load balancer's other child resources)`),
  },
  azurerm_lb_backend_address_pool: { name: network(`${AZURERM} internal/services/loadbalancer/validate/rule_name.go`) },
  azurerm_lb_probe: { name: network(`${AZURERM} internal/services/loadbalancer/validate/rule_name.go`) },
  azurerm_lb_rule: { name: network(`${AZURERM} internal/services/loadbalancer/validate/rule_name.go`) },
  azurerm_route_table: {
    name: network(`${RULES}#microsoftnetwork`),
    'route.name': network(`${RULES}#microsoftnetwork (routeTables / routes)`),
  },
  azurerm_route: { name: network(`${RULES}#microsoftnetwork (routeTables / routes)`) },
  azurerm_availability_set: { name: network(`${RULES}#microsoftcompute`) },
  azurerm_windows_virtual_machine: {
    // The table's limits are the host name's; the resource name "can have up to 64 characters". The toolkit keeps
    // the resource name to the same characters.
    name: rule(1, 64, WINDOWS_VM_PATTERN, `1-64 characters: ${WINDOWS_VM_TEXT}`, `${RULES}#microsoftcompute (virtualMachines and the note below it)`),
    computer_name: rule(1, 15, WINDOWS_VM_PATTERN, `1-15 characters: ${WINDOWS_VM_TEXT}`, `${RULES}#microsoftcompute (virtualMachines, Windows)`),
    'os_disk.name': rule(1, 80, /^[A-Za-z0-9_-]+$/, '1-80 letters, digits, underscores and hyphens', `${RULES}#microsoftcompute (disks)`),
  },
  azurerm_virtual_machine_extension: {
    name: rule(
      1,
      64,
      /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/,
      '1-64 letters, digits, periods, underscores and hyphens, starting and ending with a letter or digit',
      CONSERVATIVE,
    ),
  },
  azurerm_virtual_machine_run_command: {
    // Windows passes each parameter to the script as `-Name value`: a PowerShell parameter name.
    'parameter.name': rule(1, 64, /^[A-Za-z][A-Za-z0-9]*$/, 'a letter, then letters and digits (a PowerShell parameter name)', CONSERVATIVE),
    'protected_parameter.name': rule(1, 64, /^[A-Za-z][A-Za-z0-9]*$/, 'a letter, then letters and digits (a PowerShell parameter name)', CONSERVATIVE),
    name: rule(
      1,
      80,
      /^[A-Za-z0-9][A-Za-z0-9._-]*\w$|^[A-Za-z0-9]$/,
      '1-80 letters, digits, periods, underscores and hyphens, starting with a letter or digit and ending with a letter, digit or underscore',
      `${AZURERM} internal/services/compute/validate VirtualMachineRunCommandName`,
    ),
  },
  azurerm_management_lock: {
    name: rule(
      1,
      90,
      /^[A-Za-z0-9._()-]*[A-Za-z0-9_()-]$/,
      '1-90 letters, digits, periods, underscores, hyphens and parentheses, not ending with a period',
      `${RULES}#microsoftauthorization (locks)`,
    ),
  },
  azurerm_key_vault: {
    name: rule(
      3,
      24,
      /^[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/,
      '3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no two hyphens in a row',
      `${RULES}#microsoftkeyvault`,
    ),
  },
  azurerm_key_vault_secret: { name: rule(1, 127, /^[A-Za-z0-9-]+$/, '1-127 letters, digits and hyphens', `${RULES}#microsoftkeyvault (vaults / secrets)`) },
  azurerm_key_vault_certificate: {
    name: rule(1, 127, /^[A-Za-z][A-Za-z0-9-]*$/, '1-127 letters, digits and hyphens, starting with a letter', KEY_VAULT_OBJECTS),
    'certificate_policy.issuer_parameters.name': rule(
      4,
      7,
      /^(Self|Unknown)$/,
      'Self (self-signed) or Unknown (issued outside Key Vault)',
      `${AZURERM} docs key_vault_certificate (issuer_parameters)`,
    ),
  },
  azurerm_recovery_services_vault: {
    name: rule(2, 50, /^[A-Za-z][A-Za-z0-9-]*$/, '2-50 letters, digits and hyphens, starting with a letter', `${RULES}#microsoftrecoveryservices`),
  },
  azurerm_backup_policy_vm: {
    name: rule(
      3,
      150,
      /^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      '3-150 letters, digits and hyphens, starting with a letter, not ending with a hyphen',
      `${RULES}#microsoftrecoveryservices (vaults / backupPolicies)`,
    ),
  },
  // The state backend's storage (the toolkit does not create it; `backend.*` names it and is held to these rules).
  azurerm_storage_account: { name: rule(3, 24, /^[a-z0-9]+$/, '3-24 lowercase letters and digits', `${RULES}#microsoftstorage`) },
  azurerm_storage_container: {
    name: rule(
      3,
      63,
      /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/,
      '3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, no two hyphens in a row',
      `${RULES}#microsoftstorage; learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata`,
    ),
  },
  azurerm_user_assigned_identity: {
    name: rule(
      3,
      128,
      /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
      '3-128 letters, digits, hyphens and underscores, starting with a letter or digit',
      `${RULES}#microsoftmanagedidentity`,
    ),
  },
  azurerm_log_analytics_workspace: {
    name: rule(
      4,
      63,
      /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      '4-63 letters, digits and hyphens, starting and ending with a letter or digit',
      `${RULES}#microsoftoperationalinsights`,
    ),
  },
  azurerm_monitor_data_collection_rule: {
    name: rule(
      1,
      64,
      /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/,
      '1-64 letters, digits, periods, underscores and hyphens, starting with a letter or digit',
      `${CONSERVATIVE} (the provider only requires a non-empty name)`,
    ),
    'data_sources.windows_event_log.name': identifier(CONSERVATIVE),
    'data_sources.log_file.name': identifier(CONSERVATIVE),
    'destinations.log_analytics.name': identifier(CONSERVATIVE),
    'stream_declaration.stream_name': rule(
      8,
      64,
      /^Custom-[A-Za-z][A-Za-z0-9_]*$/,
      'Custom- and a letter, then letters, digits and underscores',
      `${AZURERM} docs monitor_data_collection_rule (stream_name "must begin with a prefix of Custom-")`,
    ),
    'stream_declaration.column.name': column,
  },
  azurerm_monitor_data_collection_rule_association: { name: identifier(CONSERVATIVE) },
  azurerm_monitor_data_collection_endpoint: {
    name: rule(
      3,
      44,
      /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      '3-44 letters, digits and hyphens, starting and ending with a letter or digit',
      CONSERVATIVE,
    ),
  },
  azurerm_log_analytics_workspace_table_custom_log: {
    name: rule(
      4,
      63,
      /^[A-Za-z][A-Za-z0-9_]*_CL$/,
      'a letter, then letters, digits and underscores, ending with _CL',
      `${AZURERM} docs log_analytics_workspace_table_custom_log ("must end with _CL"); ${CONSERVATIVE}`,
    ),
    'column.name': column,
  },
  azurerm_monitor_action_group: {
    // eslint-disable-next-line no-control-regex -- Azure refuses control characters in a Microsoft.Insights name (`insights` above)
    name: insights(/^[^\x00-\x1f\x7f:<>+/&%\\?|]*[^\x00-\x1f\x7f:<>+/&%\\?| .]$/, ':<>+/&%\\?|'),
    short_name: rule(
      1,
      12,
      /^.+$/s,
      '1-12 characters (the name in SMS and e-mail notifications)',
      `${AZURERM} internal/services/monitor/monitor_action_group_resource.go (short_name: StringLenBetween(1, 12))`,
    ),
    'email_receiver.name': identifier(`${CONSERVATIVE} (receiver names are unique within the group)`),
    'webhook_receiver.name': identifier(`${CONSERVATIVE} (receiver names are unique within the group)`),
  },
  azurerm_maintenance_configuration: {
    name: rule(
      1,
      64,
      /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      '1-64 letters, digits and hyphens, starting and ending with a letter or digit',
      `${CONSERVATIVE} (the provider only requires a non-empty name)`,
    ),
  },
  azurerm_monitor_alert_processing_rule_suppression: {
    name: rule(
      1,
      260,
      /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
      '1-260 letters, digits, hyphens and underscores, starting with a letter or digit',
      `${AZURERM} (alert processing rule name: ^([a-zA-Z\\d])[a-zA-Z\\d-_]*$); ${CONSERVATIVE} (length)`,
    ),
  },
  azurerm_monitor_activity_log_alert: {
    // eslint-disable-next-line no-control-regex -- Azure refuses control characters in a Microsoft.Insights name (`insights` above)
    name: insights(/^[^\x00-\x1f\x7f<>*%{}&:\\?+/#|]*[^\x00-\x1f\x7f<>*%{}&:\\?+/#| .]$/, '<>*%{}&:\\?+/#|'),
  },
  azurerm_monitor_metric_alert: {
    // The dimensions of the load balancers' health probe metric are fixed by Azure.
    'criteria.dimension.name': rule(
      1,
      32,
      /^(ProtocolType|BackendPort|FrontendIPAddress|FrontendPort|BackendIPAddress)$/,
      'a dimension of the DipAvailability metric: ProtocolType, BackendPort, FrontendIPAddress, FrontendPort or BackendIPAddress',
      'learn.microsoft.com/azure/load-balancer/monitor-load-balancer-reference#metric-dimensions',
    ),
    // eslint-disable-next-line no-control-regex -- Azure refuses control characters in a Microsoft.Insights name (`insights` above)
    name: insights(/^[^\x00-\x1f\x7f*#&+:<>?@%{}\\/|]*[^\x00-\x1f\x7f*#&+:<>?@%{}\\/| .]$/, '*#&+:<>?@%{}\\/|'),
  },
  azurerm_monitor_scheduled_query_rules_alert_v2: {
    // A dimension of a log alert is a column its query returns.
    'criteria.dimension.name': column,
    // eslint-disable-next-line no-control-regex -- Azure refuses control characters in a Microsoft.Insights name (`insights` above)
    name: insights(/^[^\x00-\x1f\x7f*<>%{}&:\\?/#|]*[^\x00-\x1f\x7f*<>%{}&:\\?/#| .]$/, '*<>%{}&:\\?/#|'),
  },
};

/**
 * Attributes whose key looks like a name but that name nothing the resource owns: references to a name
 * checked where it is defined, enum values, or account names validated by the schema.
 */
export const NOT_RESOURCE_NAMES: Readonly<Record<string, string>> = {
  resource_group_name: 'a reference to azurerm_resource_group.name',
  virtual_network_name: 'a reference to azurerm_virtual_network.name',
  network_security_group_name: 'a reference to azurerm_network_security_group.name',
  recovery_vault_name: 'a reference to azurerm_recovery_services_vault.name',
  frontend_ip_configuration_name: "a reference to the load balancer's frontend_ip_configuration.name",
  ip_configuration_name: "a reference to the network interface's ip_configuration.name",
  sku_name: 'an enum value, not a name',
  admin_username: 'the local administrator account: vmAdmin.username, validated by the schema (1-20 characters, not a reserved name)',
  role_definition_name: 'a built-in Azure role, such as Key Vault Secrets User',
  metric_name: 'an Azure Monitor metric of the resource type (DipAvailability)',
};

/** Why `name` breaks `rule`, or undefined when it keeps it. Lengths count characters (code points). */
export function nameProblem(rule: NameRule, name: string): string | undefined {
  const length = [...name].length;
  if (length < rule.min || length > rule.max) return `${length} characters`;
  if (!rule.pattern.test(name)) return 'a character or position Azure refuses';
  return undefined;
}

/** The rule of `attribute` (default `name`) of an azurerm resource type; throws for a type the table lacks. */
export function nameRule(type: string, attribute = 'name'): NameRule {
  const found = NAME_RULES[type]?.[attribute];
  if (!found) throw new Error(`no naming rule for ${type}.${attribute} in config/names.ts`);
  return found;
}
