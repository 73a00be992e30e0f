import { credentialFromVault, identityParameter, READ_KEY_VAULT_SECRET, RuntimeSecret } from './key-vault-secret';
import { PsFunction, PsStep, psQuote, renderScript, RenderedScript, ScriptParameter } from './powershell';
import { FIND_TLS_CERTIFICATE } from './tls';

/** The account the AD FS service runs as: a gMSA, or a classic account whose password the script reads from Key Vault. */
export type AdfsServiceAccount = { readonly gmsa: string } | { readonly username: string; readonly passwordSecret: RuntimeSecret };

/** What both farm scripts need. */
export interface FarmScriptProps {
  readonly federationServiceName: string;
  readonly serviceAccount: AdfsServiceAccount;
  /** Domain administrator that creates the farm and joins nodes. */
  readonly adminUsername: string;
  /** Where its password is: the script reads it at run time with the AD FS servers' identity. */
  readonly adminPasswordSecret: RuntimeSecret;
}

/** The AD FS probe answers on port 80 (HTTP), as the load balancers use it. */
const PROBE_URL = "('http://{0}/adfs/probe' -f $Computer)";

/** The farm scripts take one parameter: the identity that reads the passwords. No password is a parameter. */
const parametersOf = (): ScriptParameter[] => [identityParameter("the AD FS servers'")];

/**
 * Where a run notes that it started configuring AD FS on this server; removed once AD FS reports itself
 * configured. A run that finds it knows an earlier one stopped half way.
 */
const STARTED_MARKER = "$marker = Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha\\adfs-farm.started'";

/**
 * Where a run notes that AD FS was configured on this server and the server must restart: "AD FS farm
 * configuration reconfigures the local server's HTTP settings to HTTP/1.1. This reconfiguration requires a server
 * restart" (AD FS FAQ, "Why does AD FS installation require a server restart?",
 * https://learn.microsoft.com/windows-server/identity/ad-fs/overview/ad-fs-faq): HTTP/2 cannot carry client
 * certificate authentication. It holds the time the server last started; the restart is done once the server
 * started later (the `adfs-restart` Run Command checks it and removes the marker).
 */
export const RESTART_MARKER = "$restartMarker = Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha\\adfs-farm.restart-pending'";

/** The time this server last started, as Win32_OperatingSystem reports it. */
const LAST_BOOT = '$boot = (Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime';

/** Reads the restart marker's time into `$since` (`$restartMarker` set, the file there). */
const SINCE =
  '$since = [datetime]::Parse((Get-Content -LiteralPath $restartMarker -Raw).Trim(), [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)';

/**
 * `Request-FarmRestart`: when AD FS was configured since this server last started, schedules its restart in a
 * minute (shutdown.exe, so that the Run Command reports its result before the restart) and returns $true.
 */
const REQUEST_FARM_RESTART: PsFunction = {
  name: 'Request-FarmRestart',
  lines: [
    RESTART_MARKER,
    'if (-not (Test-Path -LiteralPath $restartMarker)) { return $false }',
    SINCE,
    LAST_BOOT,
    'if ($boot -gt $since) { return $false }',
    "$output = @(shutdown.exe /r /t 60 /d p:4:2 /c 'MFA HA toolkit: AD FS farm configuration switches HTTP.sys to HTTP/1.1, which takes a restart (AD FS FAQ)')",
    // 1190: a restart is already scheduled (ERROR_SHUTDOWN_IS_SCHEDULED): the one asked for earlier.
    "if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1190) { throw ('shutdown.exe could not schedule the restart (exit code {0}): {1}' -f $LASTEXITCODE, ((@($output) | Where-Object { $_ }) -join ' ')) }",
    'return $true',
  ],
};

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
    // A run that configured AD FS and stopped before its check leaves the started marker: the configuration is done.
    `  ${STARTED_MARKER}`,
    '  if (Test-Path -LiteralPath $marker) { Remove-Item -LiteralPath $marker }',
    "  if (Request-FarmRestart) { Write-Step ('AD FS is already configured here (role {0}); it was configured since the server last started: it restarts in a minute' -f $role) }",
    "  else { Write-Step ('AD FS is already configured here (role {0}): nothing to change' -f $role) }",
    '  exit 0',
    '}',
    STARTED_MARKER,
    '$overwrite = Test-Path -LiteralPath $marker',
    "if ($overwrite) { Write-Step 'an earlier configuration did not finish: it is overwritten' }",
  ],
};

/**
 * Judges a deployment cmdlet's result by its Status (Success or Error, with Message and Context): the cmdlets'
 * pages document no output, so the member is checked first, and its absence is an error that names it rather
 * than a success taken for granted (AdfsDsc's unit tests, MSFT_AdfsFarm.tests.ps1, mock the result that way).
 */
export const resultStatus = (cmdlet: string) => [
  "if ($null -eq $result -or $null -eq $result.PSObject.Properties['Status']) { throw ('" +
    cmdlet +
    " returned no Status member (its page documents no output): check the AD FS Admin event log on this server') }",
  "if ($result.Status -ne 'Success') { throw ('{0} returned {1}: {2} ({3})' -f " + psQuote(cmdlet) + ', $result.Status, $result.Message, $result.Context) }',
];

/**
 * Runs a deployment cmdlet (Install-AdfsFarm, Add-AdfsFarmNode), noting first that the configuration started.
 * The cmdlets return a result whose Status is Success or Error: an Error fails the step like an exception.
 */
const deploy = (cmdlet: string) => [
  'New-Item -ItemType File -Path $marker -Force | Out-Null',
  // From here the server may owe a restart, whatever happens to this run: noted before the cmdlet changes anything.
  RESTART_MARKER,
  LAST_BOOT,
  "Set-Content -LiteralPath $restartMarker -Value $boot.ToString('o', [Globalization.CultureInfo]::InvariantCulture)",
  `$result = ${cmdlet} @farm`,
  ...resultStatus(cmdlet),
  'Write-Step ($result | Out-String).Trim()',
];

/** Credentials and the certificate, shared by both scripts; the arguments are splatted, so no line needs a continuation. */
function prepare(props: FarmScriptProps): PsStep {
  const account =
    'gmsa' in props.serviceAccount
      ? [
          // The computer may have joined the group allowed to read the gMSA password after its tickets were issued.
          '$klist = @(klist.exe -li 0x3e7 purge)',
          "if ($LASTEXITCODE -ne 0) { throw ('klist could not purge the Kerberos tickets of the computer account (exit code {0}): {1}' -f $LASTEXITCODE, ((@($klist) | Where-Object { $_ }) -join ' ')) }",
          `$farm['GroupServiceAccountIdentifier'] = ${psQuote(props.serviceAccount.gmsa)}`,
        ]
      : [credentialFromVault('service', props.serviceAccount.username, props.serviceAccount.passwordSecret), "$farm['ServiceAccountCredential'] = $service"];
  return {
    title: `find the certificate of ${props.federationServiceName} and build the credentials`,
    lines: [
      `$certificate = Find-TlsCertificate -DnsName ${psQuote(props.federationServiceName)}`,
      credentialFromVault('admin', props.adminUsername, props.adminPasswordSecret),
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

/** The last step of both farm scripts: the restart the configuration takes (the next Run Command, adfs-restart, waits for it). */
const RESTART: PsStep = {
  title: 'restart this server in a minute, so that HTTP.sys serves HTTP/1.1 (AD FS FAQ)',
  lines: ["if (Request-FarmRestart) { Write-Step 'restart scheduled' } else { Write-Step 'no restart to do' }"],
};

/** `Test-AdfsProbe -Computer <fqdn>`: true when AD FS answers its probe there. */
const TEST_ADFS_PROBE: PsFunction = {
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
    parameters: parametersOf(),
    functions: [READ_KEY_VAULT_SECRET, FIND_TLS_CERTIFICATE, TEST_ADFS_PROBE, REQUEST_FARM_RESTART],
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
      RESTART,
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
    parameters: parametersOf(),
    functions: [READ_KEY_VAULT_SECRET, FIND_TLS_CERTIFICATE, TEST_ADFS_PROBE, REQUEST_FARM_RESTART],
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
        lines: [`$farm['PrimaryComputerName'] = ${psQuote(props.primaryComputer)}`, "$farm['PrimaryComputerPort'] = 80", ...deploy('Add-AdfsFarmNode')],
      },
      VERIFY,
      RESTART,
    ],
  });
}

/**
 * After a farm script, on the same server (Run Command `adfs-restart`): waits for the restart the configuration
 * asked for, then for AD FS to answer its probe again, so that the next server's configuration starts only once
 * this one serves. Changes nothing where no restart is pending: a re-run, or a farm configured before.
 */
export function farmRestartScript(): RenderedScript {
  return renderScript({
    name: 'adfs-restart',
    summary: 'wait until this AD FS server restarted after its farm configuration, and AD FS answers again',
    parameters: [],
    functions: [TEST_ADFS_PROBE, REQUEST_FARM_RESTART],
    steps: [
      {
        title: 'look for the restart the farm configuration asked for',
        lines: [
          RESTART_MARKER,
          "if (-not (Test-Path -LiteralPath $restartMarker)) { Write-Step 'no restart pending: nothing to wait for'; exit 0 }",
          SINCE,
          LAST_BOOT,
          'if ($boot -le $since) {',
          '  $null = Request-FarmRestart',
          "  throw ('the server has not restarted since AD FS was configured on it ({0:u}): a restart is scheduled again; run this step again once the server is back' -f $since)",
          '}',
          "Write-Step ('restarted at {0:u}, after the configuration' -f $boot)",
        ],
      },
      {
        title: 'wait until AD FS answers its probe on this server, then clear the pending restart',
        lines: [
          '$deadline = (Get-Date).AddMinutes(15)',
          "while (-not (Test-AdfsProbe -Computer 'localhost')) {",
          "  if ((Get-Date) -gt $deadline) { throw 'AD FS did not answer on /adfs/probe within 15 minutes of the restart' }",
          '  Start-Sleep -Seconds 20',
          '}',
          'Remove-Item -LiteralPath $restartMarker',
        ],
      },
    ],
  });
}

/** `Test-AdfsProbe -Computer <fqdn>`, for other scripts that wait for AD FS (constructs/scripts/entra-mfa-farm.ts). */
export const ADFS_PROBE_FUNCTION: PsFunction = TEST_ADFS_PROBE;
