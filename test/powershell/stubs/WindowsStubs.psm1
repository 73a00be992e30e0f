<#
  Stubs of the commands the generated scripts call that exist only on Windows Server. Each declares the
  parameter names, parameter sets, types and Mandatory flags of the real command, from the Microsoft Learn
  page cited beside it, so that PowerShell's own parameter binding judges every call a script makes: a wrong
  name, a missing mandatory argument or an argument in the wrong place fails the test as it would fail on the
  server. Pester's Mock copies a stub's parameters, so a mocked call is bound the same way.

  Every stub throws: a scenario mocks what it lets a script call, and a call it did not expect fails loudly.
  Types only Windows has are given as the nearest type PowerShell on Linux knows, said beside them
  (Microsoft.Management.Infrastructure.CimSession, the ServerManager Feature, DnsClient's RecordType).
  Common parameters (-ErrorAction, -WhatIf through SupportsShouldProcess) come with [CmdletBinding()].
#>

Set-StrictMode -Version Latest

$script:Unmocked = 'stub: mock me'

# --- AD FS (module ADFS) ---------------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/adfs/install-adfsfarm
function Install-AdfsFarm {
  [CmdletBinding(DefaultParameterSetName = 'ADFSFarmCreateLocalDatabase', SupportsShouldProcess = $true)]
  param(
    [string] $CertificateThumbprint,
    [pscredential] $Credential,
    [Parameter(Mandatory = $true)] [string] $FederationServiceName,
    [string] $FederationServiceDisplayName,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabase')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabase')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [pscredential] $ServiceAccountCredential,
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseDisableAutoCertRolloverGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $GroupServiceAccountIdentifier,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseDisableAutoCertRolloverGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $DecryptionCertificateThumbprint,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseDisableAutoCertRolloverGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $SigningCertificateThumbprint,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabase')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $SQLConnectionString,
    [switch] $OverwriteConfiguration,
    [int] $SSLPort,
    [int] $TlsClientPort,
    [hashtable] $AdminConfiguration
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/add-adfsfarmnode
function Add-AdfsFarmNode {
  [CmdletBinding(DefaultParameterSetName = 'AdfsFarmJoinWidGmsa', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinSqlGmsa')]
    [string] $GroupServiceAccountIdentifier,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinSqlSvcAcct')]
    [pscredential] $ServiceAccountCredential,
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [string] $PrimaryComputerName,
    [Parameter(ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [int] $PrimaryComputerPort,
    [Parameter(ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [switch] $OverwriteConfiguration,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinSqlSvcAcct')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinSqlGmsa')]
    [string] $SQLConnectionString,
    [Parameter(ParameterSetName = 'ADFSFarmJoinSqlSvcAcct')]
    [Parameter(ParameterSetName = 'AdfsFarmJoinSqlGmsa')]
    [int] $FarmBehavior,
    [string] $CertificateThumbprint,
    [pscredential] $Credential
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfssyncproperties
function Get-AdfsSyncProperties {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfscertificate
function Get-AdfsCertificate {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [ValidateSet('Service-Communications', 'Token-Decrypting', 'Token-Signing')] [string[]] $CertificateType,
    [string[]] $Thumbprint
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfscertificate
function Set-AdfsCertificate {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true)] [ValidateSet('Service-Communications', 'Token-Decrypting', 'Token-Signing')] [string] $CertificateType,
    [Parameter(Mandatory = $true)] [string] $Thumbprint,
    [switch] $IsPrimary,
    [switch] $PassThru
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfssslcertificate
# (its output: HostName, PortNumber and CertificateHash of each AD FS binding of this server)
function Get-AdfsSslCertificate {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# --- AD FS with Microsoft Entra MFA, as state ------------------------------------------------------------

<#
  An AD FS farm as data, for the Entra MFA scripts (constructs/scripts/entra-mfa-*.ts): what the farm's
  configuration holds (its behaviour level, the Azure MFA tenant, the registered providers, the global policy's
  additional providers, the global and per-relying-party additional-authentication rules, the access control
  policies), and per server what Windows holds (LocalMachine\My, the AD FS service, what configuration the service
  loaded when it last started, its probe). The stubs below change and report this state as the cmdlets do; a
  scenario compares states (Get-AdfsFarmState) and evaluates the rules the farm holds
  (Resolve-AdfsAdditionalAuthentication). Without a model (New-AdfsFarmModel) every one of them throws, as the other
  stubs do. Set-AdfsFarmFailure makes the n-th next call of a command throw before it changes anything.

  What the model assumes beyond the cmdlet pages is marked [inference] where it is written.
#>
$script:AdfsFarm = $null

<# A new farm: its servers (computer names, the first the WID primary), the MFA Server adapter and the rules it holds. #>
function New-AdfsFarmModel {
  param(
    [Parameter(Mandatory = $true)] [string[]] $Servers,
    [Parameter(Mandatory = $true)] [string] $Domain,
    [int] $FarmBehavior = 4,
    [AllowEmptyString()] [string] $MfaServerAdapter = 'WindowsAzureMultiFactorAuthentication',
    [AllowEmptyString()] [string] $GlobalRules = '',
    [hashtable[]] $RelyingParties = @(),
    [hashtable] $AccessControlPolicies = @{}
  )
  $registered = [System.Collections.Generic.List[string]]::new()
  'FormsAuthentication', 'WindowsAuthentication', 'CertificateAuthentication' | ForEach-Object { $registered.Add($_) }
  if ($MfaServerAdapter) { $registered.Add($MfaServerAdapter) }
  $parties = [ordered]@{}
  foreach ($party in $RelyingParties) {
    $parties[$party['Name']] = [ordered]@{
      Name = $party['Name']; AdditionalAuthenticationRules = [string]$party['AdditionalAuthenticationRules']; IssuanceAuthorizationRules = [string]$party['IssuanceAuthorizationRules']
      AccessControlPolicyName = [string]$party['AccessControlPolicyName']; AccessControlPolicyParameters = $party['AccessControlPolicyParameters']
    }
  }
  $script:AdfsFarm = @{
    Domain = $Domain; FarmBehavior = $FarmBehavior; Tick = 0; Epoch = Get-Date; Calls = [System.Collections.Generic.List[object]]::new(); Failures = @{}
    Tenant = $null; Registered = $registered; AdapterTypes = @{}; Additional = @($(if ($MfaServerAdapter) { $MfaServerAdapter }))
    GlobalRules = $GlobalRules; RelyingParties = $parties; AccessControlPolicies = $AccessControlPolicies
    Servers = [ordered]@{}
  }
  if ($MfaServerAdapter) { $script:AdfsFarm.AdapterTypes[$MfaServerAdapter] = 'pfadfs.AuthenticationAdapter, MultiFactorAuthenticationAdfsAdapter' }
  $first = $true
  foreach ($name in $Servers) {
    $script:AdfsFarm.Servers[$name.ToUpperInvariant()] = @{
      Name = $name.ToUpperInvariant(); Fqdn = ('{0}.{1}' -f $name, $Domain).ToLowerInvariant(); Role = $(if ($first) { 'PrimaryComputer' } else { 'SecondaryComputer' })
      Store = [System.Collections.Generic.List[object]]::new(); DownUntil = -1; Restarts = [System.Collections.Generic.List[object]]::new(); Loaded = $null
    }
    $first = $false
  }
  foreach ($server in $script:AdfsFarm.Servers.Values) { $server.Loaded = Get-AdfsFarmConfiguration }
}

<# A deep copy of the model's data (certificates, strings and numbers are immutable: shared). #>
function Copy-AdfsFarmValue {
  param($Value)
  if ($null -eq $Value) { return $null }
  if ($Value -is [System.Collections.Specialized.OrderedDictionary]) { $copy = [ordered]@{}; foreach ($k in $Value.Keys) { $copy[$k] = Copy-AdfsFarmValue $Value[$k] }; return $copy }
  if ($Value -is [hashtable]) { $copy = @{}; foreach ($k in $Value.Keys) { $copy[$k] = Copy-AdfsFarmValue $Value[$k] }; return $copy }
  if ($Value -is [System.Collections.IList] -and $Value -isnot [array]) {
    $copy = [Activator]::CreateInstance($Value.GetType())
    foreach ($item in $Value) { [void]$copy.Add((Copy-AdfsFarmValue $item)) }
    return , $copy
  }
  if ($Value -is [array]) { return , @($Value | ForEach-Object { Copy-AdfsFarmValue $_ }) }
  if ($Value.GetType() -eq [System.Management.Automation.PSCustomObject]) { $copy = [ordered]@{}; foreach ($p in $Value.PSObject.Properties) { $copy[$p.Name] = Copy-AdfsFarmValue $p.Value }; return [pscustomobject]$copy }
  $Value
}

<#
  The model as it is now, to go back to it later (Restore-AdfsFarmModel), as many times as needed; without its call
  log, which only records what happened (a restored model starts a new one).
#>
function Save-AdfsFarmModel {
  $farm = Get-AdfsFarmModel
  $calls = $farm.Calls
  $farm.Calls = $null
  try { Copy-AdfsFarmValue $farm } finally { $farm.Calls = $calls }
}
function Restore-AdfsFarmModel {
  param([Parameter(Mandatory = $true)] [hashtable] $State)
  $script:AdfsFarm = Copy-AdfsFarmValue $State
  $script:AdfsFarm.Calls = [System.Collections.Generic.List[object]]::new()
}

<# The model itself, to read or arrange it. #>
function Get-AdfsFarmModel { if ($null -eq $script:AdfsFarm) { throw $script:Unmocked }; $script:AdfsFarm }

<# The server a call runs on: the one named by $env:COMPUTERNAME. #>
function Get-AdfsFarmServer {
  param([string] $Name = $env:COMPUTERNAME)
  $server = (Get-AdfsFarmModel).Servers[$Name.ToUpperInvariant()]
  if ($null -eq $server) { throw ('AD FS model: no server {0}' -f $Name) }
  $server
}

<# Records a call of a command on the current server, and throws the failure arranged for it. #>
function Register-AdfsFarmCall {
  param([Parameter(Mandatory = $true)] [string] $Command, [string] $Detail = '')
  $farm = Get-AdfsFarmModel
  $farm.Calls.Add([pscustomobject]@{ Tick = $farm.Tick; Server = $env:COMPUTERNAME.ToUpperInvariant(); Command = $Command; Detail = $Detail })
  $failure = $farm.Failures[$Command]
  if ($null -ne $failure) {
    if ($failure.Skip -gt 0) { $failure.Skip-- } else { $farm.Failures.Remove($Command); throw $failure.Message }
  }
}

<# Makes the call of -Command after -Skip more calls throw -Message, before it changes anything. #>
function Set-AdfsFarmFailure {
  param([Parameter(Mandatory = $true)] [string] $Command, [string] $Message = 'MSIS7012: An error occurred while processing the request.', [int] $Skip = 0)
  (Get-AdfsFarmModel).Failures[$Command] = @{ Message = $Message; Skip = $Skip }
}

<# What AD FS loads when it starts: the tenant and the registered providers (Set-AdfsAzureMfaTenant and (un)registering an adapter take a restart). #>
function Get-AdfsFarmConfiguration {
  $farm = Get-AdfsFarmModel
  $tenant = if ($farm.Tenant) { '{0}/{1}' -f $farm.Tenant.TenantId, $farm.Tenant.ClientId } else { 'none' }
  'tenant={0};providers={1}' -f $tenant, ((@($farm.Registered) | Sort-Object) -join ',')
}

<#
  The farm's configuration and every server's service as one comparable text: what a scenario compares before
  and after, or between a clean run and a run that failed half way and ran again.
#>
function Get-AdfsFarmState {
  param([switch] $WithoutServers)
  $farm = Get-AdfsFarmModel
  $state = [ordered]@{
    FarmBehavior = $farm.FarmBehavior
    Tenant = if ($farm.Tenant) { '{0}/{1}' -f $farm.Tenant.TenantId, $farm.Tenant.ClientId } else { $null }
    Registered = @($farm.Registered | Sort-Object)
    Additional = @($farm.Additional | Sort-Object)
    GlobalRules = $farm.GlobalRules
    RelyingParties = @($farm.RelyingParties.Values | ForEach-Object { [ordered]@{ Name = $_.Name; Rules = $_.AdditionalAuthenticationRules; Policy = $_.AccessControlPolicyName; Parameters = ($_.AccessControlPolicyParameters | ConvertTo-Json -Compress -Depth 4) } })
  }
  if (-not $WithoutServers) {
    $state.Servers = @($farm.Servers.Values | ForEach-Object { [ordered]@{ Name = $_.Name; Loaded = $_.Loaded; Up = ($_.DownUntil -le $farm.Tick) } })
  }
  $state | ConvertTo-Json -Depth 6
}

<# A tenant certificate as New-AdfsAzureMfaTenantCertificate makes it: self-signed, CN=<tenant>, OU=Microsoft AD FS Azure MFA, with its key. #>
function New-AdfsTenantCertificate {
  param([Parameter(Mandatory = $true)] [string] $TenantId, [datetime] $NotBefore = (Get-Date).AddMinutes(-5), [datetime] $NotAfter = (Get-Date).AddYears(2))
  # ECDSA rather than RSA only to keep the tests fast: the scripts never look at the key.
  $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
  $name = [System.Security.Cryptography.X509Certificates.X500DistinguishedName]::new(('CN={0}, OU=Microsoft AD FS Azure MFA' -f $TenantId))
  $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($name, $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
  $request.CreateSelfSigned([DateTimeOffset]$NotBefore, [DateTimeOffset]$NotAfter)
}

<# LocalMachine\My of the current server, as Get-ChildItem Cert:\LocalMachine\My lists it. #>
function Get-AdfsFarmCertificate { @((Get-AdfsFarmServer).Store) }

<# Remove-Item Cert:\LocalMachine\My\<thumbprint> on the current server. #>
function Remove-AdfsFarmCertificate {
  param([Parameter(Mandatory = $true)] [string[]] $Path)
  foreach ($item in $Path) {
    Register-AdfsFarmCall -Command 'Remove-Item' -Detail $item
    $thumbprint = $item -replace '^.*\\', ''
    $store = (Get-AdfsFarmServer).Store
    $found = @($store | Where-Object { $_.Thumbprint -eq $thumbprint })
    if ($found.Count -eq 0) { throw ("Cannot find path '{0}' because it does not exist." -f $item) }
    [void]$store.Remove($found[0])
  }
}

<# Restart-Service adfssrv on the current server: the service loads the farm's configuration; who was down meanwhile is noted. #>
function Invoke-AdfsFarmRestart {
  param([Parameter(Mandatory = $true)] [string[]] $Name)
  Register-AdfsFarmCall -Command 'Restart-Service' -Detail ($Name -join ',')
  if ($Name -ne 'adfssrv') { throw ('AD FS model: no service {0}' -f ($Name -join ',')) }
  $farm = Get-AdfsFarmModel
  $server = Get-AdfsFarmServer
  $down = @($farm.Servers.Values | Where-Object { $_.Name -ne $server.Name -and $_.DownUntil -gt $farm.Tick } | ForEach-Object { $_.Name })
  $server.Restarts.Add([pscustomobject]@{ Tick = $farm.Tick; OthersDown = $down })
  $server.Loaded = Get-AdfsFarmConfiguration
  # Down for a while: its own probe answers again after the script's first wait.
  $server.DownUntil = $farm.Tick + 15
}

<# Invoke-WebRequest http://<fqdn>/adfs/probe: 200 where AD FS is up, an error otherwise. #>
function Invoke-AdfsFarmProbe {
  param([Parameter(Mandatory = $true)] [uri] $Uri)
  $farm = Get-AdfsFarmModel
  $server = @($farm.Servers.Values | Where-Object { $_.Fqdn -eq $Uri.Host.ToLowerInvariant() }) | Select-Object -First 1
  if ($null -eq $server -or $Uri.AbsolutePath -ne '/adfs/probe' -or $server.DownUntil -gt $farm.Tick) { throw ('Unable to connect to the remote server ({0})' -f $Uri.Host) }
  [pscustomobject]@{ StatusCode = 200 }
}

<# Start-Sleep: the model's clock moves on. #>
function Step-AdfsFarmClock { param([int] $Seconds = 1) (Get-AdfsFarmModel).Tick += [Math]::Max($Seconds, 1) }

<# Get-Date on the model's clock: the time the model was made, plus the seconds slept since. #>
function Get-AdfsFarmDate { $farm = Get-AdfsFarmModel; $farm.Epoch.AddSeconds($farm.Tick) }

<#
  The claim rule language, as far as these rules use it: rules `[@Name = "…"]* conditions => issue(Type = "…",
  Value = "…");`, conditions joined by && (`c:[…]`, `[…]`, `exists([…])`, `not exists([…])`), each a list of
  `Type`/`Value` `==`, `!=` or `=~` "…". Text it cannot read throws, as AD FS refuses a rule set it cannot parse
  ("The claim rule language", https://learn.microsoft.com/windows-server/identity/ad-fs/technical-reference/the-role-of-the-claim-rule-language).
#>
$script:ParsedClaimRules = @{}
function ConvertFrom-AdfsClaimRule {
  param([AllowNull()] [AllowEmptyString()] [string] $Rules)
  $text = [string]$Rules
  # A rule set is parsed once: the scenarios evaluate the same few many times.
  if ($script:ParsedClaimRules.ContainsKey($text)) { return , $script:ParsedClaimRules[$text] }
  $rule = [regex]'(?s)\G\s*((?:@\w+\s*=\s*"[^"]*"\s*)*)(.*?)=>\s*issue\s*\(([^)]*)\)\s*;'
  $predicate = '^\s*(type|value)\s*(==|!=|=~)\s*"([^"]*)"\s*$'
  $readBracket = {
    param($Inner)
    @(([string]$Inner -split ',') | ForEach-Object {
        if ($_ -notmatch $predicate) { throw ('MSIS3195: claim rule condition not understood: [{0}]' -f $Inner) }
        [pscustomobject]@{ Field = $Matches[1].ToLowerInvariant(); Op = $Matches[2]; Value = $Matches[3] }
      })
  }
  $parsed = @()
  $at = 0
  foreach ($match in $rule.Matches($text)) {
    $at = $match.Index + $match.Length
    $conditions = @()
    foreach ($part in @(($match.Groups[2].Value -split '&&') | ForEach-Object { $_.Trim() } | Where-Object { $_ })) {
      if ($part -match '(?s)^(not\s+)?exists\s*\(\s*\[(.*)\]\s*\)$') { $conditions += [pscustomobject]@{ Negated = [bool]$Matches[1]; Predicates = & $readBracket $Matches[2] } }
      elseif ($part -match '(?s)^(?:\w+\s*:\s*)?\[(.*)\]$') { $conditions += [pscustomobject]@{ Negated = $false; Predicates = & $readBracket $Matches[1] } }
      else { throw ('MSIS3195: claim rule condition not understood: {0}' -f $part) }
    }
    $issue = @{}
    foreach ($argument in @($match.Groups[3].Value -split ',')) {
      if ($argument -notmatch '^\s*(type|value)\s*=\s*"([^"]*)"\s*$') { throw ('MSIS3195: issuance not understood: {0}' -f $match.Groups[3].Value) }
      $issue[$Matches[1].ToLowerInvariant()] = $Matches[2]
    }
    if (-not $issue.type -or $null -eq $issue.value) { throw ('MSIS3195: issuance without a type and a value: {0}' -f $match.Groups[3].Value) }
    $parsed += [pscustomobject]@{ Name = $match.Groups[1].Value.Trim(); Conditions = $conditions; Type = $issue.type; Value = $issue.value }
  }
  if ($text.Substring($at).Trim()) { throw ('MSIS3195: claim rules not understood from: {0}' -f $text.Substring($at).Trim()) }
  $script:ParsedClaimRules[$text] = $parsed
  , $parsed
}

<# The claims a rule set issues for the incoming claims (each @{ Type; Value }). #>
function Invoke-AdfsClaimRule {
  param([AllowNull()] [AllowEmptyString()] [string] $Rules, [object[]] $Claims)
  $matchesClaim = {
    param($Claim, $Predicates)
    foreach ($p in $Predicates) {
      $actual = if ($p.Field -eq 'type') { $Claim.Type } else { $Claim.Value }
      $ok = switch ($p.Op) { '==' { $actual -ceq $p.Value } '!=' { $actual -cne $p.Value } '=~' { $actual -cmatch $p.Value } }
      if (-not $ok) { return $false }
    }
    $true
  }
  foreach ($rule in (ConvertFrom-AdfsClaimRule -Rules $Rules)) {
    $fires = $true
    foreach ($condition in $rule.Conditions) {
      $present = @($Claims | Where-Object { & $matchesClaim $_ $condition.Predicates }).Count -gt 0
      if ($present -eq $condition.Negated) { $fires = $false; break }
    }
    if ($fires) { [pscustomobject]@{ Type = $rule.Type; Value = $rule.Value } }
  }
}

<#
  What AD FS does for a user of a relying party after the first factor: whether the additional-authentication
  rules (global, and the relying party's own or its access control policy's) require MFA, and which additional
  providers it offers: the ones an authnmethodsproviders claim names, or every additional provider when none is
  issued ("AD FS falls back to show all the extra auth providers", What's new in AD FS, "How to choose additional
  auth providers in 2019").
#>
function Resolve-AdfsAdditionalAuthentication {
  param([string[]] $GroupSids = @(), [Parameter(Mandatory = $true)] [string] $RelyingParty, [bool] $InsideCorporateNetwork = $false)
  $farm = Get-AdfsFarmModel
  $claims = @($GroupSids | ForEach-Object { @{ Type = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groupsid'; Value = $_ } })
  $claims += @{ Type = 'http://schemas.microsoft.com/ws/2012/01/insidecorporatenetwork'; Value = ([string]$InsideCorporateNetwork).ToLowerInvariant() }
  $party = $farm.RelyingParties[$RelyingParty]
  $own = if ($party.AccessControlPolicyName) { $farm.AccessControlPolicies[$party.AccessControlPolicyName]['AdditionalAuthenticationRules'] } else { $party.AdditionalAuthenticationRules }
  $issued = @(Invoke-AdfsClaimRule -Rules $farm.GlobalRules -Claims $claims) + @(Invoke-AdfsClaimRule -Rules $own -Claims $claims)
  $required = @($issued | Where-Object { $_.Type -eq 'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod' -and $_.Value -eq 'http://schemas.microsoft.com/claims/multipleauthn' }).Count -gt 0
  $named = @($issued | Where-Object { $_.Type -eq 'http://schemas.microsoft.com/claims/authnmethodsproviders' } | ForEach-Object { $_.Value } | Sort-Object -Unique)
  [pscustomobject]@{
    MfaRequired = $required
    Offered = @($(if ($named.Count -gt 0) { $named | Where-Object { $_ -in $farm.Additional } } else { $farm.Additional }) | Sort-Object)
  }
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfsfarminformation
# (its output: CurrentFarmBehavior and FarmNodes, as the farm behaviour level page reads them)
function Get-AdfsFarmInformation {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param()
  Register-AdfsFarmCall -Command 'Get-AdfsFarmInformation'
  $farm = Get-AdfsFarmModel
  [pscustomobject]@{ CurrentFarmBehavior = $farm.FarmBehavior; FarmNodes = @($farm.Servers.Values | ForEach-Object { $_.Fqdn }) }
}

# https://learn.microsoft.com/powershell/module/adfs/new-adfsazuremfatenantcertificate
# Finds the certificate CN=<tenant>, OU=Microsoft AD FS Azure MFA in LocalMachine\My, or makes one valid two years;
# with -Renew $true, one valid from two days on, for two years (Configure AD FS and Azure MFA, "Renew and manage
# AD FS Azure MFA certificates"); -Renew on an expired certificate fails with "Object reference not set to an
# instance of an object" (MicrosoftDocs/windowsserverdocs issue 4909). Returns the certificate, base64.
function New-AdfsAzureMfaTenantCertificate {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true)] [string] $TenantId, [bool] $Renew)
  Register-AdfsFarmCall -Command 'New-AdfsAzureMfaTenantCertificate' -Detail ('Renew={0}' -f $Renew)
  $server = Get-AdfsFarmServer
  $subject = 'CN={0}, OU=Microsoft AD FS Azure MFA' -f $TenantId
  $existing = @($server.Store | Where-Object { $_.Subject -eq $subject } | Sort-Object -Property NotBefore -Descending)
  if ($Renew) {
    if ($existing.Count -eq 0 -or $existing[0].NotAfter -le (Get-Date)) { throw 'Object reference not set to an instance of an object.' }
    $made = New-AdfsTenantCertificate -TenantId $TenantId -NotBefore (Get-Date).AddDays(2) -NotAfter (Get-Date).AddDays(2).AddYears(2)
  } elseif ($existing.Count -gt 0) {
    return [Convert]::ToBase64String($existing[0].RawData)
  } else {
    $made = New-AdfsTenantCertificate -TenantId $TenantId
  }
  $server.Store.Add($made)
  [Convert]::ToBase64String($made.RawData)
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfsazuremfatenant
# [inference] AzureMfaAuthentication is listed by Get-AdfsAuthenticationProvider once the farm has a tenant.
function Set-AdfsAzureMfaTenant {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true)] [string] $TenantId, [Parameter(Mandatory = $true)] [string] $ClientId)
  Register-AdfsFarmCall -Command 'Set-AdfsAzureMfaTenant'
  $farm = Get-AdfsFarmModel
  if ((Get-AdfsFarmServer).Role -ne 'PrimaryComputer') { throw 'ADMIN0026: the configuration can only be changed on the primary server' }
  $farm.Tenant = @{ TenantId = $TenantId; ClientId = $ClientId }
  if ('AzureMfaAuthentication' -notin $farm.Registered) { $farm.Registered.Add('AzureMfaAuthentication') }
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfsazuremfaconfigured
function Get-AdfsAzureMfaConfigured {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param()
  Register-AdfsFarmCall -Command 'Get-AdfsAzureMfaConfigured'
  $null -ne (Get-AdfsFarmModel).Tenant
}

# https://learn.microsoft.com/powershell/module/adfs/export-adfsauthenticationproviderconfigurationdata
# "returns a file containing the tenant ID … as well as the well-known client ID": its format is not documented.
function Export-AdfsAuthenticationProviderConfigurationData {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $FilePath)
  Register-AdfsFarmCall -Command 'Export-AdfsAuthenticationProviderConfigurationData'
  $farm = Get-AdfsFarmModel
  if ($Name -notin $farm.Registered) { throw ('MSIS7606: no authentication provider {0}' -f $Name) }
  $text = if ($Name -eq 'AzureMfaAuthentication' -and $farm.Tenant) { 'TenantId={0}; ClientId={1}' -f $farm.Tenant.TenantId, $farm.Tenant.ClientId } else { '' }
  Set-Content -LiteralPath $FilePath -Value $text
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfsauthenticationprovider
function Get-AdfsAuthenticationProvider {
  [CmdletBinding()]
  param([Parameter(Position = 0)] [string] $Name)
  Register-AdfsFarmCall -Command 'Get-AdfsAuthenticationProvider'
  $farm = Get-AdfsFarmModel
  @($farm.Registered | Where-Object { -not $Name -or $_ -eq $Name } | ForEach-Object {
      [pscustomobject]@{ Name = $_; AdminName = $_; AllowedForAdditionalAuthentication = $_ -notin 'FormsAuthentication', 'WindowsAuthentication'; IsCustom = $farm.AdapterTypes.ContainsKey($_) }
    })
}

# https://learn.microsoft.com/powershell/module/adfs/register-adfsauthenticationprovider
function Register-AdfsAuthenticationProvider {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true)] [string] $TypeName, [Parameter(Mandatory = $true)] [string] $Name, [string] $ConfigurationFilePath)
  Register-AdfsFarmCall -Command 'Register-AdfsAuthenticationProvider'
  $farm = Get-AdfsFarmModel
  if ($Name -in $farm.Registered) { throw ('MSIS7604: an authentication provider {0} is already registered' -f $Name) }
  $farm.Registered.Add($Name)
  $farm.AdapterTypes[$Name] = $TypeName
}

# https://learn.microsoft.com/powershell/module/adfs/unregister-adfsauthenticationprovider
# [inference] a provider the global policy still offers cannot be unregistered.
function Unregister-AdfsAuthenticationProvider {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true, Position = 0)] [string] $Name)
  Register-AdfsFarmCall -Command 'Unregister-AdfsAuthenticationProvider'
  $farm = Get-AdfsFarmModel
  if ($Name -notin $farm.Registered) { throw ('MSIS7606: no authentication provider {0}' -f $Name) }
  if ($Name -in $farm.Additional) { throw ('MSIS7607: {0} is used by the global authentication policy' -f $Name) }
  [void]$farm.Registered.Remove($Name)
  $farm.AdapterTypes.Remove($Name)
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfsglobalauthenticationpolicy
function Get-AdfsGlobalAuthenticationPolicy {
  [CmdletBinding()]
  param()
  Register-AdfsFarmCall -Command 'Get-AdfsGlobalAuthenticationPolicy'
  [pscustomobject]@{
    AdditionalAuthenticationProvider = @((Get-AdfsFarmModel).Additional)
    DeviceAuthenticationEnabled = $false; PrimaryIntranetAuthenticationProvider = @('WindowsAuthentication'); PrimaryExtranetAuthenticationProvider = @('FormsAuthentication'); WindowsIntegratedFallbackEnabled = $true
  }
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfsglobalauthenticationpolicy
# (-DeviceAuthenticationMethod and -ClientAuthenticationMethods are enumerations of the ADFS module: string here)
function Set-AdfsGlobalAuthenticationPolicy {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [string[]] $AdditionalAuthenticationProvider,
    [bool] $DeviceAuthenticationEnabled,
    [string] $DeviceAuthenticationMethod,
    [bool] $AllowDeviceAuthAsPrimaryForDomainJoinedDevices,
    [string[]] $PrimaryExtranetAuthenticationProvider,
    [string[]] $PrimaryIntranetAuthenticationProvider,
    [bool] $WindowsIntegratedFallbackEnabled,
    [string] $ClientAuthenticationMethods,
    [switch] $PassThru
  )
  Register-AdfsFarmCall -Command 'Set-AdfsGlobalAuthenticationPolicy' -Detail ($AdditionalAuthenticationProvider -join ',')
  $farm = Get-AdfsFarmModel
  if ($PSBoundParameters.ContainsKey('AdditionalAuthenticationProvider')) {
    $unknown = @($AdditionalAuthenticationProvider | Where-Object { $_ -notin $farm.Registered })
    if ($unknown.Count -gt 0) { throw ('MSIS7602: the authentication provider {0} is not registered' -f ($unknown -join ', ')) }
    $farm.Additional = @($AdditionalAuthenticationProvider | Where-Object { $_ })
  }
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfsadditionalauthenticationrule
# (the rule set as text; nothing when there is none)
function Get-AdfsAdditionalAuthenticationRule {
  [CmdletBinding()]
  param()
  Register-AdfsFarmCall -Command 'Get-AdfsAdditionalAuthenticationRule'
  $rules = (Get-AdfsFarmModel).GlobalRules
  if ($rules) { $rules }
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfsadditionalauthenticationrule
function Set-AdfsAdditionalAuthenticationRule {
  [CmdletBinding(DefaultParameterSetName = 'RuleSets', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'RuleSets', ValueFromPipeline = $true)] [AllowEmptyString()] [string] $AdditionalAuthenticationRules,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'RuleSetFile')] [string] $AdditionalAuthenticationRulesFile,
    [switch] $PassThru
  )
  Register-AdfsFarmCall -Command 'Set-AdfsAdditionalAuthenticationRule'
  if ($PSCmdlet.ParameterSetName -eq 'RuleSetFile') { $AdditionalAuthenticationRules = Get-Content -LiteralPath $AdditionalAuthenticationRulesFile -Raw }
  $null = ConvertFrom-AdfsClaimRule -Rules $AdditionalAuthenticationRules
  (Get-AdfsFarmModel).GlobalRules = $AdditionalAuthenticationRules
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfsrelyingpartytrust
function Get-AdfsRelyingPartyTrust {
  [CmdletBinding(DefaultParameterSetName = 'RelyingPartyName')]
  param(
    [Parameter(Position = 0, ParameterSetName = 'RelyingPartyName', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [string[]] $Name,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Identifier', ValueFromPipeline = $true)] [string[]] $Identifier,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'PrefixIdentifier', ValueFromPipeline = $true)] [string] $PrefixIdentifier
  )
  Register-AdfsFarmCall -Command 'Get-AdfsRelyingPartyTrust'
  @((Get-AdfsFarmModel).RelyingParties.Values | Where-Object { -not $Name -or $_.Name -in $Name } | ForEach-Object {
      [pscustomobject]@{
        Name = $_.Name; AdditionalAuthenticationRules = $(if ($_.AdditionalAuthenticationRules) { $_.AdditionalAuthenticationRules } else { $null })
        IssuanceAuthorizationRules = $_.IssuanceAuthorizationRules; AccessControlPolicyName = $(if ($_.AccessControlPolicyName) { $_.AccessControlPolicyName } else { $null })
        AccessControlPolicyParameters = $_.AccessControlPolicyParameters
      }
    })
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfsrelyingpartytrust
# (types of the ADFS module are object here). -AccessControlPolicyName $null "will move the logic from your current
# Access Control Policy into Additional Authentication Rules" (Migrate to Microsoft Entra MFA with federation).
# [inference] rules cannot be set on a relying party while an access control policy governs it, and a policy
# given to one replaces its rules.
function Set-AdfsRelyingPartyTrust {
  [CmdletBinding(DefaultParameterSetName = 'IdentifierName', SupportsShouldProcess = $true)]
  param(
    [string[]] $AllowedAuthenticationClassReferences, [string] $Name, [int] $NotBeforeSkew, [bool] $EnableJWT, [string[]] $Identifier,
    [object] $EncryptionCertificate, [string] $EncryptionCertificateRevocationCheck, [bool] $EncryptClaims, [uri] $MetadataUrl,
    [string] $IssuanceAuthorizationRules, [string] $IssuanceAuthorizationRulesFile, [string] $DelegationAuthorizationRules,
    [string] $DelegationAuthorizationRulesFile, [string] $ImpersonationAuthorizationRules, [string] $ImpersonationAuthorizationRulesFile,
    [string] $IssuanceTransformRules, [string] $IssuanceTransformRulesFile, [AllowEmptyString()] [string] $AdditionalAuthenticationRules,
    [string] $AdditionalAuthenticationRulesFile, [AllowNull()] [AllowEmptyString()] [string] $AccessControlPolicyName, [object] $AccessControlPolicyParameters,
    [bool] $AutoUpdateEnabled, [uri] $WSFedEndpoint, [string[]] $AdditionalWSFedEndpoint, [string[]] $ClaimsProviderName, [bool] $MonitoringEnabled,
    [string] $Notes, [object[]] $ClaimAccepted, [object[]] $SamlEndpoint, [string] $ProtocolProfile, [object[]] $RequestSigningCertificate,
    [bool] $EncryptedNameIdRequired, [bool] $SignedSamlRequestsRequired, [string] $SamlResponseSignature, [string] $SignatureAlgorithm,
    [string] $SigningCertificateRevocationCheck, [int] $TokenLifetime, [bool] $AlwaysRequireAuthentication, [object] $AllowedClientTypes,
    [object] $IssueOAuthRefreshTokensTo, [bool] $RefreshTokenProtectionEnabled, [bool] $RequestMFAFromClaimsProviders,
    [Parameter(Mandatory = $true, ParameterSetName = 'Identifier')] [string] $TargetIdentifier,
    [Parameter(Mandatory = $true, ParameterSetName = 'IdentifierObject')] [object] $TargetRelyingParty,
    [Parameter(Mandatory = $true, ParameterSetName = 'IdentifierName')] [string] $TargetName,
    [switch] $PassThru
  )
  Register-AdfsFarmCall -Command 'Set-AdfsRelyingPartyTrust' -Detail $TargetName
  $farm = Get-AdfsFarmModel
  if ($PSCmdlet.ParameterSetName -ne 'IdentifierName') { throw 'AD FS model: only -TargetName is modelled' }
  $party = $farm.RelyingParties[$TargetName]
  if ($null -eq $party) { throw ('MSIS7614: no relying party trust {0}' -f $TargetName) }
  if ($PSBoundParameters.ContainsKey('AccessControlPolicyName')) {
    if (-not $AccessControlPolicyName) {
      if ($party.AccessControlPolicyName) {
        $policy = $farm.AccessControlPolicies[$party.AccessControlPolicyName]
        $party.AdditionalAuthenticationRules = [string]$policy['AdditionalAuthenticationRules']
        $party.IssuanceAuthorizationRules = [string]$policy['IssuanceAuthorizationRules']
      }
      $party.AccessControlPolicyName = ''
      $party.AccessControlPolicyParameters = $null
    } else {
      if (-not $farm.AccessControlPolicies.ContainsKey($AccessControlPolicyName)) { throw ('MSIS7615: no access control policy {0}' -f $AccessControlPolicyName) }
      $party.AccessControlPolicyName = $AccessControlPolicyName
      $party.AccessControlPolicyParameters = $AccessControlPolicyParameters
      $party.AdditionalAuthenticationRules = ''
      $party.IssuanceAuthorizationRules = ''
    }
  }
  if ($PSBoundParameters.ContainsKey('AdditionalAuthenticationRules')) {
    if ($party.AccessControlPolicyName) { throw ('MSIS7616: {0} is governed by the access control policy {1}: its rules cannot be set' -f $TargetName, $party.AccessControlPolicyName) }
    $null = ConvertFrom-AdfsClaimRule -Rules $AdditionalAuthenticationRules
    $party.AdditionalAuthenticationRules = $AdditionalAuthenticationRules
  }
}

# --- Web Application Proxy (module WebApplicationProxy) ----------------------------------------------------

# https://learn.microsoft.com/powershell/module/webapplicationproxy/install-webapplicationproxy
function Install-WebApplicationProxy {
  [CmdletBinding(DefaultParameterSetName = 'Default')]
  param(
    [Parameter(Mandatory = $true)] [pscredential] $FederationServiceTrustCredential,
    [Parameter(Mandatory = $true)] [string] $CertificateThumbprint,
    [Parameter(Mandatory = $true)] [string] $FederationServiceName,
    [int] $HttpsPort,
    [int] $TlsClientPort,
    [string] $ForwardProxy
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/get-webapplicationproxyapplication
# (-CimSession is a CimSession[]: object[] here)
function Get-WebApplicationProxyApplication {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string] $Name,
    [guid] $ID,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/add-webapplicationproxyapplication
function Add-WebApplicationProxyApplication {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
    [Parameter(Mandatory = $true)] [string] $BackendServerUrl,
    [Parameter(Mandatory = $true)] [string] $ExternalUrl,
    [string] $ExternalCertificateThumbprint,
    [ValidateSet('ADFS', 'PassThrough', 'ClientCertificate', 'ADFSforRichClients', 'ADFSforOAuth', 'ADFSforBrowsersAndOffice')]
    [string] $ExternalPreauthentication,
    [string] $ADFSRelyingPartyName,
    [string] $BackendServerAuthenticationSPN,
    [string] $BackendServerCertificateValidation,
    [string] $ClientCertificateAuthenticationBindingMode,
    [string] $ClientCertificatePreauthenticationThumbprint,
    [switch] $DisableHttpOnlyCookieProtection,
    [switch] $DisableTranslateUrlInRequestHeaders,
    [switch] $DisableTranslateUrlInResponseHeaders,
    [switch] $EnableHTTPRedirect,
    [switch] $EnableSignOut,
    [uint32] $InactiveTransactionsTimeoutSec,
    [switch] $UseOAuthAuthentication,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/set-webapplicationproxyapplication
function Set-WebApplicationProxyApplication {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [guid] $ID,
    [string] $ExternalUrl,
    [string] $ExternalCertificateThumbprint,
    [string] $BackendServerUrl,
    [string] $Name,
    [string] $BackendServerAuthenticationSPN,
    [string] $BackendServerCertificateValidation,
    [string] $ClientCertificateAuthenticationBindingMode,
    [string] $ClientCertificatePreauthenticationThumbprint,
    [switch] $DisableHttpOnlyCookieProtection,
    [switch] $DisableTranslateUrlInRequestHeaders,
    [switch] $DisableTranslateUrlInResponseHeaders,
    [switch] $EnableHTTPRedirect,
    [switch] $EnableSignOut,
    [uint32] $InactiveTransactionsTimeoutSec,
    [switch] $UseOAuthAuthentication,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/get-webapplicationproxysslcertificate
# (its output is not documented: bindings like Get-AdfsSslCertificate's, HostName, PortNumber, CertificateHash)
function Get-WebApplicationProxySslCertificate {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/set-webapplicationproxysslcertificate
function Set-WebApplicationProxySslCertificate {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true)] [string] $Thumbprint)
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/remove-webapplicationproxyapplication
# (without -ID nor -Name it removes every published application; -CimSession is a CimSession[]: object[] here)
function Remove-WebApplicationProxyApplication {
  [CmdletBinding(DefaultParameterSetName = 'ID')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ID', ValueFromPipelineByPropertyName = $true)] [guid[]] $ID,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Name')] [string] $Name,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# --- IIS (module WebAdministration) ------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/webadministration/get-webbinding (-Port is a String there)
function Get-WebBinding {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string] $Name,
    [string] $Protocol,
    [string] $Port,
    [string] $IPAddress,
    [string] $HostHeader
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webadministration/new-webbinding (no -WhatIf or -Confirm)
function New-WebBinding {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string] $Name,
    [string] $Protocol,
    [uint32] $Port,
    [string] $IPAddress,
    [string] $HostHeader,
    [int] $SslFlags,
    [switch] $Force
  )
  throw $script:Unmocked
}

# --- Server Manager (module ServerManager) -----------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/servermanager/install-windowsfeature
# (-Name takes Feature[] objects or names: string[] here; -Credential is a PSCredential)
function Install-WindowsFeature {
  [CmdletBinding(DefaultParameterSetName = 'FeatureName', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'FeatureName', ValueFromPipeline = $true)] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'ConfigurationFilePath')] [string] $ConfigurationFilePath,
    [switch] $Restart,
    [switch] $IncludeAllSubFeature,
    [switch] $IncludeManagementTools,
    [string[]] $Source,
    [string] $Vhd,
    [string] $ComputerName,
    [pscredential] $Credential,
    [string] $LogPath
  )
  throw $script:Unmocked
}

# --- DNS client (module DnsClient) -------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/dnsclient/resolve-dnsname
# (-Type is a RecordType enumeration: its names as a ValidateSet here)
function Resolve-DnsName {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string] $Name,
    [Parameter(Position = 1)]
    [ValidateSet('UNKNOWN', 'A_AAAA', 'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO', 'MX', 'TXT', 'RP', 'AFSDB', 'X25', 'ISDN', 'RT', 'AAAA', 'SRV', 'DNAME', 'OPT', 'DS', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'ANY', 'ALL', 'WINS')]
    [string] $Type,
    [string[]] $Server,
    [switch] $DnsOnly,
    [switch] $CacheOnly,
    [switch] $DnssecOk,
    [switch] $DnssecCd,
    [switch] $NoHostsFile,
    [switch] $LlmnrNetbiosOnly,
    [switch] $LlmnrFallback,
    [switch] $LlmnrOnly,
    [switch] $NetbiosFallback,
    [switch] $NoIdn,
    [switch] $NoRecursion,
    [switch] $QuickTimeout,
    [switch] $TcpOnly
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsclient/clear-dnsclientcache
function Clear-DnsClientCache {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([object[]] $CimSession, [int] $ThrottleLimit, [switch] $AsJob)
  throw $script:Unmocked
}

# --- DNS server (module DnsServer), for the DNS script run on a domain controller --------------------------

# https://learn.microsoft.com/powershell/module/dnsserver/get-dnsserverzone
function Get-DnsServerZone {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string[]] $Name,
    [string] $ComputerName,
    [string] $ZoneScope,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsserver/add-dnsserverprimaryzone
function Add-DnsServerPrimaryZone {
  [CmdletBinding(DefaultParameterSetName = 'ADForwardLookupZone', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ADForwardLookupZone')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'FileForwardLookupZone')]
    [string] $Name,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ADReverseLookupZone')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'FileReverseLookupZone')]
    [string] $NetworkId,
    [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'ADForwardLookupZone')]
    [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'ADReverseLookupZone')]
    [ValidateSet('Forest', 'Domain', 'Legacy', 'Custom')]
    [string] $ReplicationScope,
    [Parameter(Mandatory = $true, ParameterSetName = 'FileForwardLookupZone')]
    [Parameter(Mandatory = $true, ParameterSetName = 'FileReverseLookupZone')]
    [string] $ZoneFile,
    [Parameter(ParameterSetName = 'ADForwardLookupZone')]
    [Parameter(ParameterSetName = 'ADReverseLookupZone')]
    [string] $DirectoryPartitionName,
    [ValidateSet('None', 'Secure', 'NonsecureAndSecure')]
    [string] $DynamicUpdate,
    [string] $ResponsiblePerson,
    [switch] $LoadExisting,
    [string] $ComputerName,
    [switch] $PassThru,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsserver/get-dnsserverresourcerecord
function Get-DnsServerResourceRecord {
  [CmdletBinding(DefaultParameterSetName = 'Unknown')]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $ZoneName,
    [Parameter(Position = 1)] [string] $Name,
    [Parameter(ParameterSetName = 'Unknown')] [uint16] $Type,
    [Parameter(ParameterSetName = 'RRType')]
    [ValidateSet('HInfo', 'Afsdb', 'Atma', 'Isdn', 'Key', 'Mb', 'Md', 'Mf', 'Mg', 'MInfo', 'Mr', 'Mx', 'NsNxt', 'Rp', 'Rt', 'Wks', 'X25', 'A', 'AAAA', 'CName', 'Ptr', 'Srv', 'Txt', 'Wins', 'WinsR', 'Ns', 'Soa', 'NasP', 'NasPtr', 'DName', 'Gpos', 'Loc', 'DhcId', 'Naptr', 'RRSig', 'DnsKey', 'DS', 'NSec', 'NSec3', 'NSec3Param', 'Tlsa')]
    [string] $RRType,
    [switch] $Node,
    [string] $ZoneScope,
    [string] $ComputerName,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsserver/add-dnsserverresourcerecorda
function Add-DnsServerResourceRecordA {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
    [Parameter(Mandatory = $true, Position = 1)] [ipaddress[]] $IPv4Address,
    [Parameter(Mandatory = $true, Position = 2)] [string] $ZoneName,
    [switch] $AllowUpdateAny,
    [switch] $CreatePtr,
    [timespan] $TimeToLive,
    [switch] $AgeRecord,
    [string] $ZoneScope,
    [string] $ComputerName,
    [switch] $PassThru,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# --- Network Policy Server (module NPS) --------------------------------------------------------------------
# The NpsRadiusClient objects these return are not described on the pages; New-NpsRadiusClient takes Address,
# SharedSecret, VendorName and AuthAttributeRequired "ByPropertyName" from them, which the scenarios' objects carry.

# https://learn.microsoft.com/powershell/module/nps/get-npsradiusclient
function Get-NpsRadiusClient {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nps/new-npsradiusclient
# ("The NPS Server service must be restarted after you run the New-NpsRadiusClient cmdlet.")
function New-NpsRadiusClient {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
    [Parameter(Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)] [string] $Address,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [bool] $AuthAttributeRequired,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $SharedSecret,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $VendorName,
    [switch] $Disabled
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nps/set-npsradiusclient
function Set-NpsRadiusClient {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string] $Name,
    [string] $Address,
    [bool] $AuthAttributeRequired,
    [string] $SharedSecret,
    [string] $VendorName,
    [bool] $Enabled
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nps/remove-npsradiusclient
function Remove-NpsRadiusClient {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string] $Name)
  throw $script:Unmocked
}

# --- Windows Firewall (module NetSecurity) ------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
# (-Enabled, -Direction, -Action and the like are enumerations: their names as a ValidateSet here; -AssociatedNetFirewall*
#  filter objects are CimInstances: object here)
function Get-NetFirewallRule {
  [CmdletBinding(DefaultParameterSetName = 'GetAll')]
  param(
    [Parameter(ParameterSetName = 'GetAll')] [switch] $All,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')] [Alias('ID')] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'ByDisplayName')] [string[]] $DisplayName,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $Description,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $DisplayGroup,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $Group,
    [Parameter(ParameterSetName = 'ByQuery')] [ValidateSet('True', 'False')] [string[]] $Enabled,
    [Parameter(ParameterSetName = 'ByQuery')] [ValidateSet('Inbound', 'Outbound')] [string[]] $Direction,
    [Parameter(ParameterSetName = 'ByQuery')] [ValidateSet('NotConfigured', 'Allow', 'Block')] [string[]] $Action,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $Owner,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $PolicyStoreSource,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'ByAssociatedNetFirewallAddressFilter')] [object] $AssociatedNetFirewallAddressFilter,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'ByAssociatedNetFirewallPortFilter')] [object] $AssociatedNetFirewallPortFilter,
    [string] $PolicyStore,
    [string] $GPOSession,
    [switch] $TracePolicyStore,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule
# (-Enabled "is not boolean ... Use "True" and "False" text strings"; -Profile, -Direction, -Action and the other
#  enumerations as a ValidateSet of their documented names here)
function New-NetFirewallRule {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [string] $PolicyStore,
    [string] $GPOSession,
    [string] $Name,
    [Parameter(Mandatory = $true)] [string] $DisplayName,
    [string] $Description,
    [string] $Group,
    [ValidateSet('True', 'False')] [string] $Enabled,
    [ValidateSet('Any', 'Domain', 'Private', 'Public', 'NotApplicable')] [string[]] $Profile,
    [string[]] $Platform,
    [ValidateSet('Inbound', 'Outbound')] [string] $Direction,
    [ValidateSet('NotConfigured', 'Allow', 'Block')] [string] $Action,
    [ValidateSet('Block', 'Allow', 'DeferToUser', 'DeferToApp')] [string] $EdgeTraversalPolicy,
    [bool] $LooseSourceMapping,
    [bool] $LocalOnlyMapping,
    [string] $Owner,
    [string[]] $LocalAddress,
    [string[]] $RemoteAddress,
    [string] $Protocol,
    [string[]] $LocalPort,
    [string[]] $RemotePort,
    [string[]] $IcmpType,
    [ValidateSet('Any', 'ProximityApps', 'ProximitySharing', 'WifiDirectPrinting', 'WifiDirectDisplay', 'WifiDirectDevices')] [string] $DynamicTarget,
    [string] $Program,
    [string] $Package,
    [string] $Service,
    [string[]] $InterfaceAlias,
    [ValidateSet('Any', 'Wired', 'Wireless', 'RemoteAccess')] [string] $InterfaceType,
    [string] $LocalUser,
    [string] $RemoteUser,
    [string] $RemoteMachine,
    [ValidateSet('NotRequired', 'Required', 'NoEncap')] [string] $Authentication,
    [ValidateSet('NotRequired', 'Required', 'Dynamic')] [string] $Encryption,
    [bool] $OverrideBlockRules,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/netsecurity/remove-netfirewallrule (abridged to the sets by name and
# display name, and the pipeline's)
function Remove-NetFirewallRule {
  [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess = $true)]
  param(
    [Parameter(ParameterSetName = 'GetAll')] [switch] $All,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')] [Alias('ID')] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'ByDisplayName')] [string[]] $DisplayName,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'InputObject')] [object[]] $InputObject,
    [string] $PolicyStore,
    [string] $GPOSession,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# --- Windows executables -----------------------------------------------------------------------------------

# https://learn.microsoft.com/windows-server/administration/windows-commands/klist
# A native program: no parameter binding, its arguments as they come.
function klist.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-http
function netsh.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/shutdown
# (exit code 1190, ERROR_SHUTDOWN_IS_SCHEDULED, when a shutdown is already scheduled)
function shutdown.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/icacls
function icacls.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# sc.exe qsidtype and sidtype: "run `sc sidtype IAS unrestricted`" ("Configure Firewalls for RADIUS Traffic",
# https://learn.microsoft.com/windows-server/networking/technologies/nps/nps-firewalls-configure; sc.exe,
# https://learn.microsoft.com/windows-server/administration/windows-commands/sc-config)
function sc.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/certutil
function certutil.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# --- CIM (module CimCmdlets) -----------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/cimcmdlets/get-ciminstance (the ClassNameComputerSet parameter set)
function Get-CimInstance {
  [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ClassNameComputerSet')] [string] $ClassName,
    [string] $Namespace,
    [string] $Filter,
    [string[]] $Property,
    [string[]] $ComputerName,
    [uint32] $OperationTimeoutSec,
    [switch] $KeyOnly,
    [switch] $Shallow
  )
  throw $script:Unmocked
}

# --- Domain membership (module Microsoft.PowerShell.Management, Windows PowerShell 5.1 only) --------------------

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/add-computer?view=powershell-5.1
# (Domain and Workgroup parameter sets; -Options is a Microsoft.PowerShell.Commands.JoinOptions flags enum only Windows
# PowerShell has: string[] here, limited to its documented values)
function Add-Computer {
  [CmdletBinding(DefaultParameterSetName = 'Domain', SupportsShouldProcess = $true)]
  param(
    [Parameter(ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [string[]] $ComputerName,
    [pscredential] $LocalCredential,
    [Parameter(ParameterSetName = 'Domain')] [pscredential] $UnjoinDomainCredential,
    [Parameter(Mandatory = $true, ParameterSetName = 'Domain')] [Parameter(ParameterSetName = 'Workgroup')] [Alias('DomainCredential')] [pscredential] $Credential,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Domain')] [Alias('DN', 'Domain')] [string] $DomainName,
    [Parameter(ParameterSetName = 'Domain')] [Alias('OU')] [string] $OUPath,
    [Parameter(ParameterSetName = 'Domain')] [Alias('DC')] [string] $Server,
    [Parameter(ParameterSetName = 'Domain')] [switch] $Unsecure,
    [Parameter(ParameterSetName = 'Domain')] [ValidateSet('AccountCreate', 'Win9XUpgrade', 'UnsecuredJoin', 'PasswordPass', 'DeferSPNSet', 'JoinWithNewName', 'JoinReadOnly', 'InstallInvoke')] [string[]] $Options,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Workgroup')] [Alias('WGN')] [string] $WorkgroupName,
    [switch] $Restart,
    [switch] $PassThru,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $NewName,
    [switch] $Force
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/test-computersecurechannel?view=powershell-5.1
# (returns $true when the secure channel to the domain works, $false when not)
function Test-ComputerSecureChannel {
  [CmdletBinding(SupportsShouldProcess = $true)]
  [OutputType([bool])]
  param(
    [switch] $Repair,
    [string] $Server,
    [pscredential] $Credential
  )
  throw $script:Unmocked
}

# --- Services, event log and scheduled tasks (Windows PowerShell 5.1 on the server) ------------------------

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/restart-service?view=powershell-5.1
# (-InputObject takes ServiceController[] objects: object[] here)
function Restart-Service {
  [CmdletBinding(DefaultParameterSetName = 'Default', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Default', ValueFromPipelineByPropertyName = $true)] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'DisplayName')] [string[]] $DisplayName,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'InputObject', ValueFromPipeline = $true)] [object[]] $InputObject,
    [switch] $Force,
    [switch] $PassThru,
    [string[]] $Include,
    [string[]] $Exclude
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-service?view=powershell-5.1
# (Windows only: PowerShell on Linux has no Get-Service; -InputObject takes ServiceController[] objects: object[] here)
function Get-Service {
  [CmdletBinding(DefaultParameterSetName = 'Default')]
  param(
    [Parameter(Position = 0, ParameterSetName = 'Default', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('ServiceName')] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'DisplayName')] [string[]] $DisplayName,
    [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)] [object[]] $InputObject,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('Cn')] [string[]] $ComputerName,
    [Alias('DS')] [switch] $DependentServices,
    [Alias('SDO', 'ServicesDependedOn')] [switch] $RequiredServices,
    [string[]] $Include,
    [string[]] $Exclude
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-eventlog?view=powershell-5.1
# (Windows PowerShell 5.1 only: PowerShell 7 has no *-EventLog cmdlets)
function New-EventLog {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $LogName,
    [Parameter(Mandatory = $true, Position = 1)] [string[]] $Source,
    [string[]] $ComputerName,
    [string] $CategoryResourceFile,
    [string] $MessageResourceFile,
    [string] $ParameterResourceFile
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/write-eventlog?view=powershell-5.1
# (-EntryType is an EventLogEntryType: its names as a ValidateSet here)
function Write-EventLog {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $LogName,
    [Parameter(Mandatory = $true, Position = 1)] [string] $Source,
    [Parameter(Position = 3)] [ValidateSet('Error', 'Information', 'FailureAudit', 'SuccessAudit', 'Warning')] [string] $EntryType,
    [int16] $Category,
    [Parameter(Mandatory = $true, Position = 2)] [ValidateRange(0, 65535)] [int] $EventId,
    [Parameter(Mandatory = $true, Position = 4)] [string] $Message,
    [byte[]] $RawData,
    [string] $ComputerName
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/get-scheduledtask
function Get-ScheduledTask {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string[]] $TaskName,
    [Parameter(Position = 1)] [string[]] $TaskPath,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/start-scheduledtask
function Start-ScheduledTask {
  [CmdletBinding(DefaultParameterSetName = 'Query')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Query')] [string] $TaskName,
    [Parameter(Position = 1, ParameterSetName = 'Query')] [string] $TaskPath,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'InputObject')] [object] $InputObject,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/stop-scheduledtask
function Stop-ScheduledTask {
  [CmdletBinding(DefaultParameterSetName = 'Query')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Query')] [string] $TaskName,
    [Parameter(Position = 1, ParameterSetName = 'Query')] [string] $TaskPath,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'InputObject')] [object] $InputObject,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtaskaction
function New-ScheduledTaskAction {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Execute,
    [Parameter(Position = 1)] [string] $Argument,
    [Parameter(Position = 2)] [string] $WorkingDirectory,
    [string] $Id,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtasktrigger
# (-DaysOfWeek is DayOfWeek[]: names here)
function New-ScheduledTaskTrigger {
  [CmdletBinding(DefaultParameterSetName = 'Once')]
  param(
    [timespan] $RandomDelay,
    [Parameter(Mandatory = $true, ParameterSetName = 'Once')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Daily')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Weekly')]
    [datetime] $At,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Once')] [switch] $Once,
    [Parameter(ParameterSetName = 'Once')] [timespan] $RepetitionDuration,
    [Parameter(ParameterSetName = 'Once')] [timespan] $RepetitionInterval,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Daily')] [switch] $Daily,
    [Parameter(ParameterSetName = 'Daily')] [uint32] $DaysInterval,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Weekly')] [switch] $Weekly,
    [Parameter(ParameterSetName = 'Weekly')] [ValidateSet('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')] [string[]] $DaysOfWeek,
    [Parameter(ParameterSetName = 'Weekly')] [uint32] $WeeksInterval,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Startup')] [switch] $AtStartup,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Logon')] [switch] $AtLogOn,
    [Parameter(ParameterSetName = 'Logon')] [string] $User,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtaskprincipal
function New-ScheduledTaskPrincipal {
  [CmdletBinding(DefaultParameterSetName = 'User')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'User')] [string] $UserId,
    [Parameter(ParameterSetName = 'User')] [ValidateSet('None', 'Password', 'S4U', 'Interactive', 'Group', 'ServiceAccount', 'InteractiveOrPassword')] [string] $LogonType,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Group')] [string] $GroupId,
    [ValidateSet('Limited', 'Highest')] [string] $RunLevel,
    [ValidateSet('None', 'Unrestricted', 'Default')] [string] $ProcessTokenSidType,
    [string[]] $RequiredPrivilege,
    [string] $Id,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtasksettingsset
function New-ScheduledTaskSettingsSet {
  [CmdletBinding()]
  param(
    [switch] $DisallowDemandStart,
    [switch] $DisallowHardTerminate,
    [ValidateSet('At', 'V1', 'Vista', 'Win7', 'Win8')] [string] $Compatibility,
    [timespan] $DeleteExpiredTaskAfter,
    [switch] $AllowStartIfOnBatteries,
    [switch] $Disable,
    [switch] $MaintenanceExclusive,
    [switch] $Hidden,
    [switch] $RunOnlyIfIdle,
    [timespan] $IdleWaitTimeout,
    [string] $NetworkId,
    [string] $NetworkName,
    [switch] $DisallowStartOnRemoteAppSession,
    [timespan] $MaintenancePeriod,
    [timespan] $MaintenanceDeadline,
    [switch] $StartWhenAvailable,
    [switch] $DontStopIfGoingOnBatteries,
    [switch] $WakeToRun,
    [timespan] $IdleDuration,
    [switch] $RestartOnIdle,
    [switch] $DontStopOnIdleEnd,
    [timespan] $ExecutionTimeLimit,
    [ValidateSet('Parallel', 'Queue', 'IgnoreNew')] [string] $MultipleInstances,
    [int] $Priority,
    [int] $RestartCount,
    [timespan] $RestartInterval,
    [switch] $RunOnlyIfNetworkAvailable,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/register-scheduledtask
# (-Action, -Trigger, -Settings, -Principal and -InputObject are CimInstance objects: object here)
function Register-ScheduledTask {
  [CmdletBinding(DefaultParameterSetName = 'User')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'User')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Principal')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Xml')]
    [Parameter(Position = 0, ParameterSetName = 'Object')]
    [string] $TaskName,
    [Parameter(Position = 1)] [string] $TaskPath,
    [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'User')]
    [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Principal')]
    [object[]] $Action,
    [Parameter(Position = 3, ParameterSetName = 'User')]
    [Parameter(Position = 3, ParameterSetName = 'Principal')]
    [object[]] $Trigger,
    [Parameter(Position = 4, ParameterSetName = 'User')]
    [Parameter(Position = 4, ParameterSetName = 'Principal')]
    [object] $Settings,
    [Parameter(Position = 5, ParameterSetName = 'User')] [string] $User,
    [Parameter(Position = 6, ParameterSetName = 'User')] [string] $Password,
    [Parameter(ParameterSetName = 'User')] [ValidateSet('Limited', 'Highest')] [string] $RunLevel,
    [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Principal')] [object] $Principal,
    [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'Xml')] [string] $Xml,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'Object')] [object] $InputObject,
    [string] $Description,
    [switch] $Force,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# --- Hardening: AD FS properties, TLS, services, events, Windows LAPS (constructs/scripts/hardening.ts) ------

# https://learn.microsoft.com/powershell/module/adfs/get-adfsproperties
# (its output, Microsoft.IdentityServer.Management.Resources.ServiceProperties: the page lists the extranet lockout
# properties but not ExtranetLockoutMode, which the Extranet Smart Lockout page sets; the scripts read it only if present)
function Get-AdfsProperties {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfsproperties
# (every parameter of the page, its one parameter set; ContactPerson and Organization are AD FS types: object here,
# PromptLoginFederation an enumeration: its names as a ValidateSet)
function Set-AdfsProperties {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [uri[]] $AcceptableIdentifiers,
    [string] $AddProxyAuthorizationRules,
    [bool] $AllowLocalAdminsServiceAdministration,
    [bool] $AllowSystemServiceAdministration,
    [string] $ArtifactDbConnection,
    [ValidateSet('None', 'Basic', 'Verbose')] [string[]] $AuditLevel,
    [uri[]] $AuthenticationContextOrder,
    [bool] $AutoCertificateRollover,
    [bool] $BrowserSsoEnabled,
    [string[]] $BrowserSsoSupportedUserAgents,
    [int] $CertificateCriticalThreshold,
    [int] $CertificateDuration,
    [int] $CertificateGenerationThreshold,
    [int] $CertificatePromotionThreshold,
    [int] $CertificateRolloverInterval,
    [int] $CertificateThresholdMultiplier,
    [ValidateSet('CheckChain', 'CheckChainCacheOnly', 'CheckChainExcludeRoot', 'CheckChainExcludeRootCacheOnly', 'CheckEndCert', 'CheckEndCertCacheOnly', 'None')] [string] $ClientCertRevocationCheck,
    [object] $ContactPerson,
    [string] $DelegateServiceAdministration,
    [int] $DeviceUsageWindowInDays,
    [string] $DisplayName,
    [bool] $EnableExtranetLockout,
    [bool] $EnableIdPInitiatedSignonPage,
    [bool] $EnableKmsi,
    [bool] $EnableLocalAuthenticationTypes,
    [bool] $EnableLoopDetection,
    [bool] $EnableOAuthDeviceFlow,
    [bool] $EnableOAuthLogout,
    [bool] $EnablePersistentSso,
    [bool] $EnableRelayStateForIdpInitiatedSignOn,
    [ValidateSet('Allow', 'Require', 'None')] [string] $ExtendedProtectionTokenCheck,
    [ValidateSet('ADPasswordCounter', 'ADFSSmartLockoutLogOnly', 'ADFSSmartLockoutEnforce')] [string] $ExtranetLockoutMode,
    [bool] $ExtranetLockoutRequirePDC,
    [int] $ExtranetLockoutThreshold,
    [timespan] $ExtranetObservationWindow,
    [string] $FederationPassiveAddress,
    [switch] $Force,
    [string] $GlobalRelyingPartyClaimsIssuancePolicy,
    [string] $HostName,
    [int] $HttpPort,
    [int] $HttpsPort,
    [uri] $Identifier,
    [uri] $IdTokenIssuer,
    [bool] $IgnoreTokenBinding,
    [bool] $IntranetUseLocalClaimsProvider,
    [int] $KmsiLifetimeMins,
    [ValidateSet('Errors', 'FailureAudits', 'Information', 'Verbose', 'None', 'SuccessAudits', 'Warnings')] [string[]] $LogLevel,
    [int] $LoopDetectionMaximumTokensIssuedInInterval,
    [int] $LoopDetectionTimeIntervalInSeconds,
    [int] $MonitoringInterval,
    [int] $NetTcpPort,
    [bool] $NtlmOnlySupportedClientAtProxy,
    [object] $OrganizationInfo,
    [switch] $PassThru,
    [datetime] $PersistentSsoCutoffTime,
    [int] $PersistentSsoLifetimeMins,
    [bool] $PreventTokenReplays,
    [string] $PromptLoginFallbackAuthenticationType,
    [ValidateSet('None', 'FallbackToProtocolSpecificParameters', 'ForwardPromptAndHintsOverWsFederation', 'Disabled')] [string] $PromptLoginFederation,
    [int] $ProxyTrustTokenLifetime,
    [int] $ReplayCacheExpirationInterval,
    [int] $SamlMessageDeliveryWindow,
    [bool] $SendClientRequestIdAsQueryStringParameter,
    [bool] $SignedSamlRequestsRequired,
    [bool] $SignSamlAuthnRequests,
    [bool] $SsoEnabled,
    [int] $SsoLifetime,
    [int] $TlsClientPort,
    [string[]] $WIASupportedUserAgents
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/tls/get-tlsciphersuite
function Get-TlsCipherSuite {
  [CmdletBinding()]
  param([Parameter(Position = 0)] [string] $Name)
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/tls/disable-tlsciphersuite
function Disable-TlsCipherSuite {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [string] $Name)
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nettcpip/test-netconnection
function Test-NetConnection {
  [CmdletBinding(DefaultParameterSetName = 'ICMP')]
  param(
    [Parameter(Position = 0)] [string] $ComputerName,
    [Parameter(ParameterSetName = 'ICMP')] [switch] $TraceRoute,
    [Parameter(ParameterSetName = 'ICMP')] [int] $Hops,
    [Parameter(Mandatory = $true, ParameterSetName = 'CommonTCPPort')] [ValidateSet('HTTP', 'RDP', 'SMB', 'WINRM')] [string] $CommonTCPPort,
    [Parameter(Mandatory = $true, ParameterSetName = 'RemotePort')] [int] $Port,
    [Parameter(ParameterSetName = 'NetRouteDiagnostics')] [switch] $DiagnoseRouting,
    [Parameter(ParameterSetName = 'NetRouteDiagnostics')] [string] $ConstrainSourceAddress,
    [Parameter(ParameterSetName = 'NetRouteDiagnostics')] [uint32] $ConstrainInterface,
    [ValidateSet('Quiet', 'Detailed')] [string] $InformationLevel
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.diagnostics/get-winevent?view=powershell-5.1
# (the log-name and hashtable-query sets; -Credential is a PSCredential)
function Get-WinEvent {
  [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
  param(
    [Parameter(Position = 0, ParameterSetName = 'GetLogSet')] [string[]] $LogName,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'HashQuerySet')] [hashtable[]] $FilterHashtable,
    [Parameter(ParameterSetName = 'GetLogSet')] [string] $FilterXPath,
    [long] $MaxEvents,
    [string] $ComputerName,
    [pscredential] $Credential,
    [switch] $Force,
    [switch] $Oldest
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/laps/invoke-lapspolicyprocessing
function Invoke-LapsPolicyProcessing {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/auditpol-get (and auditpol-set)
function auditpol.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# --- HTTP.sys, as state (netsh http) -----------------------------------------------------------------------

<#
  HTTP.sys's SSL bindings as data: every field of every binding, in the order and words `netsh http show sslcert`
  prints them. A scenario mocks netsh.exe with Invoke-HttpSysNetsh, so that `show`, `add`, `update` and `delete`
  change and report this state as netsh does, and compares the bindings before and after (Get-HttpSysBinding).

  `add sslcert` and `update sslcert` write a whole binding: every parameter not given takes its default (the
  netsh http page, https://learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-http: usagecheck
  "Default is enabled", dsmapperusage and clientcertnegotiation "Default is disabled", certstorename "Defaults to
  MY"; the others: the HTTP Server API's zero values, HTTP_SERVICE_CONFIG_SSL_PARAM,
  https://learn.microsoft.com/windows/win32/api/http/ns-http-http_service_config_ssl_param). The flags netsh
  shows after the documented ones (Reject Connections, Disable HTTP2, ...) have no documented parameter: a write
  sets them back to their first value, as a binding made by `add` shows them.
#>
$script:HttpSysFields = [ordered]@{
  'Certificate Hash'                                       = @{ Parameter = 'certhash'; Default = $null }
  'Application ID'                                         = @{ Parameter = 'appid'; Default = $null }
  'Certificate Store Name'                                 = @{ Parameter = 'certstorename'; Default = 'MY' }
  'Verify Client Certificate Revocation'                   = @{ Parameter = 'verifyclientcertrevocation'; Default = 'Enabled' }
  'Verify Revocation Using Cached Client Certificate Only' = @{ Parameter = 'verifyrevocationwithcachedclientcertonly'; Default = 'Disabled' }
  'Usage Check'                                            = @{ Parameter = 'usagecheck'; Default = 'Enabled' }
  'Revocation Freshness Time'                              = @{ Parameter = 'revocationfreshnesstime'; Default = '0' }
  'URL Retrieval Timeout'                                  = @{ Parameter = 'urlretrievaltimeout'; Default = '0' }
  'Ctl Identifier'                                         = @{ Parameter = 'sslctlidentifier'; Default = '(null)' }
  'Ctl Store Name'                                         = @{ Parameter = 'sslctlstorename'; Default = '(null)' }
  'DS Mapper Usage'                                        = @{ Parameter = 'dsmapperusage'; Default = 'Disabled' }
  'Negotiate Client Certificate'                           = @{ Parameter = 'clientcertnegotiation'; Default = 'Disabled' }
  'Reject Connections'                                     = @{ Parameter = $null; Default = 'Disabled' }
  'Disable HTTP2'                                          = @{ Parameter = $null; Default = 'Not Set' }
  'Disable QUIC'                                           = @{ Parameter = $null; Default = 'Not Set' }
  'Disable TLS1.2'                                         = @{ Parameter = $null; Default = 'Not Set' }
  'Disable TLS1.3'                                         = @{ Parameter = $null; Default = 'Not Set' }
  'Disable OCSP Stapling'                                  = @{ Parameter = $null; Default = 'Not Set' }
  'Enable Token Binding'                                   = @{ Parameter = $null; Default = 'Not Set' }
  'Log Extended Events'                                    = @{ Parameter = $null; Default = 'Not Set' }
  'Disable Legacy TLS Versions'                            = @{ Parameter = $null; Default = 'Not Set' }
  'Enable Session Ticket'                                  = @{ Parameter = $null; Default = 'Not Set' }
}
$script:HttpSys = [ordered]@{}

<# Empties HTTP.sys: no binding. #>
function Reset-HttpSys { $script:HttpSys = [ordered]@{} }

<# HTTP.sys's whole state, to keep one per server of a scenario with several (Save-HttpSys, then Restore-HttpSys). #>
function Save-HttpSys { , $script:HttpSys }
function Restore-HttpSys { param([Parameter(Mandatory = $true)] [System.Collections.Specialized.OrderedDictionary] $State) $script:HttpSys = $State }

<#
  Adds a binding as `netsh http add sslcert` would, then sets any field to another value (what AD FS or an
  administrator set with other parameters or other tools): -Field @{ 'Negotiate Client Certificate' = 'Enabled' }.
#>
function Add-HttpSysBinding {
  param(
    [Parameter(Mandatory = $true)] [string] $HostnamePort,
    [Parameter(Mandatory = $true)] [string] $CertificateHash,
    [Parameter(Mandatory = $true)] [string] $ApplicationId,
    [hashtable] $Field = @{}
  )
  $binding = [ordered]@{ 'Hostname:port' = $HostnamePort }
  foreach ($name in $script:HttpSysFields.Keys) { $binding[$name] = $script:HttpSysFields[$name].Default }
  $binding['Certificate Hash'] = $CertificateHash.ToLowerInvariant()
  $binding['Application ID'] = $ApplicationId
  foreach ($name in $Field.Keys) {
    if (-not $binding.Contains($name)) { throw "HTTP.sys model: no field '$name'" }
    $binding[$name] = [string]$Field[$name]
  }
  $script:HttpSys[$HostnamePort.ToLowerInvariant()] = $binding
}

<# Every binding (or one), each a copy of its fields: what `netsh http show sslcert` reports. #>
function Get-HttpSysBinding {
  param([string] $HostnamePort)
  $keys = if ($HostnamePort) { @($HostnamePort.ToLowerInvariant()) } else { @($script:HttpSys.Keys) }
  foreach ($key in $keys) {
    if ($script:HttpSys.Contains($key)) { $copy = [ordered]@{}; foreach ($f in $script:HttpSys[$key].Keys) { $copy[$f] = $script:HttpSys[$key][$f] }; $copy }
  }
}

<#
  netsh.exe http ... sslcert, on the model: the lines netsh writes, and $global:LASTEXITCODE as netsh sets it
  (1 with an error line for a missing binding or a parameter it does not know).
#>
function Invoke-HttpSysNetsh {
  param([string[]] $Arguments)
  $fail = { param($Line) $global:LASTEXITCODE = 1; return $Line }
  if ($Arguments.Count -lt 3 -or $Arguments[0] -ne 'http' -or $Arguments[2] -ne 'sslcert') { return & $fail ('The following command was not found: {0}.' -f ($Arguments -join ' ')) }
  $verb = $Arguments[1]
  $given = [ordered]@{}
  foreach ($argument in @($Arguments | Select-Object -Skip 3)) {
    if ($argument -notmatch '^([a-z0-9]+)=(.*)$') { return & $fail 'The parameter is incorrect.' }
    $given[$Matches[1]] = $Matches[2]
  }
  $key = if ($given.Contains('hostnameport')) { $given['hostnameport'].ToLowerInvariant() } else { $null }
  switch ($verb) {
    'show' {
      $keys = if ($key) { @($key) } else { @($script:HttpSys.Keys) }
      if ($key -and -not $script:HttpSys.Contains($key)) { return & $fail 'The system cannot find the file specified.' }
      $global:LASTEXITCODE = 0
      '', 'SSL Certificate bindings:', '-------------------------', ''
      foreach ($k in $keys) {
        foreach ($field in $script:HttpSys[$k].Keys) { '    {0,-28} : {1}' -f $field, $script:HttpSys[$k][$field] }
        ''
      }
      return
    }
    'delete' {
      if (-not $key -or -not $script:HttpSys.Contains($key)) { return & $fail 'SSL Certificate deletion failed, Error: 2' }
      $script:HttpSys.Remove($key)
      $global:LASTEXITCODE = 0
      return 'SSL Certificate successfully deleted'
    }
    { $_ -in 'add', 'update' } {
      if (-not $key -or -not $given.Contains('certhash') -or -not $given.Contains('appid')) { return & $fail 'The parameter is incorrect.' }
      $exists = $script:HttpSys.Contains($key)
      if ($verb -eq 'update' -and -not $exists) { return & $fail 'SSL Certificate update failed, Error: 2 The system cannot find the file specified.' }
      if ($verb -eq 'add' -and $exists) { return & $fail 'SSL Certificate add failed, Error: 183 Cannot create a file when that file already exists.' }
      $known = @('hostnameport') + @($script:HttpSysFields.Values | ForEach-Object { $_.Parameter } | Where-Object { $_ })
      foreach ($name in $given.Keys) { if ($name -notin $known) { return & $fail 'The parameter is incorrect.' } }
      $binding = [ordered]@{ 'Hostname:port' = $given['hostnameport'] }
      foreach ($field in $script:HttpSysFields.Keys) {
        $spec = $script:HttpSysFields[$field]
        $value = $spec.Default
        if ($spec.Parameter -and $given.Contains($spec.Parameter)) {
          $value = switch ($given[$spec.Parameter]) { 'enable' { 'Enabled' } 'disable' { 'Disabled' } default { $_ } }
        }
        $binding[$field] = $value
      }
      $binding['Certificate Hash'] = $binding['Certificate Hash'].ToLowerInvariant()
      $script:HttpSys[$key] = $binding
      $global:LASTEXITCODE = 0
      return ('SSL Certificate successfully {0}' -f $(if ($verb -eq 'add') { 'added' } else { 'updated' }))
    }
    default { return & $fail ('The following command was not found: http {0} sslcert.' -f $verb) }
  }
}

# --- Azure: the instance metadata service and Key Vault, as Invoke-RestMethod reaches them ---------------------
# Not a Windows command: Invoke-RestMethod exists everywhere. A scenario mocks it with Invoke-AzureStubRestMethod,
# which answers as the services do, from their state: the VM's user-assigned identities (IMDS tokens,
# https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token), the vaults' secrets
# and who may read each (Key Vault Secrets User on the secret; "Get Secret",
# https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret). Errors are thrown as PowerShell 7's
# Invoke-RestMethod throws them: an HttpResponseException whose Response carries the status code.

$script:Azure = $null

<# Forgets every identity, vault, fault and request. #>
function Reset-AzureStub {
  $script:Azure = @{
    Identities = @{}
    Vaults     = @{}
    Faults     = [System.Collections.Generic.Queue[int]]::new()
    Requests   = [System.Collections.Generic.List[object]]::new()
    Tokens     = 0
  }
}
Reset-AzureStub

<# A user-assigned identity of this VM, by its client id: IMDS gives tokens for it. #>
function Add-AzureStubIdentity {
  param([Parameter(Mandatory = $true)] [string] $ClientId)
  $script:Azure.Identities[$ClientId] = $true
}

<# A secret's value in a vault (its latest version). #>
function Set-AzureStubSecret {
  param([Parameter(Mandatory = $true)] [string] $VaultName, [Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $Value)
  if (-not $script:Azure.Vaults.ContainsKey($VaultName)) { $script:Azure.Vaults[$VaultName] = @{ Secrets = @{}; Readers = @{} } }
  $script:Azure.Vaults[$VaultName].Secrets[$Name] = $Value
}

<# Key Vault Secrets User on one secret for one identity. #>
function Grant-AzureStubSecretReader {
  param([Parameter(Mandatory = $true)] [string] $VaultName, [Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $ClientId)
  if (-not $script:Azure.Vaults.ContainsKey($VaultName)) { $script:Azure.Vaults[$VaultName] = @{ Secrets = @{}; Readers = @{} } }
  $script:Azure.Vaults[$VaultName].Readers[('{0}|{1}' -f $Name, $ClientId)] = $true
}

<# The next Key Vault requests answer these statuses, one each, whatever the state (throttling, a role still propagating). #>
function Add-AzureStubFault {
  param([Parameter(Mandatory = $true)] [int[]] $Status)
  foreach ($s in $Status) { $script:Azure.Faults.Enqueue($s) }
}

<# Every request so far: Service (imds or keyvault), Uri, ClientId, Status. #>
function Get-AzureStubRequest { @($script:Azure.Requests) }

function Stop-AzureStubRequest {
  param([int] $Status, [string] $Reason)
  $response = [System.Net.Http.HttpResponseMessage]::new([System.Net.HttpStatusCode]$Status)
  $exception = [Microsoft.PowerShell.Commands.HttpResponseException]::new(('Response status code does not indicate success: {0} ({1}).' -f $Status, $Reason), $response)
  throw [System.Management.Automation.ErrorRecord]::new($exception, 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeRestMethodCommand', 'InvalidOperation', $null)
}

<# What Invoke-RestMethod gets from IMDS or Key Vault for this request. #>
function Invoke-AzureStubRestMethod {
  param([string] $Method = 'Get', [uri] $Uri, [System.Collections.IDictionary] $Headers = @{})
  $query = @{}
  foreach ($pair in $Uri.Query.TrimStart('?').Split('&')) { if ($pair) { $kv = $pair.Split('=', 2); $query[$kv[0]] = [uri]::UnescapeDataString($kv[1]) } }
  if ($Uri.Host -eq '169.254.169.254') {
    $clientId = $query['client_id']
    $request = @{ Service = 'imds'; Uri = [string]$Uri; ClientId = $clientId; Status = 200 }
    $script:Azure.Requests.Add($request)
    if ($Method -ne 'Get' -or $Uri.AbsolutePath -ne '/metadata/identity/oauth2/token' -or $Headers['Metadata'] -ne 'true' -or -not $query['api-version']) { $request.Status = 400; Stop-AzureStubRequest -Status 400 -Reason 'Bad Request' }
    if (-not $clientId -or -not $script:Azure.Identities.ContainsKey($clientId)) { $request.Status = 400; Stop-AzureStubRequest -Status 400 -Reason 'Identity not found' }
    $script:Azure.Tokens++
    return [pscustomobject]@{ access_token = ('token|{0}|{1}|{2}' -f $clientId, $query['resource'], $script:Azure.Tokens); token_type = 'Bearer'; resource = $query['resource']; expires_in = '86399' }
  }
  if ($Uri.Host -match '^([a-z0-9-]+)\.vault\.azure\.net$') {
    $vault = $Matches[1]
    $authorization = [string]$Headers['Authorization']
    $token = if ($authorization -match '^Bearer token\|([^|]+)\|([^|]+)\|\d+$') { @{ ClientId = $Matches[1]; Resource = $Matches[2] } } else { $null }
    $request = @{ Service = 'keyvault'; Uri = [string]$Uri; ClientId = $(if ($token) { $token.ClientId } else { $null }); Status = 200 }
    $script:Azure.Requests.Add($request)
    if ($script:Azure.Faults.Count -gt 0) { $request.Status = $script:Azure.Faults.Dequeue(); Stop-AzureStubRequest -Status $request.Status -Reason 'Injected' }
    if (-not $script:Azure.Vaults.ContainsKey($vault)) { $request.Status = 0; throw ('No such host is known. ({0}:443)' -f $Uri.Host) }
    if ($null -eq $token -or $token.Resource -ne 'https://vault.azure.net' -or -not $query['api-version']) { $request.Status = 401; Stop-AzureStubRequest -Status 401 -Reason 'Unauthorized' }
    if ($Method -ne 'Get' -or $Uri.AbsolutePath -notmatch '^/secrets/([A-Za-z0-9-]+)$') { $request.Status = 400; Stop-AzureStubRequest -Status 400 -Reason 'Bad Request' }
    $name = $Matches[1]
    $state = $script:Azure.Vaults[$vault]
    if (-not $state.Readers.ContainsKey(('{0}|{1}' -f $name, $token.ClientId))) { $request.Status = 403; Stop-AzureStubRequest -Status 403 -Reason 'Forbidden' }
    if (-not $state.Secrets.ContainsKey($name)) { $request.Status = 404; Stop-AzureStubRequest -Status 404 -Reason 'Not Found' }
    return [pscustomobject]@{ value = $state.Secrets[$name]; id = ('https://{0}.vault.azure.net/secrets/{1}/0123456789abcdef' -f $vault, $name); attributes = [pscustomobject]@{ enabled = $true } }
  }
  throw ('the Azure stub knows no service at {0}' -f $Uri.Host)
}

Export-ModuleMember -Function *
