<#
  What every scenario file dot-sources (in BeforeDiscovery, to build its tests from the manifest, and in
  BeforeAll, to run them): the generated scripts of the manifest `npm run test:ps` writes, and a way to run
  one as Run Command does, in this process, so that Pester's mocks stand in for Windows.

  Dot-sourced, not imported: a script run from a module function would run in the module's scope and miss
  the test's mocks.
#>

Set-StrictMode -Version Latest

# The stubs of Windows-only commands: every scenario binds its calls against them.
Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'stubs/WindowsStubs.psm1') -Force

<#
  The provider cmdlets the scripts call on Windows-only drives (HKLM:, Cert:, IIS:) are shadowed by functions
  with the same static parameters, which pass every call on to the real cmdlet. Pester then mocks the
  function: mocking the cmdlet itself would rebuild its provider's dynamic parameters on every call (about
  0.1 s each). The scripts use none of those dynamic parameters (New-ItemProperty -PropertyType is a static
  one in PowerShell 7), so none is declared.
#>
function Get-CommandShadow {
  param(
    [Parameter(Mandatory = $true)] [string] $Name,
    # What the function does with its bound parameters; by default it passes them on to the cmdlet.
    [string] $Body = "& (Get-Command -Name '$Name' -CommandType Cmdlet) @PSBoundParameters"
  )
  $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command -Name $Name -CommandType Cmdlet))
  $binding = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($metadata)
  $parameters = [System.Management.Automation.ProxyCommand]::GetParamBlock($metadata)
  "function $Name {`n$binding`nparam($parameters)`n$Body`n}"
}
. ([scriptblock]::Create((@(
  'Get-ChildItem', 'Get-Item', 'Get-ItemProperty', 'Remove-Item', 'Test-Path', 'New-Item', 'New-ItemProperty', 'Remove-ItemProperty' | ForEach-Object { Get-CommandShadow -Name $_ }
) -join "`n")))

<# The manifest (tools/generated-scripts.ts): every generated script of dev, prod, the longest configuration and prod at the migration stages. #>
function Get-ScriptManifest {
  if (-not $env:MFA_HA_SCRIPT_MANIFEST) { throw 'MFA_HA_SCRIPT_MANIFEST is not set: run the PowerShell tests with npm run test:ps' }
  Get-Content -LiteralPath $env:MFA_HA_SCRIPT_MANIFEST -Raw | ConvertFrom-Json
}

<#
  The distinct generated scripts of the given kinds (all when none is given): identical text on several
  servers or in several environments is run once, and names every place it deploys to.
#>
function Get-GeneratedScript {
  param([string[]] $Kind)
  $manifest = Get-ScriptManifest
  $folder = Split-Path -Path $env:MFA_HA_SCRIPT_MANIFEST -Parent
  $facts = @{}
  foreach ($environment in $manifest.environments) { $facts[$environment.env] = $environment }
  $manifest.scripts |
    Where-Object { -not $Kind -or $_.kind -in $Kind } |
    Group-Object -Property file |
    ForEach-Object {
      $first = $_.Group[0]
      $envs = @($_.Group | ForEach-Object { $_.env } | Select-Object -Unique)
      [pscustomobject]@{
        Name       = '{0} ({1}; {2} of {3})' -f $first.kind, $first.tier, ($envs -join ', '), $(if ($_.Count -eq 1) { $first.address } else { '{0} resources' -f $_.Count })
        Kind       = $first.kind
        Tier       = $first.tier
        Path       = Join-Path -Path $folder -ChildPath $first.file
        Parameters = @($first.parameters)
        Addresses  = @($_.Group | ForEach-Object { '{0}: {1}' -f $_.env, $_.address })
        Facts      = $facts[$first.env]
      }
    }
}

<# The distinct scripts of the given kinds as Pester test cases: `-ForEach (Get-ScriptCase …)` gives each test $Script and $Name. #>
function Get-ScriptCase {
  param([string[]] $Kind)
  @(Get-GeneratedScript -Kind $Kind | ForEach-Object { @{ Script = $_; Name = $_.Name } })
}

<#
  One script of a kind as a Pester test case, for the costlier scenarios (the repair property runs a script twice
  per call it makes): prod's, the shape dev's and the longest configuration's share but for names and counts.
#>
function Get-RepresentativeCase {
  param([Parameter(Mandatory = $true)] [string] $Kind, [string] $Tier)
  @(Get-ScriptCase -Kind $Kind | Where-Object { (-not $Tier -or $_.Script.Tier -eq $Tier) -and @($_.Script.Addresses | Where-Object { $_ -like 'prod:*' }).Count -gt 0 } | Select-Object -First 1)
}

<# A secret as Run Command receives it from Terraform's base64encode(): base64 of its UTF-8 bytes. #>
function ConvertTo-ProtectedValue {
  param([Parameter(Mandatory = $true)] [string] $Secret)
  [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Secret))
}

<# A tier's managed identity in the scenarios: the client id Run Command passes as IdentityClientId. #>
function Get-TierIdentity {
  param([Parameter(Mandatory = $true)] [string] $Tier)
  $hash = [Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Tier))
  [guid]::new([byte[]]$hash[0..15]).ToString()
}

<#
  A secret the script reads at run time ({ vaultName, secretName } from the facts), with its value, readable by that
  identity alone (Key Vault Secrets User on the secret), and the identity attached to the VM.
#>
function Set-ReadableSecret {
  param([Parameter(Mandatory = $true)] $Secret, [Parameter(Mandatory = $true)] [string] $Value, [Parameter(Mandatory = $true)] [string] $ClientId)
  Add-AzureStubIdentity -ClientId $ClientId
  Set-AzureStubSecret -VaultName $Secret.vaultName -Name $Secret.secretName -Value $Value
  Grant-AzureStubSecretReader -VaultName $Secret.vaultName -Name $Secret.secretName -ClientId $ClientId
}

<#
  Runs a generated script as Run Command does: its parameters named, here, in this process (so the test's
  mocks answer), its console error stream captured. Returns the exit code (`exit` in a script file ends that
  script only and sets $LASTEXITCODE), the output lines and the error text. A script that ends without
  `exit`, or lets an error escape, reports it.

  A role installation is a `powershell.exe -Command` line instead: its exit code is 1 when the last
  statement failed and 0 otherwise, unless it calls exit itself (about_PowerShell_exe, -Command). It is
  run with that rule.
#>
function Invoke-GeneratedScript {
  param(
    [Parameter(Mandatory = $true)] $Script,
    [hashtable] $Parameters = @{}
  )
  $path = $Script.Path
  if ($Script.Kind -eq 'role-installation') {
    $path = Join-Path -Path $TestDrive -ChildPath ('command-{0}.ps1' -f [guid]::NewGuid())
    Set-Content -LiteralPath $path -Encoding utf8 -Value @((Get-Content -LiteralPath $Script.Path -Raw), 'if ($?) { exit 0 } else { exit 1 }')
  }
  $errors = [IO.StringWriter]::new()
  $console = [Console]::Error
  [Console]::SetError($errors)
  $global:LASTEXITCODE = $null
  $escaped = $null
  $output = @()
  try {
    $output = @(& $path @Parameters *>&1 | ForEach-Object { [string]$_ })
  } catch {
    $escaped = $_
  } finally {
    [Console]::SetError($console)
  }
  [pscustomobject]@{
    ExitCode = if ($null -ne $escaped) { 'an error escaped: {0}' -f $escaped } elseif ($null -eq $global:LASTEXITCODE) { 'ended without exit' } else { $global:LASTEXITCODE }
    Output   = $output
    Error    = $errors.ToString().Trim()
    Text     = (@($output) + $errors.ToString()) -join "`n"
  }
}

<#
  The first AD FS server, the WID primary through which the proxies write into the farm: its FQDN, the address
  the mocked DNS gives it, and the marked hosts entry a proxy adds for the write (HOSTS_MARKER, constructs/scripts/wap.ts).
#>
function Get-PrimaryComputer($Facts) { ('{0}.{1}' -f $Facts.computers.adfs[0], $Facts.domain).ToLowerInvariant() }
function Get-PrimaryAddress { '10.1.2.10' }
function Get-PrimaryEntry($Facts) { '{0} {1} # mfa-ha: temporary, the federation service at its primary AD FS server while the proxy writes into the farm' -f (Get-PrimaryAddress), $Facts.names.federationService }

<#
  A Windows server for the script to run on: %SystemRoot% (the hosts file), %ProgramData% and the computer
  name point into the test drive. Returns the hosts file's path.
#>
function Initialize-WindowsServer {
  param([string] $ComputerName = 'SERVER1', [string[]] $Hosts = @('127.0.0.1 localhost'))
  $env:SystemRoot = Join-Path -Path $TestDrive -ChildPath 'Windows'
  $env:ProgramData = Join-Path -Path $TestDrive -ChildPath 'ProgramData'
  $env:COMPUTERNAME = $ComputerName
  $etc = Join-Path -Path $env:SystemRoot -ChildPath 'System32/drivers/etc'
  New-Item -ItemType Directory -Path $etc -Force | Out-Null
  New-Item -ItemType Directory -Path $env:ProgramData -Force | Out-Null
  $hostsFile = Join-Path -Path $etc -ChildPath 'hosts'
  Set-Content -LiteralPath $hostsFile -Encoding ascii -Value $Hosts
  $hostsFile
}

<#
  A certificate as the Cert: drive lists it (LocalMachine\My): thumbprint, subject and issuer, validity, private
  key and the names PowerShell's certificate provider adds as DnsNameList (each with Unicode and Punycode).
#>
function New-StoreCertificate {
  param(
    [Parameter(Mandatory = $true)] [string[]] $DnsName,
    [string] $Thumbprint = ([guid]::NewGuid().ToString('N') + '00000000').Substring(0, 40).ToUpperInvariant(),
    [datetime] $NotAfter = (Get-Date).AddDays(365),
    [datetime] $NotBefore = (Get-Date).AddDays(-30),
    [bool] $HasPrivateKey = $true,
    # A CA's by default; the subject itself for a self-signed certificate.
    [string] $Issuer = 'CN=Contoso Issuing CA 01'
  )
  [pscustomobject]@{
    Thumbprint    = $Thumbprint
    Subject       = 'CN={0}' -f $DnsName[0]
    Issuer        = $Issuer
    NotBefore     = $NotBefore
    NotAfter      = $NotAfter
    HasPrivateKey = $HasPrivateKey
    DnsNameList   = @($DnsName | ForEach-Object { [pscustomobject]@{ Unicode = $_; Punycode = $_ } })
  }
}

<# Passwords that mean something to a command line, to PowerShell or to an encoding. #>
$script:HostilePasswords = @(
  'plain-Passw0rd'
  'per%cent%PATH%'
  'caret^^and^'
  'double"quote"'
  "single'quote''"
  'dollar$env:USERNAME$(Get-Date)'
  'back`tick`n'
  'with spaces  and trailing '
  'Ünïcödé-Пароль-密码-🔑'
  '%^"''$` all at once ñ'
)

<#
  Failures injected into a script's run, one call at a time: every mocked command a scenario's model answers calls
  Enter-Command first, which counts the calls and makes the FailAt-th one fail, as the real command fails: a
  cmdlet throws, a native program (-Native) exits 1 (the mock then returns its error line instead of acting).
#>
$global:Injection = @{ Calls = 0; FailAt = 0; Names = @() }

function Enter-Command {
  param([Parameter(Mandatory = $true)] [string] $Name, [switch] $Native)
  $global:Injection.Calls++
  $global:Injection.Names += $Name
  if ($global:Injection.Calls -ne $global:Injection.FailAt) { return $false }
  if ($Native) { $global:LASTEXITCODE = 1; return $true }
  throw ('{0} failed (a failure injected at call {1})' -f $Name, $global:Injection.Calls)
}

<#
  The property every generated script must have: whatever single call fails, a run without the failure afterwards
  leaves the server as a clean first run leaves it. -Initialize builds the server, -State returns what is compared
  (the server's state, not its history: the events written are left out). Returns one line per call whose failure
  the next run did not repair; a clean first run must itself exit 0.
#>
function Test-RepairedByNextRun {
  param(
    [Parameter(Mandatory = $true)] $Script,
    [hashtable] $Parameters = @{},
    [Parameter(Mandatory = $true)] [scriptblock] $Initialize,
    [Parameter(Mandatory = $true)] [scriptblock] $State
  )
  & $Initialize
  $global:Injection = @{ Calls = 0; FailAt = 0; Names = @() }
  $clean = Invoke-GeneratedScript -Script $Script -Parameters $Parameters
  if ($clean.ExitCode -ne 0) { return , @('a clean first run did not succeed: {0}' -f $clean.Text) }
  $expected = & $State | ConvertTo-Json -Depth 8 -Compress
  $calls = $global:Injection.Names
  $unrepaired = @()
  for ($k = 1; $k -le $calls.Count; $k++) {
    & $Initialize
    $global:Injection = @{ Calls = 0; FailAt = $k; Names = @() }
    $failed = Invoke-GeneratedScript -Script $Script -Parameters $Parameters
    $failedAt = if ($global:Injection.Names.Count -ge $k) { $global:Injection.Names[$k - 1] } else { '(not reached)' }
    $global:Injection = @{ Calls = 0; FailAt = 0; Names = @() }
    $rerun = Invoke-GeneratedScript -Script $Script -Parameters $Parameters
    $actual = & $State | ConvertTo-Json -Depth 8 -Compress
    if ($rerun.ExitCode -ne 0 -or $actual -ne $expected) {
      $unrepaired += 'call {0} ({1}) failed, exit {2}; the next run exited {3} and left {4}, not {5}' -f $k, $failedAt, $failed.ExitCode, $rerun.ExitCode, $actual, $expected
    }
  }
  , $unrepaired
}
