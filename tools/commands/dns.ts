import type { Tool } from '../cli';

/** `mfa-ha dns <env> [--public-ip <address>]`: the DNS records of the design, ready to apply (PowerShell on stdout). */
export const DNS_TOOL: Tool = {
  name: 'dns',
  description: 'the DNS records of an environment: a PowerShell script for AD DNS, and the public records as comments',
  options: { 'public-ip': { type: 'string', value: 'address', description: 'the wap_public_ip output, once deployed (npx cdktf output <environment>)' } },
  help: 'Example: npx mfa-ha dns prod > records.ps1   (or npm run --silent dns -- prod > records.ps1)',
  run: async ({ environment, values }) => {
    const [{ loadEnvironments }, { dnsRecordsOf, intranetNote }, { parseIp }, { noEnvironmentNamed, UserError }, { internalRecordsScript, publicRecordLines }] =
      await Promise.all([
        import('../../config/load'),
        import('../../config/dns-records'),
        import('../../config/cidr'),
        import('../../stacks/user-error'),
        import('../dns-commands'),
      ]);
    const environments = loadEnvironments(process.env.MFA_HA_CONFIG);
    const loaded = environments.find((e) => e.env.name === environment);
    if (!loaded)
      throw noEnvironmentNamed(
        environment,
        environments.map((e) => e.env.name),
      );
    const publicIp = values['public-ip'] as string | undefined;
    if (publicIp !== undefined && parseIp(publicIp) === undefined) throw new UserError(`--public-ip must be an IPv4 address, got ${JSON.stringify(publicIp)}`);
    const records = dnsRecordsOf(loaded.env);
    const lines = [
      `# DNS records of ${environment} (${loaded.file}).`,
      '#',
      '# 1. Internal: AD DNS, on a domain controller (the VNet resolves through them, the proxies too).',
      '#    Create them before the first deployment: the proxies check the federation service name resolves.',
      ...intranetNote(loaded.env).map((l) => `#    ${l}`),
      internalRecordsScript(records, loaded.env.domain.name).text.trimEnd(),
      '',
      '# 2. Public: the Internet zone, at your DNS provider (A records: AD FS requires an A record for its name).',
      ...(publicIp ? [] : ['#    The address is the wap_public_ip output once deployed: npx cdktf output <environment>, then --public-ip <address>.']),
      ...publicRecordLines(records, publicIp).map((l) => `#    ${l}`),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  },
};
