<#
  An AD FS or Web Application Proxy server for the renewal scenarios, kept as state: what Windows would report,
  changed by the mocked commands as the real ones change it. Dot-sourced in a BeforeAll, after Harness.ps1.

    $global:Server.Certificates   Cert:\LocalMachine\My
    HTTP.sys (Get-HttpSysBinding)  every SSL binding with every field netsh shows
    $global:Server.Served         by binding, the certificate the service serves: HTTP.sys's, when it last started
    $global:Server.Events         the Application log events written (Id, EntryType, Message)
    $global:Server.Grants         the private key's access list (icacls)
    $global:Server.Restarts       how often each service restarted
    $global:Server.Peers          the other servers of the tier (%ProgramData%\MFA-HA\peers.txt, as the installer
                                  writes it), and $global:Server.Serving those of them that answer /adfs/probe
  Failures to inject: RefuseBinding (an endpoint netsh refuses to write the new certificate to), FailRestarts (the
  next N restarts throw).
#>

# The certificate AD FS and WAP were configured with, and its renewal.
$Old = 'A1' * 20
$New = 'B2' * 20
# The AD FS application id of its HTTP.sys bindings (the AD FS FAQ's netsh commands).
$AdfsAppId = '{5d89a20c-beab-4389-9447-324788eb944a}'

$global:Server = @{}

Mock Get-ChildItem { $null = Enter-Command 'Get-ChildItem Cert:'; $global:Server.Certificates } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
Mock Get-AdfsSyncProperties { [pscustomobject]@{ Role = $global:Server.Role } }
# Its output as the page's example shows it: HostName, PortNumber, CertificateHash of each AD FS binding.
Mock Get-AdfsSslCertificate {
  $null = Enter-Command 'Get-AdfsSslCertificate'
  @(Get-HttpSysBinding | Where-Object { $_['Application ID'] -eq $AdfsAppId } | ForEach-Object {
      $hostName, $port = $_['Hostname:port'] -split ':'
      [pscustomobject]@{ HostName = $hostName; PortNumber = [int]$port; CertificateHash = $_['Certificate Hash'].ToUpperInvariant() }
    })
}
Mock Get-AdfsCertificate { @([pscustomobject]@{ CertificateType = 'Service-Communications'; Thumbprint = $global:Server.Communications; IsPrimary = $true }) }
Mock Set-AdfsCertificate { $global:Server.Communications = $Thumbprint }
Mock certutil.exe { if (Enter-Command 'certutil.exe' -Native) { return 'CertUtil: -store command FAILED' }; $global:LASTEXITCODE = 0; @('================ Certificate 0 ================', ('  Unique container name: {0}' -f $global:Server.Container), 'CertUtil: -store command completed successfully.') }
Mock icacls.exe { if (Enter-Command 'icacls.exe' -Native) { return 'Access is denied.' }; $global:Server.Grants += $Arguments[2]; $global:LASTEXITCODE = 0 }
Mock netsh.exe {
  if (Enter-Command ('netsh.exe {0}' -f $Arguments[1]) -Native) { return 'The parameter is incorrect.' }
  $hash = ($Arguments | Where-Object { $_ -like 'certhash=*' }) -replace '^certhash=', ''
  $endpoint = ($Arguments | Where-Object { $_ -like 'hostnameport=*' }) -replace '^hostnameport=', ''
  if ($Arguments[1] -in 'update', 'add' -and $endpoint -eq $global:Server.RefuseBinding -and $hash -ne $Old) { $global:LASTEXITCODE = 1; return 'SSL Certificate update failed, Error: 1312' }
  Invoke-HttpSysNetsh -Arguments $Arguments
}
Mock Restart-Service {
  $null = Enter-Command 'Restart-Service'
  if ($global:Server.FailRestarts -gt 0) { $global:Server.FailRestarts--; throw ('Service {0} cannot be started: the service did not respond in a timely fashion.' -f $Name[0]) }
  $global:Server.Restarts[$Name[0]] = 1 + [int]$global:Server.Restarts[$Name[0]]
  foreach ($binding in @(Get-HttpSysBinding)) { $global:Server.Served[$binding['Hostname:port']] = $binding['Certificate Hash'].ToUpperInvariant() }
}
Mock Write-EventLog { $null = Enter-Command 'Write-EventLog'; $global:Server.Events += [pscustomobject]@{ Id = $EventId; EntryType = $EntryType; Message = $Message } }
# The peers' probes: http://<address>/adfs/probe answers 200 where a peer serves.
Mock Invoke-WebRequest {
  $null = Enter-Command 'Invoke-WebRequest'
  $address = ([uri]$Uri).Host
  if ($address -in $global:Server.Serving) { return [pscustomobject]@{ StatusCode = 200 } }
  throw ('Unable to connect to the remote server ({0})' -f $address)
}

<# The list of peers the renewal task installer writes (one address a line), and which of them serve. #>
function Set-RenewalPeers {
  param([string[]] $Peers = @('10.1.2.11', '10.1.2.12'), [string[]] $Serving = $Peers)
  $folder = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA'
  New-Item -ItemType Directory -Path $folder -Force | Out-Null
  Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'peers.txt') -Value $Peers -Encoding ascii
  $global:Server.Peers = $Peers
  $global:Server.Serving = $Serving
}

<#
  An AD FS server whose Key Vault extension installed a renewal: the old and the new certificate for the
  federation service, HTTP.sys's three AD FS bindings on the old one (the certificate authentication endpoint
  negotiating client certificates, as AD FS sets it), the service serving them. The private key file is where
  certutil's container name points, under %ProgramData%.
#>
function Initialize-AdfsRenewalServer {
  param($Facts, [string] $Role = 'PrimaryComputer', [string] $Bound = $Old, [int] $NewValidDays = 365)
  Initialize-WindowsServer | Out-Null
  $name = $Facts.names.federationService
  $container = 'c0ffee{0}_machine' -f [guid]::NewGuid().ToString('N')
  $keys = Join-Path -Path $env:ProgramData -ChildPath 'Microsoft/Crypto/Keys'
  New-Item -ItemType Directory -Path $keys -Force | Out-Null
  Set-Content -LiteralPath (Join-Path -Path $keys -ChildPath $container) -Value 'key'
  Reset-HttpSys
  Add-HttpSysBinding -HostnamePort "${name}:49443" -CertificateHash $Bound -ApplicationId $AdfsAppId -Field @{ 'Negotiate Client Certificate' = 'Enabled'; 'Verify Client Certificate Revocation' = 'Disabled'; 'Revocation Freshness Time' = '3600' }
  Add-HttpSysBinding -HostnamePort "${name}:443" -CertificateHash $Bound -ApplicationId $AdfsAppId -Field @{ 'Ctl Store Name' = 'AdfsTrustedDevices' }
  Add-HttpSysBinding -HostnamePort 'localhost:443' -CertificateHash $Bound -ApplicationId $AdfsAppId -Field @{ 'Ctl Store Name' = 'AdfsTrustedDevices' }
  $global:Server = @{
    Role = $Role; Container = $container; Communications = $Bound; Grants = @(); Events = @(); Restarts = @{}; Served = [ordered]@{}
    RefuseBinding = $null; FailRestarts = 0
    Certificates = @(
      (New-StoreCertificate -DnsName $name -Thumbprint $Old -NotAfter (Get-Date).AddDays(20))
      (New-StoreCertificate -DnsName $name -Thumbprint $New -NotAfter (Get-Date).AddDays($NewValidDays))
    )
  }
  foreach ($binding in @(Get-HttpSysBinding)) { $global:Server.Served[$binding['Hostname:port']] = $binding['Certificate Hash'].ToUpperInvariant() }
  Set-RenewalPeers
}

<# What a run of the renewal leaves on the server, to compare (not its history: events, how often it restarted). #>
function Get-AdfsRenewalState {
  [ordered]@{
    Bindings       = @(Get-HttpSysBinding)
    Served         = $global:Server.Served
    Grants         = @($global:Server.Grants | Sort-Object -Unique)
    Communications = $global:Server.Communications
    RestartPending = Test-Path -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/adfssrv.restart-pending')
  }
}

<# The certificate each binding's service serves, in HTTP.sys's order. #>
function Get-ServedCertificate { @($global:Server.Served.Values) }
