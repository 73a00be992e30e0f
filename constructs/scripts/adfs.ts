import { credentialFrom, PsFunction, PsStep, psQuote, renderScript, RenderedScript, ScriptParameter } from './powershell';
import { FIND_TLS_CERTIFICATE } from './tls';

/** The account the AD FS service runs as. */
export type AdfsServiceAccount = { readonly gmsa: string } | { readonly username: string };

/** What both farm scripts need. */
export interface FarmScriptProps {
  readonly federationServiceName: string;
  readonly serviceAccount: AdfsServiceAccount;
  /** Domain administrator that creates the farm and joins nodes (its password is the `AdminPassword` parameter). */
  readonly adminUsername: string;
}

/** Names of the protected parameters of the farm scripts. */
export const ADMIN_PASSWORD = 'AdminPassword';
export const SERVICE_ACCOUNT_PASSWORD = 'ServiceAccountPassword';

/** The AD FS probe answers on port 80 (HTTP), as the load balancers use it. */
const PROBE_URL = "('http://{0}/adfs/probe' -f $Computer)";

const parametersOf = (props: FarmScriptProps): ScriptParameter[] => [
  { name: ADMIN_PASSWORD, secret: true, description: `password of ${props.adminUsername}` },
  ...('username' in props.serviceAccount ? [{ name: SERVICE_ACCOUNT_PASSWORD, secret: true, description: `password of ${props.serviceAccount.username}` }] : []),
];

/**
 * Where a run notes that it started configuring AD FS on this server; removed once AD FS reports itself
 * configured. A run that finds it knows an earlier one stopped half way.
 */
const STARTED_MARKER = "$marker = Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha\\adfs-farm.started'";

/**
 * Stops the script, successfully, when AD FS is already configured on this server. FSConfigurationStatus
 * is 2 once AD FS is configured; 0 and 1 mean not configured (1 is what the role installation leaves), as
 * AdfsDsc's Get-AdfsConfigurationStatus reads them. A configuration an earlier run of this script started
 * and did not finish (its marker is there) is overwritten: Install-AdfsFarm and Add-AdfsFarmNode refuse to
 * run again over it otherwise. A fresh server gets no -OverwriteConfiguration.
 */
const UNLESS_CONFIGURED: PsStep = {
  title: 'stop here if AD FS is already configured on this server',
  lines: [
    "$status = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\ADFS' -Name 'FSConfigurationStatus' -ErrorAction SilentlyContinue",
    'if ($null -ne $status -and $status.FSConfigurationStatus -eq 2) {',
    // Get-AdfsSyncProperties needs the AD FS service: a stopped service must not fail a re-run.
    "  $role = try { (Get-AdfsSyncProperties).Role } catch { 'unknown: the AD FS service does not answer' }",
    "  Write-Step ('AD FS is already configured here (role {0}): nothing to change' -f $role)",
    '  exit 0',
    '}',
    STARTED_MARKER,
    '$overwrite = Test-Path -LiteralPath $marker',
    "if ($overwrite) { Write-Step 'an earlier configuration did not finish: it is overwritten' }",
  ],
};

/**
 * Runs a deployment cmdlet (Install-AdfsFarm, Add-AdfsFarmNode), noting first that the configuration started.
 * The cmdlets return a result whose Status is Success or Error: an Error fails the step like an exception.
 */
const deploy = (cmdlet: string) => [
  'New-Item -ItemType File -Path $marker -Force | Out-Null',
  `$result = ${cmdlet} @farm`,
  "if ($result.Status -ne 'Success') { throw ('{0} returned {1}: {2} ({3})' -f " + psQuote(cmdlet) + ', $result.Status, $result.Message, $result.Context) }',
  "Write-Step ($result | Out-String).Trim()",
];

/** Credentials and the certificate, shared by both scripts; the arguments are splatted, so no line needs a continuation. */
function prepare(props: FarmScriptProps): PsStep {
  const account =
    'gmsa' in props.serviceAccount
      ? [
          // The computer may have joined the group allowed to read the gMSA password after its tickets were issued.
          'klist.exe -li 0x3e7 purge | Out-Null',
          `$farm['GroupServiceAccountIdentifier'] = ${psQuote(props.serviceAccount.gmsa)}`,
        ]
      : [credentialFrom('service', props.serviceAccount.username, SERVICE_ACCOUNT_PASSWORD), "$farm['ServiceAccountCredential'] = $service"];
  return {
    title: `find the certificate of ${props.federationServiceName} and build the credentials`,
    lines: [
      `$certificate = Find-TlsCertificate -DnsName ${psQuote(props.federationServiceName)}`,
      credentialFrom('admin', props.adminUsername, ADMIN_PASSWORD),
      '$farm = @{ CertificateThumbprint = $certificate.Thumbprint; Credential = $admin }',
      "if ($overwrite) { $farm['OverwriteConfiguration'] = $true }",
      ...account,
    ],
  };
}

const VERIFY: PsStep = {
  title: 'check that AD FS reports itself configured',
  lines: [
    "$status = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\ADFS' -Name 'FSConfigurationStatus'",
    "if ($status.FSConfigurationStatus -ne 2) { throw ('AD FS configuration status is {0}, not 2 (configured)' -f $status.FSConfigurationStatus) }",
    'Remove-Item -LiteralPath $marker',
  ],
};

/** `Test-AdfsProbe -Computer <fqdn>`: true when AD FS answers its probe there. */
const TEST_ADFS_PROBE = {
  name: 'Test-AdfsProbe',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$Computer)',
    'try {',
    `  return (Invoke-WebRequest -Uri ${PROBE_URL} -UseBasicParsing -TimeoutSec 10).StatusCode -eq 200`,
    '} catch {',
    '  return $false',
    '}',
  ],
};

/**
 * The first AD FS server creates the WID farm (`Install-AdfsFarm`, no SQL connection string). It refuses
 * when another server of the tier already answers as AD FS: a rebuilt first server must join the running farm,
 * never create a second one. The other servers are found in AD by their computer names, so the script does not
 * change when the tier grows.
 */
export function createFarmScript(props: FarmScriptProps & { readonly computerNamePrefix: string }): RenderedScript {
  return renderScript({
    name: 'adfs-farm',
    summary: `create the AD FS farm ${props.federationServiceName} (Windows Internal Database) on its first server`,
    parameters: parametersOf(props),
    functions: [FIND_TLS_CERTIFICATE, TEST_ADFS_PROBE],
    steps: [
      UNLESS_CONFIGURED,
      {
        title: `make sure no other ${props.computerNamePrefix}* server already runs a farm`,
        lines: [
          `$searcher = New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList ('(&(objectCategory=computer)(name={0}*))' -f ${psQuote(props.computerNamePrefix)})`,
          "$peers = @($searcher.FindAll() | ForEach-Object { $_.Properties['dnshostname'] | Select-Object -First 1 } | Where-Object { $_ -and ([string]$_).Split('.')[0] -ne $env:COMPUTERNAME })",
          'foreach ($peer in $peers) {',
          "  if (Test-AdfsProbe -Computer $peer) { throw ('{0} already runs AD FS: join this server to that farm (Add-AdfsFarmNode) instead of creating a second one' -f $peer) }",
          '}',
          "Write-Step ('{0} other server(s) of the tier, none running AD FS' -f $peers.Count)",
        ],
      },
      prepare(props),
      {
        title: `create the farm ${props.federationServiceName}`,
        lines: [`$farm['FederationServiceName'] = ${psQuote(props.federationServiceName)}`, ...deploy('Install-AdfsFarm')],
      },
      VERIFY,
    ],
  });
}

/**
 * Every other AD FS server joins the farm of the first (`Add-AdfsFarmNode`), once the first answers its
 * probe. Secondary servers of a WID farm reach the primary over HTTP 80, so the port is given explicitly.
 */
export function joinFarmScript(props: FarmScriptProps & { readonly primaryComputer: string }): RenderedScript {
  return renderScript({
    name: 'adfs-farm',
    summary: `join the AD FS farm ${props.federationServiceName} of ${props.primaryComputer}`,
    parameters: parametersOf(props),
    functions: [FIND_TLS_CERTIFICATE, TEST_ADFS_PROBE],
    steps: [
      UNLESS_CONFIGURED,
      {
        title: `wait until the primary server ${props.primaryComputer} answers as AD FS`,
        lines: [
          '$deadline = (Get-Date).AddMinutes(15)',
          `while (-not (Test-AdfsProbe -Computer ${psQuote(props.primaryComputer)})) {`,
          `  if ((Get-Date) -gt $deadline) { throw ${psQuote(`${props.primaryComputer} did not answer on /adfs/probe within 15 minutes`)} }`,
          '  Start-Sleep -Seconds 20',
          '}',
        ],
      },
      prepare(props),
      {
        title: `join the farm of ${props.primaryComputer}`,
        lines: [
          `$farm['PrimaryComputerName'] = ${psQuote(props.primaryComputer)}`,
          "$farm['PrimaryComputerPort'] = 80",
          ...deploy('Add-AdfsFarmNode'),
        ],
      },
      VERIFY,
    ],
  });
}

/** `Test-AdfsProbe -Computer <fqdn>`, for other scripts that wait for AD FS (constructs/scripts/entra-mfa-farm.ts). */
export const ADFS_PROBE_FUNCTION: PsFunction = TEST_ADFS_PROBE;
