import { DnsRecord } from '../config/dns-records';
import { psQuote, renderScript, RenderedScript } from '../constructs/scripts/powershell';

/** Where an internal record goes in AD DNS: its zone and its name in the zone. */
export interface ZonePlacement {
  readonly zone: string;
  /** `@` for the apex of a pinpoint zone. */
  readonly name: string;
  /** The zone is a pinpoint zone named after the record, created if missing. */
  readonly pinpoint: boolean;
}

/**
 * A name under the AD domain goes into the domain's zone. Any other name gets a pinpoint zone of its own
 * (a zone named after the record), so that AD DNS answers for that name only and keeps forwarding the
 * rest of the public zone: split-brain DNS without copying the public zone.
 */
export function placeInAdDns(fqdn: string, adDomain: string): ZonePlacement {
  const domain = adDomain.toLowerCase();
  const name = fqdn.toLowerCase();
  if (name.endsWith(`.${domain}`)) return { zone: domain, name: name.slice(0, -(domain.length + 1)), pinpoint: false };
  return { zone: name, name: '@', pinpoint: true };
}

/**
 * The PowerShell that creates the internal records on a domain controller (DnsServer module): one step
 * per record, each adding the A record only when the name has none, and warning when it points elsewhere.
 */
export function internalRecordsScript(records: readonly DnsRecord[], adDomain: string): RenderedScript {
  return renderScript({
    name: 'dns-records',
    summary: `internal A records of the design in AD DNS (${adDomain}); run on a domain controller`,
    parameters: [],
    functions: [],
    steps: records
      .filter((r) => r.view === 'internal')
      .map((record) => {
        const at = placeInAdDns(record.fqdn, adDomain);
        const zone = psQuote(at.zone);
        const name = psQuote(at.name);
        const address = psQuote(record.address!);
        return {
          title: `${record.fqdn} -> ${record.address} (${record.target})`,
          lines: [
            ...(at.pinpoint
              ? [
                  `if ($null -eq (Get-DnsServerZone -Name ${zone} -ErrorAction SilentlyContinue)) { Add-DnsServerPrimaryZone -Name ${zone} -ReplicationScope 'Forest' }`,
                ]
              : []),
            `$existing = @(Get-DnsServerResourceRecord -ZoneName ${zone} -Name ${name} -RRType 'A' -ErrorAction SilentlyContinue)`,
            'if ($existing.Count -eq 0) {',
            // Splatted: the PowerShell grammar the tests parse with misreads a parameter name with a digit (-IPv4Address).
            `  $record = @{ ZoneName = ${zone}; Name = ${name}; IPv4Address = ${address} }`,
            '  Add-DnsServerResourceRecordA @record',
            `} elseif (@($existing | Where-Object { $_.RecordData.IPv4Address.IPAddressToString -eq ${address} }).Count -eq 0) {`,
            `  Write-Warning ${psQuote(`${record.fqdn} already has an A record with another address: point it at ${record.address}`)}`,
            '} else {',
            "  Write-Step 'already there'",
            '}',
          ],
        };
      }),
  });
}

/** The public records as zone-file lines for the Internet DNS provider. */
export function publicRecordLines(records: readonly DnsRecord[], publicIp: string | undefined): string[] {
  const address = publicIp ?? '<wap_public_ip>';
  const width = Math.max(...records.filter((r) => r.view === 'public').map((r) => r.fqdn.length + 1), 0) + 2;
  return records.filter((r) => r.view === 'public').map((r) => `${`${r.fqdn}.`.padEnd(width)}3600  IN  A  ${address}  ; ${r.target}`);
}
