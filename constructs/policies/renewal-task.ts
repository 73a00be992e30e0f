import { RENEWAL_RUN_COMMAND } from '../certificate-renewal';
import { nonCompliant, Rule } from './rule';
import { isVm, tierOfVm } from './topology';

/** The Run Commands that make a server an AD FS node or a proxy: the farm is configured there. */
const FEDERATION_COMMANDS: readonly string[] = ['adfs-farm', 'wap-enrollment'];

/**
 * Every AD FS and WAP server the toolkit configures has the certificate renewal task: without it, AD FS or WAP
 * keeps the old thumbprint after Key Vault renews the certificate, and stops serving the day that one expires.
 */
export const renewalTask: Rule = (resource, context) => {
  if (!isVm(resource)) return 'n/a';
  const tier = tierOfVm(resource, context);
  if (tier !== 'adfs' && tier !== 'wap') return 'n/a';
  const commands = context.stack.referrers('azurerm_virtual_machine_run_command', 'virtual_machine_id', resource).map((c) => String(c.body.name));
  if (!commands.some((c) => FEDERATION_COMMANDS.includes(c))) return 'n/a';
  if (!commands.includes(RENEWAL_RUN_COMMAND)) {
    return nonCompliant(
      `${resource.body.name} runs ${tier === 'adfs' ? 'AD FS' : 'Web Application Proxy'} without the ${RENEWAL_RUN_COMMAND} Run Command: a renewed certificate never reaches it`,
    );
  }
  return 'compliant';
};
