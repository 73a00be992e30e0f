<#
  Web Application Proxies sharing one farm, for the renewal scenarios, kept as state. Dot-sourced in a BeforeAll,
  after Harness.ps1.

    $global:Farm.Applications     the farm's published applications: one object every proxy reads and writes
    $global:Farm.History          every certificate the farm pointed an application at, in order, and who wrote it
    $global:Farm.Proxies[<name>]  each proxy: its certificates (LocalMachine\My and Root), its own SSL certificate and
                                  the one its service serves (since its last restart), its HTTP.sys bindings, its
                                  hosts file and %ProgramData%, its events, its address, and whether it is up
  The scripts run on one proxy at a time (Invoke-OnProxy). A proxy reads another's advertised certificate over TLS:
  the mocked TcpClient and SslStream answer with the certificate that proxy's HTTP.sys binds to the name asked for.
  Set-WebApplicationProxyApplication refuses a certificate the calling proxy does not hold, as its page says of
  -ExternalCertificateThumbprint ("must be in the local computer's Personal store").
#>

$FsOld = 'A1' * 20
$FsNew = 'B2' * 20
$PortalOld = 'C3' * 20
$PortalNew = 'D4' * 20

$global:Farm = @{}

<# The proxy the scripts run on now: its environment and its HTTP.sys. #>
function Use-Proxy {
  param([Parameter(Mandatory = $true)] [string] $Name)
  if ($global:Farm.Active) { $global:Farm.Proxies[$global:Farm.Active].HttpSys = Save-HttpSys }
  $proxy = $global:Farm.Proxies[$Name]
  $env:SystemRoot = $proxy.SystemRoot
  $env:ProgramData = $proxy.ProgramData
  $env:COMPUTERNAME = $Name
  Restore-HttpSys -State $proxy.HttpSys
  $global:Farm.Active = $Name
}

function Get-ActiveProxy { $global:Farm.Proxies[$global:Farm.Active] }

<# Runs a generated script on one proxy of the farm. #>
function Invoke-OnProxy {
  param([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] $Script)
  Use-Proxy -Name $Name
  $run = Invoke-GeneratedScript -Script $Script
  $global:Farm.Proxies[$Name].HttpSys = Save-HttpSys
  $run
}

<#
  A farm of proxies, each holding the certificates given (thumbprints: $FsOld, $FsNew, $PortalOld, $PortalNew),
  its own SSL certificate on $FsOld, and the MFA portal's two applications published with $PortalOld.
#>
function Initialize-ProxyFarm {
  param($Facts, [Parameter(Mandatory = $true)] [hashtable] $Holds, [string] $Published = $PortalOld, [string] $Bound = $FsOld, [string] $Issuer = 'CN=Contoso Issuing CA 01')
  $fs = $Facts.names.federationService
  $portal = $Facts.names.portal
  $validity = @{ $FsOld = 20; $FsNew = 365; $PortalOld = 20; $PortalNew = 400 }
  $names = @{ $FsOld = $fs; $FsNew = $fs; $PortalOld = $portal; $PortalNew = $portal }
  $global:Farm = @{
    Active = $null; History = @(); Proxies = [ordered]@{}; FederationService = $fs
    Dns = @{ (Get-PrimaryComputer $Facts) = (Get-PrimaryAddress) }
    Applications = @(
      [pscustomobject]@{ ID = [guid]::NewGuid(); Name = 'MFA user portal'; ExternalUrl = "https://$portal/MultiFactorAuth/"; ExternalCertificateThumbprint = $Published }
      [pscustomobject]@{ ID = [guid]::NewGuid(); Name = 'MFA mobile app web service'; ExternalUrl = "https://$portal/MultiFactorAuthMobileAppWebService/"; ExternalCertificateThumbprint = $Published }
    )
  }
  $i = 0
  $addresses = @{}
  foreach ($name in @($Holds.Keys | Sort-Object)) { $addresses[$name] = '10.1.3.{0}' -f (11 + $i++) }
  foreach ($name in @($Holds.Keys | Sort-Object)) {
    $root = Join-Path -Path $TestDrive -ChildPath $name
    $etc = Join-Path -Path $root -ChildPath 'Windows/System32/drivers/etc'
    $data = Join-Path -Path $root -ChildPath 'ProgramData'
    New-Item -ItemType Directory -Path $etc, (Join-Path -Path $data -ChildPath 'MFA-HA') -Force | Out-Null
    Set-Content -LiteralPath (Join-Path -Path $etc -ChildPath 'hosts') -Encoding ascii -Value '127.0.0.1 localhost'
    Set-Content -LiteralPath (Join-Path -Path $data -ChildPath 'MFA-HA/peers.txt') -Encoding ascii -Value @($addresses.Keys | Where-Object { $_ -ne $name } | Sort-Object | ForEach-Object { $addresses[$_] })
    Reset-HttpSys
    $global:Farm.Proxies[$name] = @{
      Name = $name; Address = $addresses[$name]; Up = $true; SystemRoot = (Join-Path -Path $root -ChildPath 'Windows'); ProgramData = $data
      HostsFile = (Join-Path -Path $etc -ChildPath 'hosts'); HostsDuringCall = @()
      Certificates = @($Holds[$name] | ForEach-Object { New-StoreCertificate -DnsName $names[$_] -Thumbprint $_ -NotAfter (Get-Date).AddDays($validity[$_]) -Issuer $Issuer })
      Root = @(); SslCertificate = $Bound; Served = $Bound; Restarts = 0; FailRestarts = 0; Events = @(); HttpSys = (Save-HttpSys)
    }
  }
  $global:Farm.Active = $null
}

<# Gives a proxy another certificate, as its Key Vault extension does when it polls. #>
function Add-ProxyCertificate {
  param([string] $Proxy, [string] $Thumbprint, [string] $DnsName, [int] $ValidDays = 400)
  $global:Farm.Proxies[$Proxy].Certificates += New-StoreCertificate -DnsName $DnsName -Thumbprint $Thumbprint -NotAfter (Get-Date).AddDays($ValidDays)
}

<# What runs leave on the active proxy and the farm, to compare (not their history: events, restarts counted). #>
function Get-ProxyFarmState {
  $proxy = Get-ActiveProxy
  $proxy.HttpSys = Save-HttpSys
  [ordered]@{
    SslCertificate = $proxy.SslCertificate; Served = $proxy.Served; HttpSys = @(Get-HttpSysBinding)
    RestartPending = Test-Path -LiteralPath (Join-Path -Path $proxy.ProgramData -ChildPath 'MFA-HA/appproxysvc.restart-pending')
    Hosts = @(Get-Content -LiteralPath $proxy.HostsFile); Root = @($proxy.Root | ForEach-Object { $_.Thumbprint })
    Farm = @($global:Farm.Applications | ForEach-Object { $_.ExternalCertificateThumbprint })
  }
}

<# Fails unless every certificate the farm ever pointed at was, at that moment, held by every proxy, and never an older one than before. #>
function Assert-FarmMovedSafely {
  foreach ($entry in $global:Farm.History) {
    foreach ($proxy in $global:Farm.Proxies.Values) {
      $entry.HeldBy | Should -Contain $proxy.Name -Because ('the farm pointed {0} at {1} while {2} did not hold it' -f $entry.Application, $entry.Thumbprint, $proxy.Name)
    }
    $entry.Forward | Should -BeTrue -Because ('the farm moved {0} back from {1} to {2}' -f $entry.Application, $entry.From, $entry.Thumbprint)
  }
}

Mock Get-ChildItem { $null = Enter-Command 'Get-ChildItem Cert:'; (Get-ActiveProxy).Certificates } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
Mock Get-WebApplicationProxySslCertificate { $null = Enter-Command 'Get-WebApplicationProxySslCertificate'; [pscustomobject]@{ HostName = $global:Farm.FederationService; PortNumber = 443; CertificateHash = (Get-ActiveProxy).SslCertificate } }
Mock Set-WebApplicationProxySslCertificate {
  $null = Enter-Command 'Set-WebApplicationProxySslCertificate'
  if (@((Get-ActiveProxy).Certificates | Where-Object { $_.Thumbprint -eq $Thumbprint }).Count -eq 0) { throw "The certificate $Thumbprint is not in the local computer's Personal store." }
  (Get-ActiveProxy).SslCertificate = $Thumbprint
}
Mock Restart-Service {
  $null = Enter-Command 'Restart-Service'
  $proxy = Get-ActiveProxy
  if ($proxy.FailRestarts -gt 0) { $proxy.FailRestarts--; throw 'Service appproxysvc cannot be started.' }
  $proxy.Served = $proxy.SslCertificate
  $proxy.Restarts++
}
Mock Write-EventLog { $null = Enter-Command 'Write-EventLog'; (Get-ActiveProxy).Events += [pscustomobject]@{ Id = $EventId; EntryType = $EntryType; Message = $Message } }
Mock Get-WebApplicationProxyApplication { $null = Enter-Command 'Get-WebApplicationProxyApplication'; @($global:Farm.Applications | ForEach-Object { $_.PSObject.Copy() }) }
Mock Set-WebApplicationProxyApplication {
  $null = Enter-Command 'Set-WebApplicationProxyApplication'
  $proxy = Get-ActiveProxy
  $proxy.HostsDuringCall += , @(Get-Content -LiteralPath $proxy.HostsFile)
  $held = @($proxy.Certificates | Where-Object { $_.Thumbprint -eq $ExternalCertificateThumbprint }) | Select-Object -First 1
  if ($null -eq $held) { throw "The certificate $ExternalCertificateThumbprint is not in the local computer's Personal store." }
  $application = $global:Farm.Applications | Where-Object { $_.ID -eq $ID }
  $from = @($proxy.Certificates | Where-Object { $_.Thumbprint -eq $application.ExternalCertificateThumbprint }) | Select-Object -First 1
  $global:Farm.History += [pscustomobject]@{
    Application = $application.Name; From = $application.ExternalCertificateThumbprint; Thumbprint = $ExternalCertificateThumbprint; By = $proxy.Name
    HeldBy = @($global:Farm.Proxies.Values | Where-Object { @($_.Certificates | Where-Object { $_.Thumbprint -eq $ExternalCertificateThumbprint }).Count -gt 0 } | ForEach-Object { $_.Name })
    Forward = ($null -eq $from -or $held.NotAfter -gt $from.NotAfter)
  }
  $application.ExternalCertificateThumbprint = $ExternalCertificateThumbprint
}
Mock Resolve-DnsName {
  $null = Enter-Command 'Resolve-DnsName'
  $address = $global:Farm.Dns[$Name]
  if ($null -eq $address) { Write-Error ('{0} : DNS name does not exist' -f $Name); return }
  [pscustomobject]@{ Name = $Name; Type = 'A'; IPAddress = $address }
}
Mock Clear-DnsClientCache { $null = Enter-Command 'Clear-DnsClientCache' }
Mock netsh.exe { if (Enter-Command ('netsh.exe {0}' -f $Arguments[1]) -Native) { return 'The parameter is incorrect.' }; Invoke-HttpSysNetsh -Arguments $Arguments }
# The peers' probes: a proxy that is up answers /adfs/probe.
Mock Invoke-WebRequest {
  $null = Enter-Command 'Invoke-WebRequest'
  $address = ([uri]$Uri).Host
  if (@($global:Farm.Proxies.Values | Where-Object { $_.Address -eq $address -and $_.Up }).Count -gt 0) { return [pscustomobject]@{ StatusCode = 200 } }
  throw "Unable to connect to the remote server ($address)"
}
# TLS to a peer: the certificate its HTTP.sys binds to the name asked for (SNI), as the handshake presents it.
Mock New-Object {
  $null = Enter-Command 'New-Object TcpClient'
  $client = [pscustomobject]@{ Address = $null }
  $client | Add-Member -MemberType ScriptMethod -Name ConnectAsync -Value {
    param($Address, $Port)
    $this.Address = $Address
    $up = @($global:Farm.Proxies.Values | Where-Object { $_.Address -eq $Address -and $_.Up }).Count -gt 0
    $task = [pscustomobject]@{ Up = $up }
    $task | Add-Member -MemberType ScriptMethod -Name Wait -Value { param($Milliseconds) $this.Up }
    $task
  }
  $client | Add-Member -MemberType ScriptMethod -Name GetStream -Value { [pscustomobject]@{ Address = $this.Address } }
  $client | Add-Member -MemberType ScriptMethod -Name Dispose -Value { }
  $client
} -ParameterFilter { $TypeName -eq 'System.Net.Sockets.TcpClient' }
Mock New-Object {
  $stream = [pscustomobject]@{ Address = $ArgumentList[0].Address; RemoteCertificate = $null }
  $stream | Add-Member -MemberType ScriptMethod -Name AuthenticateAsClient -Value {
    param($ServerName)
    $peer = @($global:Farm.Proxies.Values | Where-Object { $_.Address -eq $this.Address }) | Select-Object -First 1
    $binding = $peer.HttpSys[('{0}:443' -f $ServerName).ToLowerInvariant()]
    if ($null -eq $binding) { throw 'Authentication failed because the remote party has closed the transport stream.' }
    $this.RemoteCertificate = $binding['Certificate Hash'].ToUpperInvariant()
  }
  $stream
} -ParameterFilter { $TypeName -eq 'System.Net.Security.SslStream' }
Mock New-Object { [pscustomobject]@{ Thumbprint = [string]$ArgumentList[0] } } -ParameterFilter { $TypeName -eq 'System.Security.Cryptography.X509Certificates.X509Certificate2' }
Mock New-Object {
  $store = [pscustomobject]@{ Certificates = @((Get-ActiveProxy).Root) }
  $store | Add-Member -MemberType ScriptMethod -Name Open -Value { param($Flags) }
  $store | Add-Member -MemberType ScriptMethod -Name Add -Value { param($Certificate) (Get-ActiveProxy).Root += $Certificate }
  $store | Add-Member -MemberType ScriptMethod -Name Close -Value { }
  $store
} -ParameterFilter { $TypeName -eq 'System.Security.Cryptography.X509Certificates.X509Store' }
