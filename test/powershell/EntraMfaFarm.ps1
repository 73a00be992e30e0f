<#
  The AD FS farm of the Entra MFA scenarios (test/powershell/EntraMfa*.Tests.ps1), kept as state by the model in
  stubs/WindowsStubs.psm1 (New-AdfsFarmModel): dot-sourced in a BeforeAll, after Harness.ps1. The commands that are
  not AD FS cmdlets are mocked onto the model here: the server's role, its certificate store, the AD FS service
  and its probe, the clock (Start-Sleep; a scenario that needs a deadline to pass mocks Get-Date with
  Get-AdfsFarmDate: it costs a mock call per log line). Each server has its own %ProgramData% (Use-AdfsServer), where the scripts keep
  their records.

  The farm before the migration, as a reviewer would meet one: MFA for extranet access in the global rules,
  the Microsoft 365 relying party relying on them, one relying party with MFA rules of its own, and three under
  access control policies (MFA for everyone, MFA for a group with a parameter, and no MFA).
#>

$global:EntraMfaServers = @{}
$script:EntraMfaManifest = $null

Mock Get-AdfsSyncProperties { [pscustomobject]@{ Role = (Get-AdfsFarmServer).Role } }
Mock Get-ChildItem { Get-AdfsFarmCertificate } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
Mock Remove-Item { Remove-AdfsFarmCertificate -Path $LiteralPath } -ParameterFilter { $LiteralPath -like 'Cert:*' }
Mock Restart-Service { Invoke-AdfsFarmRestart -Name $Name }
Mock Invoke-WebRequest { Invoke-AdfsFarmProbe -Uri $Uri }
Mock Start-Sleep { Step-AdfsFarmClock -Seconds $Seconds }
Mock icacls.exe { $global:LASTEXITCODE = 0 }

# The claims the rules read and issue (Migrate to Microsoft Entra MFA with federation; What's new in AD FS).
$ExtranetMfaRule = 'c:[type == "http://schemas.microsoft.com/ws/2012/01/insidecorporatenetwork", value == "false"] => issue(type = "http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod", value = "http://schemas.microsoft.com/claims/multipleauthn");'
$AlwaysMfaRule = '=> issue(Type = "http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod", Value = "http://schemas.microsoft.com/claims/multipleauthn");'
$EntraMfaProvider = 'AzureMfaAuthentication'
# "981f26a1-7f43-403b-a875-f8b09b8cd720 is the GUID for Azure multifactor authentication Client" (Configure AD FS and Azure MFA).
$AzureMfaClientId = '981f26a1-7f43-403b-a875-f8b09b8cd720'
# A user in none of the migration groups.
$OtherSid = 'S-1-5-21-1004336348-1177238915-682003330-9999'
$RelyingPartyNames = @('Microsoft Office 365 Identity Platform', 'Timesheets', 'Payroll', 'Finance reports', 'Intranet wiki')

<# A farm of the environment's AD FS servers, at the state before the migration. #>
function Initialize-EntraMfaFarm {
  param([Parameter(Mandatory = $true)] $Facts, [int] $FarmBehavior = 4, [AllowEmptyString()] [string] $Adapter = 'WindowsAzureMultiFactorAuthentication')
  # A new farm is new servers: their %ProgramData% (the scripts' records) goes too.
  $global:EntraMfaServers = @{}
  Remove-Item -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'servers') -Recurse -Force -ErrorAction SilentlyContinue
  New-AdfsFarmModel -Servers $Facts.computers.adfs -Domain $Facts.domain -FarmBehavior $FarmBehavior -MfaServerAdapter $Adapter -GlobalRules $ExtranetMfaRule -RelyingParties @(
    @{ Name = 'Microsoft Office 365 Identity Platform'; AdditionalAuthenticationRules = '' }
    @{ Name = 'Timesheets'; AdditionalAuthenticationRules = $ExtranetMfaRule }
    @{ Name = 'Payroll'; AccessControlPolicyName = 'Permit everyone and require MFA' }
    @{ Name = 'Finance reports'; AccessControlPolicyName = 'Permit specific group and require MFA'; AccessControlPolicyParameters = @{ GroupParameter = @('CONTOSO\finance') } }
    @{ Name = 'Intranet wiki'; AccessControlPolicyName = 'Permit everyone' }
  ) -AccessControlPolicies @{
    'Permit everyone and require MFA' = @{ AdditionalAuthenticationRules = $AlwaysMfaRule; IssuanceAuthorizationRules = '=> issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");' }
    'Permit specific group and require MFA' = @{ AdditionalAuthenticationRules = $AlwaysMfaRule; IssuanceAuthorizationRules = 'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/groupsid", Value == "S-1-5-21-1004336348-1177238915-682003330-2001"] => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");' }
    'Permit everyone' = @{ AdditionalAuthenticationRules = ''; IssuanceAuthorizationRules = '=> issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");' }
  }
  foreach ($computer in $Facts.computers.adfs) { Use-AdfsServer -Computer $computer | Out-Null }
  Use-AdfsServer -Computer $Facts.computers.adfs[0] | Out-Null
}

<# Runs what follows on an AD FS server: its computer name and its own %ProgramData% and %SystemRoot%. #>
function Use-AdfsServer {
  param([Parameter(Mandatory = $true)] [string] $Computer)
  $name = $Computer.ToUpperInvariant()
  $root = Join-Path -Path $TestDrive -ChildPath ('servers/{0}' -f $name)
  $env:COMPUTERNAME = $name
  $env:ProgramData = Join-Path -Path $root -ChildPath 'ProgramData'
  $env:SystemRoot = Join-Path -Path $root -ChildPath 'Windows'
  New-Item -ItemType Directory -Path $env:ProgramData -Force | Out-Null
  $global:EntraMfaServers[$name] = $root
  $name
}

<#
  The farm and every server's %ProgramData% as they are now, to come back to them (Restore-EntraMfaFarm). The
  servers' files are few and small: kept in memory, read and written with .NET, which is many times faster here than
  the provider cmdlets.
#>
function Save-EntraMfaFarm {
  $root = Join-Path -Path $TestDrive -ChildPath 'servers'
  $files = @{}
  foreach ($file in [IO.Directory]::GetFiles($root, '*', [IO.SearchOption]::AllDirectories)) { $files[$file.Substring($root.Length)] = [IO.File]::ReadAllBytes($file) }
  @{ Model = Save-AdfsFarmModel; Folders = @([IO.Directory]::GetDirectories($root, '*', [IO.SearchOption]::AllDirectories) | ForEach-Object { $_.Substring($root.Length) }); Files = $files }
}

function Restore-EntraMfaFarm {
  param([Parameter(Mandatory = $true)] [hashtable] $Saved)
  Restore-AdfsFarmModel -State $Saved.Model
  $root = Join-Path -Path $TestDrive -ChildPath 'servers'
  [IO.Directory]::Delete($root, $true)
  [void][IO.Directory]::CreateDirectory($root)
  foreach ($folder in $Saved.Folders) { [void][IO.Directory]::CreateDirectory($root + $folder) }
  foreach ($file in $Saved.Files.Keys) { [IO.File]::WriteAllBytes($root + $file, $Saved.Files[$file]) }
}

<# The computer name of the n-th AD FS server (adfs-1 is the WID primary). #>
function Get-AdfsComputer { param($Facts, [int] $Number) $Facts.computers.adfs[$Number - 1].ToUpperInvariant() }

<#
  A script of prod at a stage, from the manifest: its kind, and for a script that differs by server, the server id
  (adfs-2) its Run Command belongs to.
#>
function Get-EntraMfaScript {
  param([Parameter(Mandatory = $true)] [string] $Stage, [Parameter(Mandatory = $true)] [string] $Kind, [string] $Server, [int] $Generation)
  # Read once: the manifest is large, and a deploy looks up a dozen scripts.
  if ($null -eq $script:EntraMfaManifest) { $script:EntraMfaManifest = Get-ScriptManifest }
  $manifest = $script:EntraMfaManifest
  $label = 'prod-{0}' -f $Stage
  $entry = @($manifest.scripts | Where-Object {
      $_.env -eq $label -and $_.kind -eq $Kind -and (-not $Server -or $_.address -like ('*_{0}_*' -f $Server)) -and (-not $Generation -or $_.address -like ('*entra-mfa-certificate-{0}_*' -f $Generation))
    }) | Select-Object -First 1
  if ($null -eq $entry) { throw ('no {0} script of {1} at {2}' -f $Kind, $Server, $label) }
  [pscustomobject]@{
    Name = '{0} ({1})' -f $Kind, $entry.address; Kind = $Kind; Tier = $entry.tier; Parameters = @($entry.parameters)
    Path = Join-Path -Path (Split-Path -Path $env:MFA_HA_SCRIPT_MANIFEST -Parent) -ChildPath $entry.file
    Facts = @($manifest.environments | Where-Object { $_.env -eq $label })[0]
  }
}

<#
  The Run Commands of a stage on the AD FS farm, in the order Terraform runs them (constructs/entra-mfa-on-adfs.ts,
  whose order test/constructs/entra-mfa-on-adfs.test.ts checks): the certificates of every server, the tenant
  on the primary, then at parallel the restarts before the policy, and from entra on the policy before them.
#>
$script:EntraMfaRunOrders = @{}
function Get-EntraMfaRunOrder {
  param([Parameter(Mandatory = $true)] [string] $Stage)
  if ($script:EntraMfaRunOrders.ContainsKey($Stage)) { return $script:EntraMfaRunOrders[$Stage] }
  $script:EntraMfaRunOrders[$Stage] = @(Get-EntraMfaRunOrderOf -Stage $Stage)
  $script:EntraMfaRunOrders[$Stage]
}

function Get-EntraMfaRunOrderOf {
  param([Parameter(Mandatory = $true)] [string] $Stage)
  $facts = (Get-EntraMfaScript -Stage $Stage -Kind 'entra-mfa-policy').Facts
  $servers = 1..$facts.computers.adfs.Count
  $policy = @{ Server = 1; Script = Get-EntraMfaScript -Stage $Stage -Kind 'entra-mfa-policy' }
  if ($Stage -eq 'mfa-server') { return @($policy) }
  $generation = $facts.migration.adfsCertificateGeneration
  $order = @()
  foreach ($n in $servers) {
    foreach ($g in @(($generation - 1), $generation) | Where-Object { $_ -ge 1 }) { $order += @{ Server = $n; Script = Get-EntraMfaScript -Stage $Stage -Kind 'entra-mfa-certificate' -Server ('adfs-{0}' -f $n) -Generation $g } }
  }
  $order += @{ Server = 1; Script = Get-EntraMfaScript -Stage $Stage -Kind 'entra-mfa-tenant' }
  $restarts = @($servers | ForEach-Object { @{ Server = $_; Script = Get-EntraMfaScript -Stage $Stage -Kind 'entra-mfa-restart' -Server ('adfs-{0}' -f $_) } })
  if ($Stage -eq 'parallel') { $order + $restarts + @($policy) } else { $order + @($policy) + $restarts }
}

<#
  Deploys a stage's Run Commands in order, as `cdktf deploy` does: a script that fails stops the deploy (the
  results so far are returned, the last one failed); -From starts at a later Run Command, as the next deploy
  starts at the one that failed; -Before runs before each Run Command, given its index.
#>
function Invoke-EntraMfaDeploy {
  param([Parameter(Mandatory = $true)] [string] $Stage, [int] $From = 0, [scriptblock] $Before = {})
  $order = @(Get-EntraMfaRunOrder -Stage $Stage)
  $facts = $order[0].Script.Facts
  for ($i = $From; $i -lt $order.Count; $i++) {
    & $Before $i
    Use-AdfsServer -Computer (Get-AdfsComputer -Facts $facts -Number $order[$i].Server) | Out-Null
    $calls = (Get-AdfsFarmModel).Calls.Count
    $run = Invoke-GeneratedScript -Script $order[$i].Script
    # Calls is the farm's call log of this Run Command.
    [pscustomobject]@{ Index = $i; Script = $order[$i].Script.Kind; Server = $order[$i].Server; ExitCode = $run.ExitCode; Text = $run.Text; Calls = @((Get-AdfsFarmModel).Calls | Select-Object -Skip $calls) }
    if ($run.ExitCode -ne 0) { return }
  }
}

<# The provider AD FS offers a user of a relying party from outside the corporate network. #>
function Get-OfferedProvider {
  param([string[]] $GroupSids = @(), [string] $RelyingParty = 'Microsoft Office 365 Identity Platform')
  $result = Resolve-AdfsAdditionalAuthentication -GroupSids $GroupSids -RelyingParty $RelyingParty -InsideCorporateNetwork $false
  if (-not $result.MfaRequired) { return 'no MFA' }
  ($result.Offered -join ', ')
}
