<#
  An NPS server as the NPS scenario files see it (dot-sourced in their BeforeAll, after Harness.ps1): its state in
  $global:Nps, and mocks of the commands the NPS scripts call that change or read that state as Windows would.
    - the Network Policy Server service (IAS): installed or not, its status, its service SID type (sc.exe);
    - Active Directory: the computer's account and the domain's RAS and IAS Servers group (RID 553), found by
      DirectorySearcher as the scripts search them, and netsh nps add registeredserver adding the computer to it;
    - the RADIUS clients (Get-/New-/Set-/Remove-NpsRadiusClient: a name is unique, as New-NpsRadiusClient requires);
    - the registry values of HKLM\SOFTWARE\Microsoft\AzureMfa and HKLM\SYSTEM\CurrentControlSet\Services\AuthSrv\Parameters;
    - the certificates of LocalMachine\My;
    - Key Vault and the instance metadata service (the stubs module's Azure stub): the NPS identity, the shared
      secrets, and the identity's read access to each.
  A failure of one action is injected by name: $global:Nps.Failures['<action>'] = '<message>'.
  Global: mock bodies run in Pester's scope, not in this file's.
#>


<# The binary form of a SID (MS-DTYP 2.4.2.2), as an objectSid attribute holds it. #>
function ConvertTo-SidBytes {
  param([Parameter(Mandatory = $true)] [string] $Sid)
  $parts = $Sid.Split('-')
  $subAuthorities = @($parts | Select-Object -Skip 3)
  $bytes = [System.Collections.Generic.List[byte]]::new()
  $bytes.Add([byte]$parts[1]); $bytes.Add([byte]$subAuthorities.Count)
  $authority = [uint64]$parts[2]
  foreach ($shift in 40, 32, 24, 16, 8, 0) { $bytes.Add([byte](($authority -shr $shift) -band 0xff)) }
  foreach ($sub in $subAuthorities) { $bytes.AddRange([BitConverter]::GetBytes([uint32]$sub)) }
  , $bytes.ToArray()
}

<# A certificate of LocalMachine\My, as the Cert: drive lists it. #>
function New-NpsCertificate {
  param(
    [string] $Thumbprint = ([guid]::NewGuid().ToString('N') + '00000000').Substring(0, 40).ToUpperInvariant(),
    [string] $Subject,
    [datetime] $NotAfter = (Get-Date).AddDays(700),
    [bool] $HasPrivateKey = $true
  )
  [pscustomobject]@{ Thumbprint = $Thumbprint; Subject = $Subject; NotBefore = (Get-Date).AddDays(-30); NotAfter = $NotAfter; HasPrivateKey = $HasPrivateKey }
}

<# The NPS identity's client id in the scenarios (Run Command's IdentityClientId parameter). #>
function Get-NpsIdentity { '6f1c2a52-0000-4000-8000-00000000abcd' }

<#
  A fresh NPS server of the script's environment: the role installed (IAS running, service SID type RESTRICTED as
  Windows Server 2019 ships it), not registered, no RADIUS clients, no extension; the shared secrets of the
  environment's clients in their vaults, readable by the NPS identity, each with the value "<secret name>-value".
#>
function Initialize-NpsServer {
  param($Script, [int] $Number = 1)
  $facts = $Script.Facts
  $computer = $facts.computers.nps[$Number - 1].ToUpperInvariant()
  Initialize-WindowsServer -ComputerName $computer | Out-Null
  # A fresh server: no marker, no script of an earlier scenario (the test drive lives as long as its block).
  Remove-Item -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA') -Recurse -Force -ErrorAction SilentlyContinue
  $domainSid = 'S-1-5-21-1004336348-1177238915-682003330'
  $dc = ($facts.domain.Split('.') | ForEach-Object { 'DC={0}' -f $_ }) -join ','
  $global:Nps = @{
    Facts         = $facts
    Computer      = $computer
    ComputerDn    = 'CN={0},OU=Servers,{1}' -f $computer, $dc
    ComputerSid   = '{0}-{1}' -f $domainSid, (4100 + $Number)
    GroupSid      = '{0}-553' -f $domainSid
    GroupDn       = 'CN=RAS and IAS Servers,CN=Users,{0}' -f $dc
    Members       = [System.Collections.Generic.List[string]]::new()
    SidType       = 'RESTRICTED'
    Service       = @{ Installed = $true; Status = 'Running'; Restarts = 0; StaysStopped = $false }
    Clients       = [System.Collections.Generic.List[hashtable]]::new()
    Registry      = @{}
    Certificates  = [System.Collections.Generic.List[object]]::new()
    Log           = [System.Collections.Generic.List[string]]::new()
    Drained       = [System.Collections.Generic.List[bool]]::new()
    Slept         = 0
    Failures      = @{}
    EventSources  = [System.Collections.Generic.List[string]]::new()
    Events        = [System.Collections.Generic.List[object]]::new()
    Loaded        = $null
    Arriving      = [System.Collections.Generic.List[object]]::new()
  }
  # IAS runs with what the server holds now.
  $global:Nps.Loaded = Get-NpsConfiguration
  Reset-AzureStub
  Add-AzureStubIdentity -ClientId (Get-NpsIdentity)
  foreach ($client in @($facts.nps.radiusClients)) {
    Set-AzureStubSecret -VaultName $client.vaultName -Name $client.secretName -Value ('{0}-value' -f $client.secretName)
    Grant-AzureStubSecretReader -VaultName $client.vaultName -Name $client.secretName -ClientId (Get-NpsIdentity)
  }
}

<# The drain marker the scripts write while IAS restarts (constructs/scripts/nps.ts DRAIN_MARKER). #>
function Get-DrainMarker { Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA') -ChildPath 'nps-draining' }

<# Registers the NPS extension's DLLs as its installer does (the manual step). #>
function Install-NpsExtension {
  $global:Nps.Registry['HKLM:\SYSTEM\CurrentControlSet\Services\AuthSrv\Parameters'] = @{
    ExtensionDLLs     = @('C:\Program Files\Microsoft\AzureMfa\Extensions\MfaNpsAuthnExt.dll')
    AuthorizationDLLs = @('C:\Program Files\Microsoft\AzureMfa\Extensions\MfaNpsAuthzExt.dll')
  }
  $global:Nps.Registry['HKLM:\SOFTWARE\Microsoft\AzureMfa'] = @{ CLIENT_ID = @{ Type = 'String'; Value = '981f26a1-7f43-403b-a875-f8b09b8cd720' } }
}

<# What IAS reads when it starts: its service SID type, the registration, the RADIUS clients, the extension's settings. #>
function Get-NpsConfiguration {
  $n = $global:Nps
  [ordered]@{
    SidType    = $n.SidType
    Registered = $n.Members.Contains($n.ComputerDn)
    Clients    = @($n.Clients | Sort-Object { $_.Name } | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.Name, $_.Address, $_.SharedSecret, $_.Enabled })
    AzureMfa   = $(if ($n.Registry.ContainsKey('HKLM:\SOFTWARE\Microsoft\AzureMfa')) { @($n.Registry['HKLM:\SOFTWARE\Microsoft\AzureMfa'].GetEnumerator() | Sort-Object Key | ForEach-Object { '{0}={1} ({2})' -f $_.Key, $_.Value.Value, $_.Value.Type }) } else { 'no key' })
  } | ConvertTo-Json -Depth 4 -Compress
}

<#
  The state a scenario compares: everything the scripts may change, as text (values of the registry with their types,
  clients with their secrets, certificates by thumbprint), whether the running IAS has read the configuration (it
  reads it when it starts: "The NPS Server service must be restarted after you run the New-NpsRadiusClient cmdlet"),
  and the markers. The number of restarts and the log are not state.
#>
function Get-NpsState {
  $n = $global:Nps
  $configuration = Get-NpsConfiguration
  [ordered]@{
    Configuration  = $configuration | ConvertFrom-Json
    Service        = $n.Service.Status
    IasReadIt      = $n.Service.Status -eq 'Running' -and $n.Loaded -ceq $configuration
    Certificates   = @($n.Certificates | ForEach-Object { $_.Thumbprint } | Sort-Object)
    Draining       = Test-Path -LiteralPath (Get-DrainMarker)
    RestartPending = Test-Path -LiteralPath (Join-Path -Path (Split-Path -Path (Get-DrainMarker) -Parent) -ChildPath 'nps-restart-pending')
  } | ConvertTo-Json -Depth 5 -Compress
}

<# Throws the injected failure of an action, if any. #>
function Assert-NoFailure {
  param([string] $Action)
  if ($global:Nps.Failures.ContainsKey($Action)) { throw $global:Nps.Failures[$Action] }
}

<# An NpsRadiusClient as Get-NpsRadiusClient returns it. #>
function ConvertTo-RadiusClient {
  param([hashtable] $Client)
  [pscustomobject]@{ Name = $Client.Name; Address = $Client.Address; AuthAttributeRequired = $false; SharedSecret = $Client.SharedSecret; VendorName = 'RADIUS Standard'; Enabled = $Client.Enabled }
}

<# Every mock of the NPS server; call it in BeforeAll. #>
function Register-NpsServerMocks {
  Mock Invoke-RestMethod { Invoke-AzureStubRestMethod -Method $Method -Uri $Uri -Headers $Headers }
  # Time passes only while a script sleeps: certificates the Key Vault extension installs arrive then.
  Mock Start-Sleep {
    $global:Nps.Slept += $Seconds
    foreach ($arrival in @($global:Nps.Arriving | Where-Object { $_.After -le $global:Nps.Slept })) {
      $global:Nps.Certificates.Add($arrival.Certificate)
      [void]$global:Nps.Arriving.Remove($arrival)
    }
  }

  # The service.
  Mock Get-Service {
    if ($global:Nps.Service.Installed) { [pscustomobject]@{ Name = 'IAS'; DisplayName = 'Network Policy Server'; Status = $global:Nps.Service.Status } }
  } -ParameterFilter { $Name -eq 'IAS' }
  Mock Restart-Service {
    Assert-NoFailure 'restart'
    $global:Nps.Drained.Add((Test-Path -LiteralPath (Get-DrainMarker)))
    $global:Nps.Service.Restarts++
    $global:Nps.Log.Add('restart IAS')
    $global:Nps.Service.Status = $(if ($global:Nps.Service.StaysStopped) { 'Stopped' } else { 'Running' })
    $global:Nps.Loaded = Get-NpsConfiguration
  } -ParameterFilter { $Name -eq 'IAS' }
  Mock sc.exe {
    $command = $Arguments -join ' '
    if ($command -eq 'qsidtype IAS') {
      if ($global:Nps.Failures.ContainsKey('sc-query')) { $global:LASTEXITCODE = 1060; return '[SC] OpenService FAILED 1060:' }
      $global:LASTEXITCODE = 0
      return @('[SC] QueryServiceConfig2 SUCCESS', '', 'SERVICE_NAME: IAS', ('SERVICE_SID_TYPE:  {0}' -f $global:Nps.SidType))
    }
    if ($command -eq 'sidtype IAS unrestricted') {
      if ($global:Nps.Failures.ContainsKey('sc-set')) { $global:LASTEXITCODE = 5; return '[SC] ChangeServiceConfig2 FAILED 5:', '', 'Access is denied.' }
      $global:Nps.SidType = 'UNRESTRICTED'
      $global:LASTEXITCODE = 0
      return '[SC] ChangeServiceConfig2 SUCCESS'
    }
    throw ('sc.exe stub: unexpected arguments {0}' -f $command)
  }

  # Active Directory.
  Mock New-Object {
    $filter = [string]$ArgumentList[0]
    $global:Nps.Log.Add(('search {0}' -f $filter))
    $searcher = [pscustomobject]@{ Filter = $filter }
    $searcher | Add-Member -MemberType ScriptMethod -Name FindOne -Value {
      $n = $global:Nps
      if ($this.Filter -eq ('(&(objectCategory=computer)(sAMAccountName={0}$))' -f $n.Computer)) {
        $memberOf = @(if ($n.Members.Contains($n.ComputerDn)) { $n.GroupDn })
        return [pscustomobject]@{ Properties = @{ objectsid = @(, (ConvertTo-SidBytes -Sid $n.ComputerSid)); distinguishedname = @($n.ComputerDn); memberof = $memberOf } }
      }
      if ($this.Filter -eq ('(objectSid={0})' -f $n.GroupSid)) { return [pscustomobject]@{ Properties = @{ distinguishedname = @($n.GroupDn) } } }
      return $null
    }
    $searcher
  } -ParameterFilter { $TypeName -eq 'System.DirectoryServices.DirectorySearcher' }
  Mock netsh.exe {
    $command = $Arguments -join ' '
    $expected = 'nps add registeredserver domain={0} server={1}' -f $global:Nps.Facts.domain, $env:COMPUTERNAME
    if ($command -ne $expected) { $global:LASTEXITCODE = 1; return ('The following command was not found: {0}.' -f $command) }
    if ($global:Nps.Failures.ContainsKey('netsh')) { $global:LASTEXITCODE = 1; return $global:Nps.Failures['netsh'] }
    if (-not $global:Nps.Members.Contains($global:Nps.ComputerDn)) { $global:Nps.Members.Add($global:Nps.ComputerDn) }
    $global:Nps.Log.Add('netsh registered')
    $global:LASTEXITCODE = 0
    'Ok.'
  }
  Mock klist.exe { $global:Nps.Log.Add(('klist {0}' -f ($Arguments -join ' '))); $global:LASTEXITCODE = 0 }

  # The RADIUS clients.
  Mock Get-NpsRadiusClient { Assert-NoFailure 'get-clients'; foreach ($c in $global:Nps.Clients) { ConvertTo-RadiusClient -Client $c } }
  Mock New-NpsRadiusClient {
    Assert-NoFailure 'new-client'
    if (@($global:Nps.Clients | Where-Object { $_.Name -eq $Name }).Count -gt 0) { throw ('A RADIUS client named {0} already exists.' -f $Name) }
    $client = @{ Name = $Name; Address = $Address; SharedSecret = $SharedSecret; Enabled = -not $Disabled }
    $global:Nps.Clients.Add($client)
    ConvertTo-RadiusClient -Client $client
  }
  Mock Set-NpsRadiusClient {
    Assert-NoFailure 'set-client'
    $client = @($global:Nps.Clients | Where-Object { $_.Name -eq $Name }) | Select-Object -First 1
    if ($null -eq $client) { throw ('No RADIUS client named {0}.' -f $Name) }
    foreach ($field in 'Address', 'SharedSecret', 'Enabled') { if ($PesterBoundParameters.ContainsKey($field)) { $client[$field] = $PesterBoundParameters[$field] } }
    ConvertTo-RadiusClient -Client $client
  }
  Mock Remove-NpsRadiusClient {
    Assert-NoFailure 'remove-client'
    $client = @($global:Nps.Clients | Where-Object { $_.Name -eq $Name }) | Select-Object -First 1
    if ($null -eq $client) { throw ('No RADIUS client named {0}.' -f $Name) }
    [void]$global:Nps.Clients.Remove($client)
  }

  # The registry of the extension and of NPS's DLLs. -Path is a string[] of these cmdlets: -eq keeps a matching element.
  $isNpsKey = { $Path -eq 'HKLM:\SOFTWARE\Microsoft\AzureMfa' -or $Path -eq 'HKLM:\SYSTEM\CurrentControlSet\Services\AuthSrv\Parameters' }
  Mock Test-Path { $global:Nps.Registry.ContainsKey([string]@($Path)[0]) } -ParameterFilter $isNpsKey
  Mock New-Item {
    Assert-NoFailure 'registry'
    $key = [string]@($Path)[0]
    if (-not $global:Nps.Registry.ContainsKey($key)) { $global:Nps.Registry[$key] = @{} }
  } -ParameterFilter $isNpsKey
  Mock Get-ItemProperty {
    $key = [string]@($Path)[0]
    # A missing key: the scripts ask with -ErrorAction SilentlyContinue, or after creating it.
    if (-not $global:Nps.Registry.ContainsKey($key)) { return }
    $values = [ordered]@{}
    foreach ($entry in $global:Nps.Registry[$key].GetEnumerator()) { $values[$entry.Key] = $(if ($entry.Value -is [hashtable]) { $entry.Value.Value } else { $entry.Value }) }
    [pscustomobject]$values
  } -ParameterFilter $isNpsKey
  Mock New-ItemProperty {
    Assert-NoFailure 'registry'
    $key = [string]@($Path)[0]
    if (-not $global:Nps.Registry.ContainsKey($key)) { throw ('Cannot find path {0} because it does not exist.' -f $key) }
    $global:Nps.Registry[$key][$Name] = @{ Type = $PropertyType; Value = [string]$Value }
  } -ParameterFilter $isNpsKey
  Mock Remove-ItemProperty {
    Assert-NoFailure 'registry'
    $key = [string]@($Path)[0]
    foreach ($n in $Name) { if (-not $global:Nps.Registry[$key].ContainsKey($n)) { throw ('Property {0} does not exist at path {1}.' -f $n, $key) }; $global:Nps.Registry[$key].Remove($n) }
  } -ParameterFilter $isNpsKey

  # The certificate store.
  Mock Get-ChildItem { @($global:Nps.Certificates) } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
  Mock Remove-Item {
    Assert-NoFailure 'remove-certificate'
    $thumbprint = Split-Path -Path $LiteralPath -Leaf
    $certificate = @($global:Nps.Certificates | Where-Object { $_.Thumbprint -eq $thumbprint }) | Select-Object -First 1
    if ($null -eq $certificate) { throw ('Cannot find path {0} because it does not exist.' -f $LiteralPath) }
    [void]$global:Nps.Certificates.Remove($certificate)
  } -ParameterFilter { $LiteralPath -like 'Cert:\LocalMachine\My\*' }
}

<#
  The step titles of a rendered script, in order, from its `$step = '...'` lines: what "every step" means for the
  scenarios that fail each in turn.
#>
function Get-ScriptStep {
  param($Script)
  @(Select-String -LiteralPath $Script.Path -Pattern "^\s*\`$step = '(.*)'$" | ForEach-Object { $_.Matches[0].Groups[1].Value.Replace("''", "'") } | Where-Object { $_ -ne 'start' })
}
