import { PsFunction, PsStep, psQuote, renderScript, RenderedScript } from './powershell';
import { IDENTITY_CLIENT_ID, READ_KEY_VAULT_SECRET } from './key-vault-secret';

/*
 * The NPS servers' configuration, as Run Commands (constructs/nps-configuration.ts), one server after another:
 *   - nps-radius: the service SID IAS needs behind Windows Firewall, the registration in Active Directory, the RADIUS
 *     clients of nps.radiusClients with their shared secrets read from Key Vault on the server;
 *   - nps-extension (./nps-extension.ts; only once nps.extensionInstalled says the manual installation is done): the
 *     client certificate and the registry settings of the NPS extension for Microsoft Entra MFA.
 * Each restarts the Network Policy Server service (IAS) only when it changed something, after taking the server out
 * of the load balancer's rotation (the health endpoint answers 503 while the drain marker exists: ./nps-tasks.ts).
 */

/** The Run Command parameter naming the NPS servers' user-assigned identity (its client id) that reads Key Vault. */
export { IDENTITY_CLIENT_ID };
/** The Run Command parameter carrying the thumbprint of this server's client certificate (Key Vault's, hex). */
export const CERTIFICATE_THUMBPRINT = 'CertificateThumbprint';

/** Where the NPS extension reads its settings ("Integrate your existing NPS infrastructure with Microsoft Entra MFA", [NPS] below). */
export const AZURE_MFA_KEY = 'HKLM:\\SOFTWARE\\Microsoft\\AzureMfa';
/**
 * Where NPS finds third-party DLLs at startup: ExtensionDLLs and AuthorizationDLLs, REG_MULTI_SZ ("Setting Up the
 * Extension DLLs", https://learn.microsoft.com/windows/win32/nps/ias-setting-up-the-extension-and-authorization-dlls).
 */
export const AUTHSRV_PARAMETERS_KEY = 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\AuthSrv\\Parameters';
/**
 * The NPS extension's DLLs, as the installer registers them: the authentication extension in ExtensionDLLs and the
 * authorization extension in AuthorizationDLLs, under C:\Program Files\Microsoft\AzureMfa\Extensions (what
 * Microsoft's health-check script checks, https://github.com/Azure-Samples/azure-mfa-nps-extension-health-check).
 */
export const EXTENSION_DLLS = { ExtensionDLLs: 'MfaNpsAuthnExt.dll', AuthorizationDLLs: 'MfaNpsAuthzExt.dll' } as const;

/**
 * `Get-MissingNpsExtensionDll`: what the NPS extension's installer registers and this server lacks, as
 * `<dll> in <value>` lines; none when the extension is installed.
 */
export const GET_MISSING_NPS_EXTENSION_DLL: PsFunction = {
  name: 'Get-MissingNpsExtensionDll',
  lines: [
    `$parameters = Get-ItemProperty -Path ${psQuote(AUTHSRV_PARAMETERS_KEY)} -ErrorAction SilentlyContinue`,
    `foreach ($entry in @(${Object.entries(EXTENSION_DLLS)
      .map(([value, dll]) => `@(${psQuote(value)}, ${psQuote(dll)})`)
      .join(', ')})) {`,
    '  $listed = if ($null -ne $parameters -and $null -ne $parameters.PSObject.Properties[$entry[0]]) { @($parameters.($entry[0])) } else { @() }',
    "  if (@($listed | Where-Object { ([string]$_).EndsWith('\\' + $entry[1], [StringComparison]::OrdinalIgnoreCase) }).Count -eq 0) { '{0} in {1}' -f $entry[1], $entry[0] }",
    '}',
  ],
};

/** The manual step the extension script checks for, by the name the README and the runbook give it. */
export const INSTALL_EXTENSION_STEP = 'Install the NPS extension';

/** The drain marker: while it exists, the health endpoint answers 503 and the load balancer sends this server nothing new. */
export const DRAIN_MARKER = { folder: 'MFA-HA', file: 'nps-draining' } as const;
/**
 * The restart marker: what changed since IAS last started, one line each. A run writes it as it changes something
 * and removes it once IAS restarted, so that a run which failed after a change leaves the restart to the next run.
 */
export const RESTART_MARKER = { folder: DRAIN_MARKER.folder, file: 'nps-restart-pending' } as const;
/**
 * How long a restart waits once the marker is written: two failed probes 5 s apart take the server out of rotation
 * (constructs/load-balancer.ts), and "existing UDP flows will move to another healthy instance" (Azure Load
 * Balancer health probes, probe down behavior); then the requests already sent here finish, a user answering an
 * MFA prompt within the 60 s a RADIUS client should wait ([NPS]: "a timeout of at least 60 seconds").
 */
export const DRAIN_SECONDS = 75;
/** How long a restarted IAS may take to run again, in seconds. */
const START_SECONDS = 120;

/** One RADIUS client as the script knows it: its shared secret by vault and secret name, never by value. */
export interface RadiusClientSpec {
  readonly name: string;
  readonly address: string;
  readonly vaultName: string;
  readonly secretName: string;
}

/**
 * `Restart-NpsDrained -Reason <text>`: writes the drain marker, waits DRAIN_SECONDS, restarts IAS, waits until it
 * runs, and removes the marker whatever happened (a stopped IAS fails its probe anyway).
 */
export const RESTART_NPS_DRAINED: PsFunction = {
  name: 'Restart-NpsDrained',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Reason)',
    `$folder = Join-Path -Path $env:ProgramData -ChildPath ${psQuote(DRAIN_MARKER.folder)}`,
    'New-Item -ItemType Directory -Path $folder -Force | Out-Null',
    `$marker = Join-Path -Path $folder -ChildPath ${psQuote(DRAIN_MARKER.file)}`,
    'try {',
    "  Set-Content -LiteralPath $marker -Value ('draining for an IAS restart: {0}' -f $Reason)",
    `  Write-Step ('out of the load balancer''s rotation for ${DRAIN_SECONDS} s, then IAS restarts ({0})' -f $Reason)`,
    `  Start-Sleep -Seconds ${DRAIN_SECONDS}`,
    "  Restart-Service -Name 'IAS' -Force",
    `  $waits = ${START_SECONDS / 5}`,
    "  while ([string](Get-Service -Name 'IAS').Status -ne 'Running') {",
    `    if (--$waits -lt 0) { throw 'IAS did not run again within ${START_SECONDS} s of its restart' }`,
    '    Start-Sleep -Seconds 5',
    '  }',
    '} finally {',
    '  Remove-Item -LiteralPath $marker -Force -ErrorAction SilentlyContinue',
    '}',
    "Write-Step 'IAS runs again; back in rotation'",
  ],
};

const restartMarkerPath = `(Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath ${psQuote(RESTART_MARKER.folder)}) -ChildPath ${psQuote(RESTART_MARKER.file)})`;

/** `Add-NpsChange -What <text>`: notes a change IAS must restart for, in the restart marker, and logs it. */
export const ADD_NPS_CHANGE: PsFunction = {
  name: 'Add-NpsChange',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$What)',
    `New-Item -ItemType Directory -Path (Join-Path -Path $env:ProgramData -ChildPath ${psQuote(RESTART_MARKER.folder)}) -Force | Out-Null`,
    `Add-Content -LiteralPath ${restartMarkerPath} -Value $What`,
    'Write-Step $What',
  ],
};

/** The last step of both scripts: a restart when this run, or one that failed before it, changed something. */
export const RESTART_IF_CHANGED: PsStep = {
  title: 'restart the Network Policy Server service (IAS) if anything changed, out of rotation',
  lines: [
    `$pending = ${restartMarkerPath}`,
    'if (-not (Test-Path -LiteralPath $pending)) {',
    "  Write-Step 'nothing changed: IAS keeps running'",
    '} else {',
    "  Restart-NpsDrained -Reason (@(Get-Content -LiteralPath $pending) -join '; ')",
    '  Remove-Item -LiteralPath $pending -Force',
    '}',
  ],
};

/** `ConvertTo-SidText -Bytes <byte[]>`: a SID's string form (S-1-5-21-…) from its binary form (MS-DTYP 2.4.2.2). */
const CONVERT_TO_SID_TEXT: PsFunction = {
  name: 'ConvertTo-SidText',
  lines: [
    'param([Parameter(Mandatory = $true)][byte[]]$Bytes)',
    '[uint64]$authority = 0',
    'foreach ($b in $Bytes[2..7]) { $authority = $authority * 256 + $b }',
    '$parts = @(for ($i = 0; $i -lt $Bytes[1]; $i++) { [BitConverter]::ToUInt32($Bytes, 8 + 4 * $i) })',
    "return ('S-{0}-{1}-{2}' -f $Bytes[0], $authority, ($parts -join '-'))",
  ],
};

/** `Find-DirectoryObject -Filter <ldap>`: the one object of the computer's domain the filter finds, or $null. */
const FIND_DIRECTORY_OBJECT: PsFunction = {
  name: 'Find-DirectoryObject',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Filter)',
    'return (New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList $Filter).FindOne()',
  ],
};

/**
 * `Test-NpsRegistered`: true when this computer is a member of its domain's RAS and IAS Servers group, found by its
 * well-known RID 553 (S-1-5-21-<domain>-553, "Security identifiers",
 * https://learn.microsoft.com/windows-server/identity/ad-ds/manage/understand-security-identifiers), not by its
 * name, which a domain created in another language spells otherwise.
 */
const TEST_NPS_REGISTERED: PsFunction = {
  name: 'Test-NpsRegistered',
  lines: [
    "$computer = Find-DirectoryObject -Filter ('(&(objectCategory=computer)(sAMAccountName={0}$))' -f $env:COMPUTERNAME)",
    "if ($null -eq $computer) { throw ('the computer account {0}$ is not found in Active Directory: is the server joined to the domain?' -f $env:COMPUTERNAME) }",
    "$sid = ConvertTo-SidText -Bytes ([byte[]]$computer.Properties['objectsid'][0])",
    "$group = Find-DirectoryObject -Filter ('(objectSid={0}-553)' -f $sid.Substring(0, $sid.LastIndexOf('-')))",
    "if ($null -eq $group) { throw 'the RAS and IAS Servers group (RID 553) of the domain is not found' }",
    "$dn = [string]$group.Properties['distinguishedname'][0]",
    "return (@($computer.Properties['memberof'] | Where-Object { [string]$_ -eq $dn }).Count -gt 0)",
  ],
};

/**
 * The RADIUS side of the NPS servers.
 *   - IAS's service SID: "With Server 2019 this firewall exception requires a modification to the service account
 *     security identifier … If this security identifier change is not executed, the firewall will drop RADIUS
 *     traffic. … run `sc sidtype IAS unrestricted`" ("Configure Firewalls for RADIUS Traffic",
 *     https://learn.microsoft.com/windows-server/networking/technologies/nps/nps-firewalls-configure). The same page
 *     says the installation opens the default ports, UDP 1812, 1813, 1645 and 1646 (the config keeps to them).
 *   - Registration: "NPSs must be registered in Active Directory so that they have permission to read the dial-in
 *     properties of user accounts … Registering an NPS adds the server to the RAS and IAS Servers group";
 *     `netsh nps add registeredserver domain server`, "Membership in Administrators, or equivalent, is the minimum
 *     required" ("Register an NPS in an Active Directory Domain",
 *     https://learn.microsoft.com/windows-server/networking/technologies/nps/nps-manage-register). The computer's
 *     Kerberos tickets are renewed after it, so that the membership reaches the service [inference: as for a gMSA's
 *     group, constructs/scripts/adfs.ts].
 *   - RADIUS clients: New-NpsRadiusClient, Set-NpsRadiusClient, Remove-NpsRadiusClient, Get-NpsRadiusClient
 *     (https://learn.microsoft.com/powershell/module/nps/); "The NPS Server service must be restarted after you run
 *     the New-NpsRadiusClient cmdlet". The list is the configuration: a client it no longer names is removed. The
 *     shared secret Get-NpsRadiusClient reports is compared [the NpsRadiusClient object's properties are not listed
 *     on the page; New-NpsRadiusClient takes Address and SharedSecret "ByPropertyName" from it]. No line of output
 *     carries a shared secret: the cmdlets' results are discarded.
 */
export function npsRadiusScript(props: { readonly domainName: string; readonly clients: readonly RadiusClientSpec[] }): RenderedScript {
  const clients = props.clients.map(
    (c) => `  @{ Name = ${psQuote(c.name)}; Address = ${psQuote(c.address)}; VaultName = ${psQuote(c.vaultName)}; SecretName = ${psQuote(c.secretName)} }`,
  );
  return renderScript({
    name: 'nps-radius',
    summary: `register the NPS server in ${props.domainName} and configure its ${props.clients.length} RADIUS client(s)`,
    parameters: [
      { name: IDENTITY_CLIENT_ID, secret: false, description: "client id of the NPS servers' managed identity, which reads the shared secrets from Key Vault" },
    ],
    functions: [READ_KEY_VAULT_SECRET, ADD_NPS_CHANGE, RESTART_NPS_DRAINED, CONVERT_TO_SID_TEXT, FIND_DIRECTORY_OBJECT, TEST_NPS_REGISTERED],
    steps: [
      {
        title: 'check that the Network Policy Server service (IAS) is installed',
        lines: [
          "if ($null -eq (Get-Service -Name 'IAS' -ErrorAction SilentlyContinue)) { throw 'the Network Policy Server service (IAS) is missing: the role installation (setup) installs NPAS' }",
        ],
      },
      {
        title: 'give IAS a service SID of its own, so that Windows Firewall lets RADIUS in',
        lines: [
          "$sidType = @(sc.exe qsidtype IAS) -join ' '",
          "if ($LASTEXITCODE -ne 0) { throw ('sc.exe qsidtype IAS failed (exit code {0}): {1}' -f $LASTEXITCODE, $sidType) }",
          "if ($sidType -match 'SERVICE_SID_TYPE:\\s*UNRESTRICTED') {",
          "  Write-Step 'already unrestricted'",
          '} else {',
          "  $output = @(sc.exe sidtype IAS unrestricted) -join ' '",
          "  if ($LASTEXITCODE -ne 0) { throw ('sc.exe sidtype IAS unrestricted failed (exit code {0}): {1}' -f $LASTEXITCODE, $output) }",
          "  Add-NpsChange -What 'IAS has a service SID of its own (unrestricted)'",
          '}',
        ],
      },
      {
        title: `register this server in Active Directory (${props.domainName}, RAS and IAS Servers)`,
        lines: [
          'if (Test-NpsRegistered) {',
          "  Write-Step 'already registered'",
          '} else {',
          `  $output = @(netsh.exe nps add registeredserver ${psQuote(`domain=${props.domainName}`)} ('server={0}' -f $env:COMPUTERNAME)) -join ' '`,
          "  if ($LASTEXITCODE -ne 0) { throw ('netsh nps add registeredserver failed (exit code {0}): {1}' -f $LASTEXITCODE, $output) }",
          '  klist.exe -li 0x3e7 purge | Out-Null',
          "  Add-NpsChange -What 'registered in Active Directory'",
          '}',
        ],
      },
      {
        title: `make the RADIUS clients those of nps.radiusClients (${props.clients.map((c) => c.name).join(', ')})`,
        lines: [
          '$wanted = @(',
          ...clients,
          ')',
          '$existing = @(Get-NpsRadiusClient)',
          'foreach ($client in $wanted) {',
          `  $sharedSecret = Read-KeyVaultSecret -VaultName $client.VaultName -SecretName $client.SecretName -ClientId $${IDENTITY_CLIENT_ID}`,
          '  $current = @($existing | Where-Object { $_.Name -eq $client.Name }) | Select-Object -First 1',
          '  if ($null -eq $current) {',
          '    New-NpsRadiusClient -Name $client.Name -Address $client.Address -SharedSecret $sharedSecret | Out-Null',
          "    Add-NpsChange -What ('RADIUS client {0} ({1}) added' -f $client.Name, $client.Address)",
          '  } else {',
          '    $differs = @()',
          "    if ([string]$current.Address -ne $client.Address) { $differs += ('address {0}' -f $client.Address) }",
          "    if ([string]$current.SharedSecret -cne $sharedSecret) { $differs += 'shared secret' }",
          "    if ([string]$current.Enabled -ne 'True') { $differs += 'enabled' }",
          '    if ($differs.Count -eq 0) {',
          "      Write-Step ('RADIUS client {0} ({1}) is as configured' -f $client.Name, $client.Address)",
          '    } else {',
          '      Set-NpsRadiusClient -Name $client.Name -Address $client.Address -SharedSecret $sharedSecret -Enabled $true | Out-Null',
          "      Add-NpsChange -What ('RADIUS client {0}: {1}' -f $client.Name, ($differs -join ', '))",
          '    }',
          '  }',
          '  $sharedSecret = $null',
          '}',
          '$names = @($wanted | ForEach-Object { $_.Name })',
          'foreach ($extra in @($existing | Where-Object { $_.Name -notin $names })) {',
          '  Remove-NpsRadiusClient -Name $extra.Name',
          "  Add-NpsChange -What ('RADIUS client {0} removed: nps.radiusClients no longer names it' -f $extra.Name)",
          '}',
        ],
      },
      RESTART_IF_CHANGED,
    ],
  });
}
