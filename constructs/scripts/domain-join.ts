import { credentialFromVault, identityParameter, READ_KEY_VAULT_SECRET, RuntimeSecret } from './key-vault-secret';
import { PsFunction, PsStep, psQuote, renderScript, RenderedScript } from './powershell';

/*
 * The domain join by Run Command (domain.join "run-command"), instead of JsonADDomainExtension, whose protected
 * settings carry a password Terraform read at plan time. Two scripts, the restart between them:
 *   - domain-join: reads the join account's password from Key Vault with the server's identity, joins the domain with
 *     Add-Computer (Domain parameter set: -DomainName, -OUPath, -Credential; "Add-Computer", Windows PowerShell 5.1,
 *     https://learn.microsoft.com/powershell/module/microsoft.powershell.management/add-computer?view=powershell-5.1),
 *     and schedules the restart the join takes effect with ("A restart is often required to make the change
 *     effective", same page). Not -Restart: shutdown.exe a minute ahead lets Run Command report the result first, as the
 *     AD FS farm scripts do (./adfs.ts).
 *   - domain-join-restart: after Terraform's wait, that the server restarted since it joined, is a member of the
 *     domain with a working secure channel (Test-ComputerSecureChannel, same module), and sits in the OU.
 * A server already in the domain changes nothing, reads no password and restarts not; one in another domain stops
 * with an error, since moving a server between domains is no deployment's business.
 */

/** What the join needs: no password, only where to read it. */
export interface DomainJoinScriptProps {
  readonly domainName: string;
  /** The OU of the computer accounts; omit for the domain's default computers container (no check). */
  readonly ouPath?: string;
  readonly username: string;
  readonly passwordSecret: RuntimeSecret;
}

/**
 * Where the join notes that the server owes a restart: the time the server last started, written before Add-Computer
 * changes anything. The restart is done once the server started later; domain-join-restart then removes the file.
 */
const RESTART_MARKER = "$restartMarker = Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha\\domain-join.restart-pending'";
const LAST_BOOT = '$boot = (Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime';
const SINCE =
  '$since = [datetime]::Parse((Get-Content -LiteralPath $restartMarker -Raw).Trim(), [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)';

/** `Request-JoinRestart`: when the server joined since it last started, schedules its restart in a minute and returns $true. */
const REQUEST_JOIN_RESTART: PsFunction = {
  name: 'Request-JoinRestart',
  lines: [
    RESTART_MARKER,
    'if (-not (Test-Path -LiteralPath $restartMarker)) { return $false }',
    SINCE,
    LAST_BOOT,
    'if ($boot -gt $since) { return $false }',
    "$output = @(shutdown.exe /r /t 60 /d p:4:2 /c 'MFA HA toolkit: the domain join takes effect after a restart')",
    // 1190: a restart is already scheduled (ERROR_SHUTDOWN_IS_SCHEDULED): the one asked for earlier.
    "if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1190) { throw ('shutdown.exe could not schedule the restart (exit code {0}): {1}' -f $LASTEXITCODE, ((@($output) | Where-Object { $_ }) -join ' ')) }",
    'return $true',
  ],
};

/** DNs compared as AD writes them: no space around the commas, any case. */
const normalDn = (variable: string) => `(${variable} -replace '\\s*,\\s*', ',')`;

/**
 * `Assert-ComputerOu`: the computer account's parent is the OU of the config. Asked of AD as the computer itself
 * (SYSTEM on a member), so only once the server runs as a member: after the restart that follows the join.
 */
function assertComputerOu(ouPath: string): PsFunction {
  return {
    name: 'Assert-ComputerOu',
    lines: [
      `$expected = ${psQuote(ouPath)}`,
      "$searcher = New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList ('(&(objectCategory=computer)(sAMAccountName={0}$))' -f $env:COMPUTERNAME)",
      '$found = $searcher.FindOne()',
      "if ($null -eq $found) { throw ('the domain holds no computer account {0}$' -f $env:COMPUTERNAME) }",
      "$dn = [string]($found.Properties['distinguishedname'] | Select-Object -First 1)",
      "$ou = $dn.Substring($dn.IndexOf(',') + 1)",
      `if (${normalDn('$ou')} -ne ${normalDn('$expected')}) { throw ('the computer account is {0}, not in {1} (domain.ouPath): move it there (Move-ADObject) or set domain.ouPath to its OU, then deploy again' -f $dn, $expected) }`,
      "Write-Step ('computer account {0}' -f $dn)",
    ],
  };
}

/** domain-join: the join itself, and the restart it asks for. */
export function domainJoinScript(props: DomainJoinScriptProps): RenderedScript {
  const domain = psQuote(props.domainName);
  const ouCheck = props.ouPath === undefined ? [] : ['Assert-ComputerOu'];
  const where = props.ouPath === undefined ? '' : ` in ${props.ouPath}`;
  const steps: PsStep[] = [
    {
      title: `stop here if this server is already a member of ${props.domainName}`,
      lines: [
        '$system = Get-CimInstance -ClassName Win32_ComputerSystem',
        'if ($system.PartOfDomain) {',
        `  if ($system.Domain -ne ${domain}) { throw ('this server is a member of {0}, not of {1}: the toolkit does not move a server between domains; leave {0} (Remove-Computer) or fix domain.name, then deploy again' -f $system.Domain, ${domain}) }`,
        "  if (Request-JoinRestart) { Write-Step ('joined {0} since this server last started: it restarts in a minute' -f $system.Domain); exit 0 }",
        ...ouCheck.map((l) => `  ${l}`),
        "  Write-Step ('already a member of {0}: nothing to change' -f $system.Domain)",
        '  exit 0',
        '}',
        `Write-Step ('in workgroup {0}: joining {1}' -f $system.Domain, ${domain})`,
      ],
    },
    {
      title: `read the password of ${props.username} from Key Vault`,
      lines: [credentialFromVault('credential', props.username, props.passwordSecret)],
    },
    {
      title: `join ${props.domainName}${where}`,
      lines: [
        // From here the server may owe a restart, whatever happens to this run: noted before the cmdlet changes anything.
        RESTART_MARKER,
        'New-Item -ItemType Directory -Path (Split-Path -Path $restartMarker -Parent) -Force | Out-Null',
        LAST_BOOT,
        "Set-Content -LiteralPath $restartMarker -Value $boot.ToString('o', [Globalization.CultureInfo]::InvariantCulture)",
        `$join = @{ DomainName = ${domain}; Credential = $credential; Force = $true }`,
        ...(props.ouPath === undefined ? [] : [`$join['OUPath'] = ${psQuote(props.ouPath)}`]),
        'Add-Computer @join',
        `Write-Step ${psQuote(`joined ${props.domainName}${where}`)}`,
      ],
    },
    {
      title: 'restart this server in a minute, for the join to take effect',
      lines: ["if (Request-JoinRestart) { Write-Step 'restart scheduled' } else { Write-Step 'no restart to do' }"],
    },
  ];
  return renderScript({
    name: 'domain-join',
    summary: `join ${props.domainName}${where} as ${props.username}, whose password is read from Key Vault at run time`,
    parameters: [identityParameter("this tier's")],
    functions: [READ_KEY_VAULT_SECRET, REQUEST_JOIN_RESTART, ...(props.ouPath === undefined ? [] : [assertComputerOu(props.ouPath)])],
    steps,
  });
}

/** How many times, 10 seconds apart, the check asks for the secure channel: Netlogon sets it up as Windows starts. */
const SECURE_CHANNEL_ATTEMPTS = 18;

/** domain-join-restart: after the join's restart, the server is a member with a working secure channel, in its OU. */
export function domainJoinRestartScript(props: Omit<DomainJoinScriptProps, 'username' | 'passwordSecret'>): RenderedScript {
  const domain = psQuote(props.domainName);
  return renderScript({
    name: 'domain-join-restart',
    summary: `wait until this server restarted after joining ${props.domainName}, then check its membership`,
    parameters: [],
    functions: [REQUEST_JOIN_RESTART, ...(props.ouPath === undefined ? [] : [assertComputerOu(props.ouPath)])],
    steps: [
      {
        title: 'look for the restart the domain join asked for',
        lines: [
          RESTART_MARKER,
          "if (-not (Test-Path -LiteralPath $restartMarker)) { Write-Step 'no restart pending: nothing to wait for'; exit 0 }",
          SINCE,
          LAST_BOOT,
          'if ($boot -le $since) {',
          '  $null = Request-JoinRestart',
          "  throw ('the server has not restarted since it joined the domain ({0:u}): a restart is scheduled again; run this step again once the server is back' -f $since)",
          '}',
          "Write-Step ('restarted at {0:u}, after the join' -f $boot)",
        ],
      },
      {
        title: `check that this server is a member of ${props.domainName} with a working secure channel, then clear the pending restart`,
        lines: [
          '$system = Get-CimInstance -ClassName Win32_ComputerSystem',
          `if (-not $system.PartOfDomain -or $system.Domain -ne ${domain}) { throw ('after the restart this server is in {0}, not a member of {1}' -f $system.Domain, ${domain}) }`,
          '$channel = $false',
          `for ($attempt = 1; $attempt -le ${SECURE_CHANNEL_ATTEMPTS} -and -not $channel; $attempt++) {`,
          '  $channel = Test-ComputerSecureChannel',
          '  if (-not $channel) { Start-Sleep -Seconds 10 }',
          '}',
          `if (-not $channel) { throw ${psQuote(`the secure channel to ${props.domainName} does not work (Test-ComputerSecureChannel) ${(SECURE_CHANNEL_ATTEMPTS * 10) / 60} minutes after the restart: check the computer account and the domain controllers' reach`)} }`,
          ...(props.ouPath === undefined ? [] : ['Assert-ComputerOu']),
          'Remove-Item -LiteralPath $restartMarker',
          `Write-Step ${psQuote(`a member of ${props.domainName}, secure channel working`)}`,
        ],
      },
    ],
  });
}
