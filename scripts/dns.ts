import { loadEnvironments } from '../config/load';
import { dnsRecordsOf, intranetNote } from '../config/dns-records';
import { parseIp } from '../config/cidr';
import { UserError } from '../stacks/synthesize';
import { runTool } from '../tools/cli';
import { internalRecordsScript, publicRecordLines } from '../tools/dns-commands';

// npm run dns -- <env> [--public-ip <address>]: the DNS records of the design, ready to apply.
void runTool({
  name: 'dns',
  usage: 'npm run dns -- <environment> [--public-ip <wap_public_ip output>]',
  options: { 'public-ip': { type: 'string' } },
  run: ({ environment, values }) => {
    const environments = loadEnvironments(process.env.MFA_HA_CONFIG);
    const loaded = environments.find((e) => e.env.name === environment);
    if (!loaded) throw new UserError(`no environment is named "${environment}" (known: ${environments.map((e) => e.env.name).join(', ')})`);
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
});
