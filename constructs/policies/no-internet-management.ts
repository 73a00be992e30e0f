import { nonCompliant, Rule } from './rule';
import { coversPort, opensToInternet, securityRulesIn } from './security-rules';

/** Remote management ports: SSH, RDP, WinRM over HTTP and HTTPS. */
export const MANAGEMENT_PORTS: readonly number[] = [22, 3389, 5985, 5986];

/** No NSG rule lets the Internet reach RDP, SSH or WinRM. */
export const noInternetManagement: Rule = (resource) => {
  const rules = securityRulesIn(resource);
  if (rules.length === 0) return 'n/a';
  for (const rule of rules.filter(opensToInternet)) {
    const port = MANAGEMENT_PORTS.find((p) => coversPort(rule.ports, p));
    if (port !== undefined) return nonCompliant(`${rule.name} lets ${rule.sources.join(', ')} reach port ${port}`);
  }
  return 'compliant';
};
