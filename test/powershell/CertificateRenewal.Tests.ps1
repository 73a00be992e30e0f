<#
  Certificate renewals without a person: the renewal script the scheduled task runs on every AD FS and WAP
  server (kind certificate-renewal, decoded from its installer as the server writes it), and the Run Command
  that installs it (certificate-renewal-task). Each server is mocked as Windows reports it: the certificates in
  Cert:\LocalMachine\My, the AD FS bindings (Get-AdfsSslCertificate: HostName, PortNumber, CertificateHash),
  the service-communications certificate, the farm role, the proxy's bindings and published applications, the
  private key's container (certutil) and file, and the task scheduler. The mocked cmdlets change that state as
  the real ones would, so that a second run sees what the first left.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $adfs = @(Get-ScriptCase -Kind 'certificate-renewal' | Where-Object { $_.Script.Tier -eq 'adfs' })
  $wap = @(Get-ScriptCase -Kind 'certificate-renewal' | Where-Object { $_.Script.Tier -eq 'wap' })
  $installers = Get-ScriptCase -Kind 'certificate-renewal-task'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')

  # The server the mocks describe. Global: mock bodies run in Pester's scope, not in this file's.
  $global:Renewal = @{}

  Mock Get-ChildItem { $global:Renewal.Certificates } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
  Mock Get-AdfsSyncProperties { [pscustomobject]@{ Role = $global:Renewal.Role } }
  Mock Get-AdfsSslCertificate { @($global:Renewal.Bindings | ForEach-Object { [pscustomobject]$_ }) }
  Mock Get-AdfsCertificate { @([pscustomobject]@{ CertificateType = 'Service-Communications'; Thumbprint = $global:Renewal.Communications; IsPrimary = $true }) }
  Mock Set-AdfsCertificate { $global:Renewal.Log += 'Set-AdfsCertificate'; $global:Renewal.Communications = $Thumbprint }
  Mock certutil.exe { @('================ Certificate 0 ================', ('  Unique container name: {0}' -f $global:Renewal.Container), 'CertUtil: -store command completed successfully.') }
  Mock icacls.exe { $global:Renewal.Log += 'icacls.exe'; $global:LASTEXITCODE = 0 }
  Mock netsh.exe {
    $endpoint = ($Arguments | Where-Object { $_ -like 'hostnameport=*' }) -replace '^hostnameport=', ''
    $hash = ($Arguments | Where-Object { $_ -like 'certhash=*' }) -replace '^certhash=', ''
    $global:Renewal.Log += 'netsh.exe'
    if ($endpoint -eq $global:Renewal.FailingEndpoint -and $hash -ne $global:Renewal.OldThumbprint) { $global:LASTEXITCODE = 1; return 'SSL Certificate update failed, Error: 1312' }
    foreach ($binding in $global:Renewal.Bindings) { if (('{0}:{1}' -f $binding.HostName, $binding.PortNumber) -eq $endpoint) { $binding.CertificateHash = $hash } }
    $global:LASTEXITCODE = 0
    'SSL Certificate successfully updated'
  }
  Mock Restart-Service { $global:Renewal.Log += 'Restart-Service' }
  Mock Write-EventLog { }
  Mock Get-WebApplicationProxySslCertificate { @($global:Renewal.Bindings | ForEach-Object { [pscustomobject]$_ }) }
  Mock Set-WebApplicationProxySslCertificate { foreach ($binding in $global:Renewal.Bindings) { $binding.CertificateHash = $Thumbprint } }
  Mock Get-WebApplicationProxyApplication { @($global:Renewal.Applications | ForEach-Object { [pscustomobject]$_ }) }
  Mock Set-WebApplicationProxyApplication {
    # Where the federation service name pointed during the write: the hosts file as the call saw it.
    $global:Renewal.HostsDuringCall += , @(Get-Content -LiteralPath $global:Renewal.HostsFile)
    foreach ($application in $global:Renewal.Applications) { if ($application.ID -eq $ID) { $application.ExternalCertificateThumbprint = $ExternalCertificateThumbprint } }
  }
  Mock Resolve-DnsName {
    $address = $global:Renewal.Dns[$Name]
    if ($null -eq $address) { Write-Error ('{0} : DNS name does not exist' -f $Name); return }
    [pscustomobject]@{ Name = $Name; Type = 'A'; IPAddress = $address }
  }
  Mock Clear-DnsClientCache { }

  # The certificate AD FS and WAP were configured with, and its renewal.
  $Old = 'A1' * 20
  $New = 'B2' * 20

  <#
    A server whose Key Vault extension installed a renewal: the old and the new certificate for the
    federation service (and the portal), AD FS or WAP still on the old one. The private key file is where
    certutil's container name points, under %ProgramData%.
  #>
  function Initialize-RenewalServer {
    param($Facts, [string] $Role = 'PrimaryComputer', [string] $Bound = $Old, [object[]] $Extra = @(), [int] $NewValidDays = 365, [string[]] $Hosts = @('127.0.0.1 localhost'))
    $hostsFile = Initialize-WindowsServer -Hosts $Hosts
    $name = $Facts.names.federationService
    $portal = $Facts.names.portal
    $container = 'c0ffee{0}_machine' -f [guid]::NewGuid().ToString('N')
    $keys = Join-Path -Path $env:ProgramData -ChildPath 'Microsoft/Crypto/Keys'
    New-Item -ItemType Directory -Path $keys -Force | Out-Null
    Set-Content -LiteralPath (Join-Path -Path $keys -ChildPath $container) -Value 'key'
    $global:Renewal = @{
      Role = $Role; Container = $container; Communications = $Bound; OldThumbprint = $Old; FailingEndpoint = $null; Log = @()
      HostsFile = $hostsFile; HostsDuringCall = @(); Dns = @{ (Get-PrimaryComputer $Facts) = (Get-PrimaryAddress) }
      Certificates = @(
        (New-StoreCertificate -DnsName $name -Thumbprint $Old -NotAfter (Get-Date).AddDays(20))
        (New-StoreCertificate -DnsName $name -Thumbprint $New -NotAfter (Get-Date).AddDays($NewValidDays))
        (New-StoreCertificate -DnsName $portal -Thumbprint ('C3' * 20) -NotAfter (Get-Date).AddDays(20))
        (New-StoreCertificate -DnsName $portal -Thumbprint ('D4' * 20) -NotAfter (Get-Date).AddDays(400))
      ) + $Extra
      Bindings = @(
        @{ HostName = $name; PortNumber = 443; CertificateHash = $Bound }
        @{ HostName = 'localhost'; PortNumber = 443; CertificateHash = $Bound }
        @{ HostName = $name; PortNumber = 49443; CertificateHash = $Bound }
      )
      Applications = @(
        @{ ID = [guid]::NewGuid(); Name = 'MFA user portal'; ExternalUrl = ('https://{0}/MultiFactorAuth/' -f $portal); ExternalCertificateThumbprint = 'C3' * 20 }
        @{ ID = [guid]::NewGuid(); Name = 'MFA mobile app web service'; ExternalUrl = ('https://{0}/MultiFactorAuthMobileAppWebService/' -f $portal); ExternalCertificateThumbprint = 'C3' * 20 }
      )
    }
  }

  <# The AD FS service account the config names: the gMSA, or the classic account. #>
  function Get-ServiceAccount {
    param($Facts)
    # The manifest holds null (or nothing) for what the config does not set.
    $farm = $Facts.farm.PSObject.Properties
    if ($farm['gmsa'] -and $farm['gmsa'].Value) { $farm['gmsa'].Value } else { $farm['serviceAccountUsername'].Value }
  }
}

Describe 'certificate-renewal on an AD FS server: <Name>' -ForEach $adfs {
  BeforeAll {
    $facts = $Script.Facts
  }

  Context 'on the WID primary, after the Key Vault extension installed a renewal' {
    BeforeEach { Initialize-RenewalServer -Facts $facts -Role 'PrimaryComputer' }

    It 'grants the key first, then sets the service-communications certificate, binds every endpoint and restarts AD FS' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $account = Get-ServiceAccount -Facts $facts
      Should -Invoke icacls.exe -Exactly -Times 1 -ParameterFilter { $Arguments[1] -eq '/grant' -and $Arguments[2] -eq ('{0}:R' -f $account) -and $Arguments[0] -like ('*{0}' -f $global:Renewal.Container) }
      Should -Invoke icacls.exe -Exactly -Times 1 -ParameterFilter { $Arguments[2] -eq 'NT SERVICE\adfssrv:R' }
      Should -Invoke Set-AdfsCertificate -Exactly -Times 1 -ParameterFilter { $CertificateType -eq 'Service-Communications' -and $Thumbprint -eq $New }
      foreach ($endpoint in @(('{0}:443' -f $facts.names.federationService), 'localhost:443', ('{0}:49443' -f $facts.names.federationService))) {
        Should -Invoke netsh.exe -Exactly -Times 1 -ParameterFilter {
          ($Arguments -join ' ') -eq ('http update sslcert hostnameport={0} certhash={1} appid={{5d89a20c-beab-4389-9447-324788eb944a}} certstorename=MY sslctlstorename=AdfsTrustedDevices' -f $endpoint, $New)
        }
      }
      Should -Invoke Restart-Service -Exactly -Times 1 -ParameterFilter { $Name -eq 'adfssrv' }
      @($global:Renewal.Log | Select-Object -Unique) | Should -Be @('icacls.exe', 'Set-AdfsCertificate', 'netsh.exe', 'Restart-Service')
      @($global:Renewal.Bindings | Where-Object { $_.CertificateHash -ne $New }).Count | Should -Be 0
    }

    It 'writes each action to the Application log as a Warning of MFA-HA-CertRenewal (event 1001)' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      # The key, the service-communications certificate, three bindings, the restart.
      Should -Invoke Write-EventLog -Exactly -Times 6 -ParameterFilter { $LogName -eq 'Application' -and $Source -eq 'MFA-HA-CertRenewal' -and $EventId -eq 1001 -and $EntryType -eq 'Warning' }
      Should -Invoke Write-EventLog -Exactly -Times 6
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'nothing to change'
      Should -Invoke Set-AdfsCertificate -Exactly -Times 1
      Should -Invoke netsh.exe -Exactly -Times 3
      Should -Invoke icacls.exe -Exactly -Times 2
      Should -Invoke Restart-Service -Exactly -Times 1
    }
  }

  Context 'on a secondary server' {
    BeforeEach { Initialize-RenewalServer -Facts $facts -Role 'SecondaryComputer' }

    It 'grants the key and binds its own endpoints, and leaves the farm configuration to the primary' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      Should -Invoke icacls.exe -Exactly -Times 2
      Should -Invoke netsh.exe -Exactly -Times 3 -ParameterFilter { $Arguments -contains ('certhash={0}' -f $New) }
      Should -Invoke Restart-Service -Exactly -Times 1 -ParameterFilter { $Name -eq 'adfssrv' }
      Should -Invoke Set-AdfsCertificate -Exactly -Times 0
      Should -Invoke Get-AdfsCertificate -Exactly -Times 0
    }
  }

  Context 'when AD FS already uses the newest certificate' {
    It 'exits 0 and changes nothing, writing no event' {
      Initialize-RenewalServer -Facts $facts -Bound $New
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'nothing to change'
      foreach ($command in 'icacls.exe', 'netsh.exe', 'Set-AdfsCertificate', 'Restart-Service', 'Write-EventLog') { Should -Invoke $command -Exactly -Times 0 }
    }
  }

  Context 'choosing the certificate' {
    It 'takes the newest valid one, its name matched case-insensitively (a wildcard too), never one not yet valid, expired or without its key' {
      $parent = ($facts.names.federationService -split '\.', 2)[1]
      $wildcard = ('C0' * 20)
      $extra = @(
        (New-StoreCertificate -DnsName ('*.{0}' -f $parent.ToUpperInvariant()) -Thumbprint $wildcard -NotAfter (Get-Date).AddDays(500))
        (New-StoreCertificate -DnsName $facts.names.federationService -Thumbprint ('E5' * 20) -NotAfter (Get-Date).AddDays(900) -NotBefore (Get-Date).AddDays(2))
        (New-StoreCertificate -DnsName $facts.names.federationService -Thumbprint ('F6' * 20) -NotAfter (Get-Date).AddDays(900) -HasPrivateKey $false)
        (New-StoreCertificate -DnsName $facts.names.federationService -Thumbprint ('A7' * 20) -NotAfter (Get-Date).AddDays(-1) -NotBefore (Get-Date).AddDays(-400))
      )
      Initialize-RenewalServer -Facts $facts -Extra $extra
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Should -Invoke Set-AdfsCertificate -Exactly -Times 1 -ParameterFilter { $Thumbprint -eq $wildcard }
      Should -Invoke netsh.exe -Exactly -Times 3 -ParameterFilter { $Arguments -contains ('certhash={0}' -f $wildcard) }
    }

    It 'warns (event 1002) when the newest certificate expires within the warning period' {
      # The renewal did not come: the newest certificate is the one AD FS uses, 20 days from its expiry.
      Initialize-RenewalServer -Facts $facts -Bound $Old -NewValidDays 10
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      Should -Invoke Write-EventLog -Exactly -Times 1 -ParameterFilter { $EventId -eq 1002 -and $EntryType -eq 'Warning' -and $Message -like ('*{0} ({1}) expires*' -f $facts.names.federationService, $Old) }
      Should -Invoke Write-EventLog -Exactly -Times 1
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step, logs an Error (event 1003), and leaves every binding and the farm on the old certificate' {
      Initialize-RenewalServer -Facts $facts -Role 'PrimaryComputer'
      $global:Renewal.FailingEndpoint = 'localhost:443'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'certificate-renewal failed at "set the service-communications certificate and bind*": netsh could not bind localhost:443*rolled back: 1 binding(s) and the service-communications certificate*'
      Should -Invoke Write-EventLog -Exactly -Times 1 -ParameterFilter { $EventId -eq 1003 -and $EntryType -eq 'Error' -and $Message -like '*failed at "set the service-communications certificate*' }
      @($global:Renewal.Bindings | Where-Object { $_.CertificateHash -ne $Old }).Count | Should -Be 0
      $global:Renewal.Communications | Should -Be $Old
      Should -Invoke Restart-Service -Exactly -Times 0
    }

    It 'exits 1 before touching AD FS when the private key cannot be granted' {
      Initialize-RenewalServer -Facts $facts -Role 'PrimaryComputer'
      Mock icacls.exe { $global:LASTEXITCODE = 5; 'Access is denied.' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'certificate-renewal failed at "give * read access to the new private key": icacls could not grant*'
      Should -Invoke Write-EventLog -Exactly -Times 1 -ParameterFilter { $EventId -eq 1003 }
      foreach ($command in 'Set-AdfsCertificate', 'netsh.exe', 'Restart-Service') { Should -Invoke $command -Exactly -Times 0 }
    }
  }
}

Describe 'certificate-renewal on a Web Application Proxy: <Name>' -ForEach $wap {
  BeforeAll {
    $facts = $Script.Facts
  }

  Context 'after the Key Vault extension installed renewals of both certificates' {
    BeforeEach { Initialize-RenewalServer -Facts $facts }

    It 'sets the proxy SSL certificate and the external certificate of every published application, then restarts the proxy' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      Should -Invoke Set-WebApplicationProxySslCertificate -Exactly -Times 1 -ParameterFilter { $Thumbprint -eq $New }
      foreach ($application in $global:Renewal.Applications) {
        $applicationId = $application.ID
        Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 1 -ParameterFilter { $ID -eq $applicationId -and $ExternalCertificateThumbprint -eq ('D4' * 20) }
      }
      Should -Invoke Restart-Service -Exactly -Times 1 -ParameterFilter { $Name -eq 'appproxysvc' }
      # The proxy, two applications, the restart.
      Should -Invoke Write-EventLog -Exactly -Times 4 -ParameterFilter { $EventId -eq 1001 }
    }

    It 'writes the applications into the farm through the primary AD FS server, and leaves the hosts file as it found it' {
      $hostsBefore = @(Get-Content -LiteralPath $global:Renewal.HostsFile)
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $global:Renewal.HostsDuringCall.Count | Should -Be 2
      foreach ($hostsSeen in $global:Renewal.HostsDuringCall) { $hostsSeen | Should -Contain (Get-PrimaryEntry $facts) }
      @(Get-Content -LiteralPath $global:Renewal.HostsFile) | Should -Be $hostsBefore
      Should -Invoke Resolve-DnsName -Exactly -Times 1 -ParameterFilter { $Name -eq (Get-PrimaryComputer $facts) -and $Type -eq 'A' -and $DnsOnly }
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'nothing to change'
      Should -Invoke Resolve-DnsName -Exactly -Times 1
      Should -Invoke Set-WebApplicationProxySslCertificate -Exactly -Times 1
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2
      Should -Invoke Restart-Service -Exactly -Times 1
    }
  }

  Context 'when the write through the primary AD FS server fails: a secondary since a promotion, no DNS answer, a failed step' {
    BeforeEach {
      Initialize-RenewalServer -Facts $facts -Hosts @('127.0.0.1 localhost', '10.9.9.9 intranet.contoso.com')
      $global:Renewal.PrimaryEntry = Get-PrimaryEntry $facts
    }

    It 'writes them through the AD FS load balancer instead, once each, and removes its hosts entry' {
      Mock Set-WebApplicationProxyApplication {
        $seen = @(Get-Content -LiteralPath $global:Renewal.HostsFile)
        $global:Renewal.HostsDuringCall += , $seen
        if ($seen -contains $global:Renewal.PrimaryEntry) { throw 'ADMIN0012: the operation can only be performed on the primary federation server' }
        foreach ($application in $global:Renewal.Applications) { if ($application.ID -eq $ID) { $application.ExternalCertificateThumbprint = $ExternalCertificateThumbprint } }
      }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match ('through {0}: ADMIN0012.*again through the AD FS load balancer' -f [regex]::Escape((Get-PrimaryComputer $facts)))
      @($global:Renewal.Applications | Where-Object { $_.ExternalCertificateThumbprint -ne ('D4' * 20) }).Count | Should -Be 0
      # The first write refused through the primary, then both through the load balancer.
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 3
      @(Get-Content -LiteralPath $global:Renewal.HostsFile) | Should -Be @('127.0.0.1 localhost', '10.9.9.9 intranet.contoso.com')
      # One event per application, written once it is updated.
      Should -Invoke Write-EventLog -Exactly -Times 4 -ParameterFilter { $EventId -eq 1001 }
    }

    It 'does the same when the primary does not resolve' {
      $global:Renewal.Dns = @{}
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match ('through {0}: .*DNS name does not exist; again through the AD FS load balancer' -f [regex]::Escape((Get-PrimaryComputer $facts)))
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2
      foreach ($hostsSeen in $global:Renewal.HostsDuringCall) { $hostsSeen | Should -Not -Contain (Get-PrimaryEntry $facts) }
    }

    It 'removes its hosts entry before it writes through the load balancer, when the step fails once the entry is in place' {
      $global:Renewal.CacheClears = 0
      Mock Clear-DnsClientCache { $global:Renewal.CacheClears++; if ($global:Renewal.CacheClears -eq 1) { throw 'The DNS client service is not running.' } }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'The DNS client service is not running.; again through the AD FS load balancer'
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2
      foreach ($hostsSeen in $global:Renewal.HostsDuringCall) { $hostsSeen | Should -Not -Contain $global:Renewal.PrimaryEntry }
      @(Get-Content -LiteralPath $global:Renewal.HostsFile) | Should -Be @('127.0.0.1 localhost', '10.9.9.9 intranet.contoso.com')
    }

    It 'exits 1 naming the step when the load balancer refuses it too, and leaves the hosts file as it found it' {
      Mock Set-WebApplicationProxyApplication { throw 'ADMIN0012: the operation can only be performed on the primary federation server' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'certificate-renewal failed at "set the external certificate of every published application*": ADMIN0012*'
      Should -Invoke Write-EventLog -Exactly -Times 1 -ParameterFilter { $EventId -eq 1003 -and $EntryType -eq 'Error' }
      @(Get-Content -LiteralPath $global:Renewal.HostsFile) | Should -Be @('127.0.0.1 localhost', '10.9.9.9 intranet.contoso.com')
    }
  }

  Context 'when only the portal certificate was renewed' {
    It 'updates the applications and leaves the proxy running' {
      Initialize-RenewalServer -Facts $facts -Bound $New
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Should -Invoke Set-WebApplicationProxySslCertificate -Exactly -Times 0
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2
      Should -Invoke Restart-Service -Exactly -Times 0
    }
  }

  Context 'when an application is published with a certificate this proxy does not hold' {
    It 'leaves that application as it is and renews the others' {
      Initialize-RenewalServer -Facts $facts
      $global:Renewal.Applications += @{ ID = [guid]::NewGuid(); Name = 'Intranet'; ExternalUrl = 'https://intranet.example.org/'; ExternalCertificateThumbprint = 'E7' * 20 }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'Intranet: no valid certificate for intranet.example.org.*left as it is'
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2 -ParameterFilter { $ExternalCertificateThumbprint -eq ('D4' * 20) }
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2
    }
  }

  Context 'when the proxy and its applications already use the newest certificates' {
    It 'exits 0 and changes nothing' {
      Initialize-RenewalServer -Facts $facts -Bound $New
      foreach ($application in $global:Renewal.Applications) { $application.ExternalCertificateThumbprint = 'D4' * 20 }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'nothing to change'
      foreach ($command in 'Set-WebApplicationProxySslCertificate', 'Set-WebApplicationProxyApplication', 'Restart-Service', 'Write-EventLog') { Should -Invoke $command -Exactly -Times 0 }
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step, logs an Error (event 1003), and the old certificate stays bound' {
      Initialize-RenewalServer -Facts $facts
      Mock Set-WebApplicationProxySslCertificate { throw 'The certificate could not be bound: the private key is not accessible.' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike "certificate-renewal failed at ""set the proxy's SSL certificate*"": The certificate could not be bound*"
      Should -Invoke Write-EventLog -Exactly -Times 1 -ParameterFilter { $EventId -eq 1003 -and $EntryType -eq 'Error' }
      @($global:Renewal.Bindings | Where-Object { $_.CertificateHash -ne $Old }).Count | Should -Be 0
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 0
      Should -Invoke Restart-Service -Exactly -Times 0
    }
  }
}

Describe 'certificate-renewal-task: <Name>' -ForEach $installers {
  BeforeAll {
    # The renewal script this installer carries, as the server will write it.
    $encoded = [regex]::Match((Get-Content -LiteralPath $Script.Path -Raw), "FromBase64String\('([A-Za-z0-9+/=]+)'\)").Groups[1].Value
    $expected = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($encoded))
    $source = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\MFA-HA-CertRenewal'
    Mock Test-Path { $global:Renewal.SourceRegistered } -ParameterFilter { $Path -eq $source }
    Mock New-EventLog { $global:Renewal.SourceRegistered = $true }
    Mock icacls.exe { $global:LASTEXITCODE = 0 }
    Mock Get-ScheduledTask { $global:Renewal.Task }
    Mock New-ScheduledTaskAction { [pscustomobject]@{ Execute = $Execute; Arguments = $Argument } }
    Mock New-ScheduledTaskTrigger { [pscustomobject]@{ Parameters = $PSBoundParameters } }
    Mock New-ScheduledTaskPrincipal { [pscustomobject]@{ UserId = $UserId } }
    Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{} }
    Mock Register-ScheduledTask { $global:Renewal.Task = [pscustomobject]@{ TaskName = $TaskName; TaskPath = $TaskPath; Description = $Description } }
  }

  Context 'on a fresh server' {
    BeforeEach {
      Initialize-WindowsServer | Out-Null
      $global:Renewal = @{ SourceRegistered = $false; Task = $null }
      $file = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/Update-CertificateBindings.ps1'
    }

    It 'registers the event source, writes the renewal script under %ProgramData% and registers the task once' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      Should -Invoke New-EventLog -Exactly -Times 1 -ParameterFilter { $LogName -eq 'Application' -and $Source -eq 'MFA-HA-CertRenewal' }
      Get-Content -LiteralPath $file -Raw -Encoding utf8 | Should -BeExactly $expected
      Should -Invoke Register-ScheduledTask -Exactly -Times 1 -ParameterFilter {
        $TaskName -eq 'Certificate renewal' -and $TaskPath -eq '\MFA-HA\' -and $Force -and $Principal.UserId -eq 'SYSTEM' -and
        $Action[0].Execute -eq 'powershell.exe' -and $Action[0].Arguments -eq ('-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "{0}"' -f $file) -and @($Trigger).Count -eq 2
      }
      Should -Invoke New-ScheduledTaskPrincipal -Exactly -Times 1 -ParameterFilter { $UserId -eq 'SYSTEM' -and $LogonType -eq 'ServiceAccount' -and $RunLevel -eq 'Highest' }
    }

    It 'runs the task daily and every hour, the hour the Key Vault extension polls' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Daily -and $At.TimeOfDay -eq [timespan]'03:00:00' }
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Once -and $At.TimeOfDay -eq [timespan]'00:00:00' -and $RepetitionInterval -eq [timespan]'01:00:00' -and $RepetitionDuration.TotalDays -ge 365 }
    }

    It 'runs server <Computer> at <Minute> minutes past the hour, so that no two servers of a tier restart together' -ForEach @(
      @{ Computer = 'PROD-ADFS1'; Minute = 0 }, @{ Computer = 'PROD-ADFS2'; Minute = 13 }, @{ Computer = 'PROD-WAP3'; Minute = 26 }, @{ Computer = 'DEV-WAP10'; Minute = 57 }, @{ Computer = 'NODIGITS'; Minute = 0 }
    ) {
      Initialize-WindowsServer -ComputerName $Computer | Out-Null
      Invoke-GeneratedScript -Script $Script | Out-Null
      # Not $at: inside a parameter filter that name is the call's -At.
      $offset = [timespan]::FromMinutes($Minute)
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Daily -and $At.TimeOfDay -eq ([timespan]'03:00:00' + $offset) }
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Once -and $At.TimeOfDay -eq $offset -and $RepetitionInterval -eq [timespan]'01:00:00' }
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $written = (Get-Item -LiteralPath $file).LastWriteTimeUtc
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'nothing to change'
      Should -Invoke New-EventLog -Exactly -Times 1
      Should -Invoke Register-ScheduledTask -Exactly -Times 1
      (Get-Item -LiteralPath $file).LastWriteTimeUtc | Should -Be $written
      $second.Text | Should -Match 'already current'
    }
  }

  Context 'on a server where this definition is already installed' {
    It 'exits 0 and changes nothing' {
      Initialize-WindowsServer | Out-Null
      $description = [regex]::Match((Get-Content -LiteralPath $Script.Path -Raw), "\`$description = '([^']+)'").Groups[1].Value
      $description | Should -Not -BeNullOrEmpty
      $global:Renewal = @{ SourceRegistered = $true; Task = [pscustomobject]@{ TaskName = 'Certificate renewal'; TaskPath = '\MFA-HA\'; Description = $description } }
      $file = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/Update-CertificateBindings.ps1'
      New-Item -ItemType Directory -Path (Split-Path -Path $file -Parent) -Force | Out-Null
      Set-Content -LiteralPath $file -Value $expected -Encoding utf8 -NoNewline
      $written = (Get-Item -LiteralPath $file).LastWriteTimeUtc
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'already current'
      $run.Text | Should -Match 'nothing to change'
      (Get-Item -LiteralPath $file).LastWriteTimeUtc | Should -Be $written
      foreach ($command in 'New-EventLog', 'Register-ScheduledTask', 'New-ScheduledTaskAction', 'New-ScheduledTaskTrigger') { Should -Invoke $command -Exactly -Times 0 }
    }
  }

  Context 'on a server where an earlier definition is installed' {
    It 'writes the new script and registers the task again' {
      Initialize-WindowsServer | Out-Null
      $global:Renewal = @{ SourceRegistered = $true; Task = [pscustomobject]@{ TaskName = 'Certificate renewal'; TaskPath = '\MFA-HA\'; Description = 'an earlier definition' } }
      $file = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/Update-CertificateBindings.ps1'
      New-Item -ItemType Directory -Path (Split-Path -Path $file -Parent) -Force | Out-Null
      Set-Content -LiteralPath $file -Value '# an earlier script' -Encoding utf8
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      Should -Invoke New-EventLog -Exactly -Times 0
      Get-Content -LiteralPath $file -Raw -Encoding utf8 | Should -BeExactly $expected
      Should -Invoke Register-ScheduledTask -Exactly -Times 1 -ParameterFilter { $Force }
      $run.Text | Should -Match 'updated to this definition'
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step when the task cannot be registered' {
      Initialize-WindowsServer | Out-Null
      $global:Renewal = @{ SourceRegistered = $true; Task = $null }
      Mock Register-ScheduledTask { throw 'Access is denied.' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'certificate-renewal-task failed at "register the scheduled task*": Access is denied.'
    }
  }
}

AfterAll {
  Remove-Variable -Name Renewal -Scope Global -ErrorAction SilentlyContinue
}
