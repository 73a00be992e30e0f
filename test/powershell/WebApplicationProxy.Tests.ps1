<#
  The Web Application Proxy scripts: registration with the farm (Run Command `wap-enrollment`) and publishing
  of the MFA user portal and mobile app web service (`wap-publishing`). The proxy's state is mocked as Windows
  reports it (ProxyConfigurationStatus in HKLM:\SOFTWARE\Microsoft\ADFS, the published applications), names
  resolve through mocked DNS, and the hosts file is a real file on the test drive.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $enrollment = Get-ScriptCase -Kind 'wap-enrollment'
  $publishing = Get-ScriptCase -Kind 'wap-publishing'
  $representatives = @(Get-RepresentativeCase -Kind 'wap-enrollment') + @(Get-RepresentativeCase -Kind 'wap-publishing')
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')

  # The proxy the mocks describe (global: mock bodies run in Pester's scope, not in this file's).
  $global:Proxy = @{}
  $script:LoadBalancerAddress = '10.1.2.100'

  Mock Get-ItemProperty { $null = Enter-Command 'Get-ItemProperty HKLM:'; if ($null -eq $global:Proxy.Status) { return $null } [pscustomobject]@{ ProxyConfigurationStatus = $global:Proxy.Status } } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Microsoft\ADFS' }
  Mock Get-ChildItem { $null = Enter-Command 'Get-ChildItem Cert:'; $global:Proxy.Certificates } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
  # The proxy trust certificate Install-WebApplicationProxy leaves in LocalMachine\My (renewed while the proxy reaches the farm).
  function New-ProxyTrustCertificate([int] $ValidDays = 14) {
    $trust = New-StoreCertificate -DnsName 'ADFS ProxyTrust - WAP1' -NotAfter (Get-Date).AddDays($ValidDays) -NotBefore (Get-Date).AddDays($ValidDays - 20)
    $trust.Subject = 'CN=ADFS ProxyTrust - WAP1'
    $trust
  }
  Mock Resolve-DnsName {
    $null = Enter-Command 'Resolve-DnsName'
    $address = $global:Proxy.Dns[$Name]
    if ($null -eq $address) { Write-Error ('{0} : DNS name does not exist' -f $Name); return }
    [pscustomobject]@{ Name = $Name; Type = 'A'; IPAddress = $address }
  }
  Mock Clear-DnsClientCache { $null = Enter-Command 'Clear-DnsClientCache' }
  Mock Install-WebApplicationProxy {
    $null = Enter-Command 'Install-WebApplicationProxy'
    $global:Proxy.HostsDuringCall = @(Get-Content -LiteralPath $global:Proxy.HostsFile)
    $global:Proxy.Status = 2
    $global:Proxy.Certificates = @($global:Proxy.Certificates | Where-Object { $_.Subject -notlike 'CN=ADFS ProxyTrust*' }) + @(New-ProxyTrustCertificate)
    [pscustomobject]@{ Status = 'Success'; Message = 'The configuration completed successfully.'; Context = 'DeploymentSucceeded' }
  }
  Mock Get-WebApplicationProxyApplication { $null = Enter-Command 'Get-WebApplicationProxyApplication'; @($global:Proxy.Applications | Where-Object { $_.Name -eq $Name }) }
  Mock Add-WebApplicationProxyApplication {
    $null = Enter-Command 'Add-WebApplicationProxyApplication'
    $global:Proxy.HostsDuringCall = @(Get-Content -LiteralPath $global:Proxy.HostsFile)
    $global:Proxy.Applications += [pscustomobject]@{ ID = [guid]::NewGuid(); Name = $Name; ExternalUrl = $ExternalUrl; BackendServerUrl = $BackendServerUrl; ExternalCertificateThumbprint = $ExternalCertificateThumbprint }
  }
  Mock Set-WebApplicationProxyApplication {
    $null = Enter-Command 'Set-WebApplicationProxyApplication'
    $global:Proxy.HostsDuringCall = @(Get-Content -LiteralPath $global:Proxy.HostsFile)
    $application = $global:Proxy.Applications | Where-Object { $_.ID -eq $ID }
    $application.ExternalCertificateThumbprint = $ExternalCertificateThumbprint
    $application.ExternalUrl = $ExternalUrl
    $application.BackendServerUrl = $BackendServerUrl
  }

  <# What a proxy script leaves: the registration and its trust, the hosts file, the published applications. #>
  function Get-ProxyState {
    [ordered]@{
      Status = $global:Proxy.Status
      Trusted = @($global:Proxy.Certificates | Where-Object { $_.Subject -like 'CN=ADFS ProxyTrust*' -and $_.NotAfter -gt (Get-Date) }).Count -gt 0
      Hosts = @(Get-Content -LiteralPath $global:Proxy.HostsFile)
      Applications = @($global:Proxy.Applications | Sort-Object -Property Name | ForEach-Object { '{0} {1} {2} {3}' -f $_.Name, $_.ExternalUrl, $_.BackendServerUrl, $_.ExternalCertificateThumbprint })
    }
  }

  <# A Web Application Proxy server: its registration status, certificates, published applications and DNS. #>
  function Initialize-Proxy {
    param($Script, [object] $Status = 1, [object[]] $Certificates, [string[]] $Hosts = @('127.0.0.1 localhost', '10.9.9.9 intranet.contoso.com'), [object[]] $Applications = @())
    $facts = $Script.Facts
    $hostsFile = Initialize-WindowsServer -ComputerName $facts.computers.wap[0].ToUpperInvariant() -Hosts $Hosts
    $global:Proxy = @{
      Status = $Status; Certificates = $Certificates; Applications = $Applications; HostsFile = $hostsFile; HostsDuringCall = $null
      Dns = @{ $facts.names.federationService = $script:LoadBalancerAddress; (Get-PrimaryComputer $facts) = (Get-PrimaryAddress) }
    }
    # Key Vault as constructs/federation-configuration.ts grants it: the proxies' identity reads the trust password;
    # the farm admin's password is there too, readable by the AD FS servers' identity alone.
    Reset-AzureStub
    if ($facts.farm) {
      Set-ReadableSecret -Secret $facts.farm.trustPasswordSecret -Value 'Trust-Passw0rd' -ClientId (Get-TierIdentity wap)
      Set-ReadableSecret -Secret $facts.farm.adminPasswordSecret -Value 'Adm1n-Passw0rd' -ClientId (Get-TierIdentity adfs)
    }
  }
  Mock Invoke-RestMethod { Invoke-AzureStubRestMethod -Method $Method -Uri $Uri -Headers $Headers }
  # A refused read is retried while a role propagates (SECRET_READ_MINUTES): the waits take no time here.
  Mock Start-Sleep { }
}

AfterAll {
  Remove-Variable -Name Proxy -Scope Global -ErrorAction SilentlyContinue
}

Describe 'wap-enrollment: <Name>' -ForEach $enrollment {
  BeforeAll {
    $facts = $Script.Facts
    $serviceName = $facts.names.federationService
    $certificate = New-StoreCertificate -DnsName $serviceName
    $parameters = @{ IdentityClientId = (Get-TierIdentity wap) }
  }

  Context 'on a fresh proxy' {
    BeforeEach { Initialize-Proxy -Script $Script -Certificates @($certificate) }

    It 'registers once with the farm, with the certificate and the trust credential, against the primary' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      Should -Invoke Install-WebApplicationProxy -Exactly -Times 1 -ParameterFilter {
        $FederationServiceName -eq $serviceName -and $CertificateThumbprint -eq $certificate.Thumbprint -and
        $FederationServiceTrustCredential.UserName -eq $facts.farm.trustUsername -and $FederationServiceTrustCredential.GetNetworkCredential().Password -ceq 'Trust-Passw0rd'
      }
      $global:Proxy.HostsDuringCall | Should -Contain (Get-PrimaryEntry $facts)
    }

    It 'leaves the hosts file as it found it' {
      Invoke-GeneratedScript -Script $Script -Parameters $parameters | Out-Null
      Get-Content -LiteralPath $global:Proxy.HostsFile | Should -Be @('127.0.0.1 localhost', '10.9.9.9 intranet.contoso.com')
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script -Parameters $parameters | Out-Null
      $second = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'already registered'
      Should -Invoke Install-WebApplicationProxy -Exactly -Times 1
    }

    It 'reads the trust password with the proxies'' identity, and no other secret' {
      Invoke-GeneratedScript -Script $Script -Parameters $parameters | Out-Null
      $reads = @(Get-AzureStubRequest | Where-Object { $_.Service -eq 'keyvault' })
      $reads.Count | Should -Be 1
      $reads[0].Uri | Should -BeLike ('https://{0}.vault.azure.net/secrets/{1}?*' -f $facts.farm.trustPasswordSecret.vaultName, $facts.farm.trustPasswordSecret.secretName)
      $reads[0].ClientId | Should -Be (Get-TierIdentity wap)
      $reads[0].Status | Should -Be 200
    }

    It 'registers nothing while its identity may not read the trust password, and names the secret' {
      Reset-AzureStub
      Set-ReadableSecret -Secret $facts.farm.trustPasswordSecret -Value 'Trust-Passw0rd' -ClientId (Get-TierIdentity adfs)
      Add-AzureStubIdentity -ClientId (Get-TierIdentity wap)
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*secret {0}*status 403*Key Vault Secrets User*' -f $facts.farm.trustPasswordSecret.secretName)
      Should -Invoke Install-WebApplicationProxy -Exactly -Times 0
      (Get-ProxyState).Status | Should -Be 1
    }

    It 'builds the trust credential with exactly the password Key Vault holds' {
      foreach ($password in $HostilePasswords) {
        Initialize-Proxy -Script $Script -Certificates @($certificate)
        Set-AzureStubSecret -VaultName $facts.farm.trustPasswordSecret.vaultName -Name $facts.farm.trustPasswordSecret.secretName -Value $password
        (Invoke-GeneratedScript -Script $Script -Parameters $parameters).ExitCode | Should -Be 0 -Because $password
      }
      foreach ($password in $HostilePasswords) {
        Should -Invoke Install-WebApplicationProxy -Exactly -Times 1 -ParameterFilter { $FederationServiceTrustCredential.GetNetworkCredential().Password -ceq $password }
      }
    }
  }


  Context 'on a proxy already registered' {
    It 'exits 0 and changes nothing' {
      Initialize-Proxy -Script $Script -Status 2 -Certificates @($certificate, (New-ProxyTrustCertificate))
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.ExitCode | Should -Be 0
      Should -Invoke Install-WebApplicationProxy -Exactly -Times 0
      Should -Invoke Resolve-DnsName -Exactly -Times 0
    }
  }

  Context 'on a registered proxy whose trust with the farm expired' {
    It 'registers again (Install-WebApplicationProxy, the documented repair), and then holds a valid trust' {
      Initialize-Proxy -Script $Script -Status 2 -Certificates @($certificate, (New-ProxyTrustCertificate -ValidDays -3))
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.ExitCode | Should -Be 0
      Should -Invoke Install-WebApplicationProxy -Exactly -Times 1
      @($global:Proxy.Certificates | Where-Object { $_.Subject -like 'CN=ADFS ProxyTrust*' -and $_.NotAfter -gt (Get-Date) }).Count | Should -Be 1
    }
  }

  Context 'when the DNS cache flush fails once the temporary hosts entry is written' {
    It 'removes the entry before it exits 1, and the next run registers' {
      Initialize-Proxy -Script $Script -Certificates @($certificate)
      $global:Proxy.Flushes = 0
      # The first flush is the one before the entry; the second, right after it, fails.
      Mock Clear-DnsClientCache { $global:Proxy.Flushes++; if ($global:Proxy.Flushes -eq 2) { throw 'The DNS Client service is not running.' } }
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.ExitCode | Should -Be 1
      Get-Content -LiteralPath $global:Proxy.HostsFile | Should -Be @('127.0.0.1 localhost', '10.9.9.9 intranet.contoso.com')
      (Invoke-GeneratedScript -Script $Script -Parameters $parameters).ExitCode | Should -Be 0
      $global:Proxy.Status | Should -Be 2
    }
  }

  Context 'half done by an earlier run that stopped with its hosts entry in place' {
    It 'removes the stale entry, then registers' {
      Initialize-Proxy -Script $Script -Certificates @($certificate) -Hosts @('127.0.0.1 localhost', (Get-PrimaryEntry $facts))
      (Invoke-GeneratedScript -Script $Script -Parameters $parameters).ExitCode | Should -Be 0
      Should -Invoke Install-WebApplicationProxy -Exactly -Times 1
      @($global:Proxy.HostsDuringCall | Where-Object { $_ -eq (Get-PrimaryEntry $facts) }).Count | Should -Be 1
      Get-Content -LiteralPath $global:Proxy.HostsFile | Should -Be @('127.0.0.1 localhost')
    }
  }

  Context 'when a step fails' {
    BeforeEach { Initialize-Proxy -Script $Script -Certificates @($certificate) }

    It 'exits 1 naming the step, and removes its hosts entry, when the registration throws' {
      Mock Install-WebApplicationProxy { throw 'The federation server proxy was not able to authenticate to the Federation Service.' }
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'wap-enrollment failed at "register the proxy with the primary AD FS server *": The federation server proxy was not able to authenticate*'
      Get-Content -LiteralPath $global:Proxy.HostsFile | Should -Not -Contain (Get-PrimaryEntry $facts)
    }

    It 'exits 1 naming the step when the registration returns Status Error' {
      Mock Install-WebApplicationProxy { [pscustomobject]@{ Status = 'Error'; Message = 'The trust could not be established.'; Context = 'ProxyTrust' } }
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*register the proxy*The trust could not be established.*'
    }

    It 'exits 1 naming the step when the federation service name does not resolve' {
      $global:Proxy.Dns.Remove($serviceName)
      $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('wap-enrollment failed at "check that {0} resolves through the domain controllers": {0} does not resolve*' -f $serviceName)
      Should -Invoke Install-WebApplicationProxy -Exactly -Times 0
    }
  }
}

Describe 'wap-publishing: <Name>' -ForEach $publishing {
  BeforeAll {
    $facts = $Script.Facts
    $portal = $facts.names.portal
    # Microsoft's default virtual directories of the user portal and the mobile app web service.
    $urls = @{ 'MFA user portal' = "https://$portal/MultiFactorAuth/"; 'MFA mobile app web service' = "https://$portal/MultiFactorAuthMobileAppWebService/" }
    $certificate = New-StoreCertificate -DnsName $portal -NotAfter (Get-Date).AddDays(30)
    $renewed = New-StoreCertificate -DnsName $portal -NotAfter (Get-Date).AddDays(395)
    function Get-Published([string] $Thumbprint) {
      @($urls.Keys | ForEach-Object { [pscustomobject]@{ ID = [guid]::NewGuid(); Name = $_; ExternalUrl = $urls[$_]; BackendServerUrl = $urls[$_]; ExternalCertificateThumbprint = $Thumbprint } })
    }
  }

  Context 'on a registered proxy with nothing published' {
    BeforeEach { Initialize-Proxy -Script $Script -Status 2 -Certificates @($certificate) }

    It 'publishes each application once, pass-through, under the portal name, through the primary' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      Should -Invoke Add-WebApplicationProxyApplication -Exactly -Times 2
      foreach ($application in $urls.Keys) {
        Should -Invoke Add-WebApplicationProxyApplication -Exactly -Times 1 -ParameterFilter {
          $Name -eq $application -and $ExternalUrl -eq $urls[$application] -and $BackendServerUrl -eq $urls[$application] -and $ExternalCertificateThumbprint -eq $certificate.Thumbprint -and $ExternalPreauthentication -eq 'PassThrough'
        }
      }
      $global:Proxy.HostsDuringCall | Should -Contain (Get-PrimaryEntry $facts)
      Get-Content -LiteralPath $global:Proxy.HostsFile | Should -Not -Contain (Get-PrimaryEntry $facts)
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      Should -Invoke Add-WebApplicationProxyApplication -Exactly -Times 2
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 0
    }
  }


  Context 'when both applications are published with the current certificate' {
    It 'exits 0 and changes nothing' {
      Initialize-Proxy -Script $Script -Status 2 -Certificates @($certificate) -Applications (Get-Published $certificate.Thumbprint)
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      ($run.Output -match 'already published: nothing to change').Count | Should -Be 2
      Should -Invoke Add-WebApplicationProxyApplication -Exactly -Times 0
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 0
    }
  }

  Context 'after the portal certificate was renewed' {
    It 'moves each application to the renewed certificate, once' {
      Initialize-Proxy -Script $Script -Status 2 -Certificates @($certificate, $renewed) -Applications (Get-Published $certificate.Thumbprint)
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Should -Invoke Add-WebApplicationProxyApplication -Exactly -Times 0
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2 -ParameterFilter { $ExternalCertificateThumbprint -eq $renewed.Thumbprint }
      @($global:Proxy.Applications | Where-Object { $_.ExternalCertificateThumbprint -eq $renewed.Thumbprint }).Count | Should -Be 2
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 2
    }
  }

  Context 'half done: one application published by an earlier run' {
    It 'publishes the other one only' {
      Initialize-Proxy -Script $Script -Status 2 -Certificates @($certificate) -Applications @((Get-Published $certificate.Thumbprint)[0])
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Should -Invoke Add-WebApplicationProxyApplication -Exactly -Times 1
      Should -Invoke Set-WebApplicationProxyApplication -Exactly -Times 0
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step, and removes its hosts entry, when publishing throws' {
      Initialize-Proxy -Script $Script -Status 2 -Certificates @($certificate)
      Mock Add-WebApplicationProxyApplication { throw 'The external URL is already used by another application.' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('wap-publishing failed at "publish MFA * at https://{0}/*": The external URL is already used*' -f $portal)
      Get-Content -LiteralPath $global:Proxy.HostsFile | Should -Not -Contain (Get-PrimaryEntry $facts)
    }

    It 'exits 1 before publishing anything on a proxy not registered yet' {
      Initialize-Proxy -Script $Script -Status 1 -Certificates @($certificate)
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'wap-publishing failed at "check that this proxy is registered": this proxy is not registered*'
      Should -Invoke Add-WebApplicationProxyApplication -Exactly -Times 0
    }
  }
}

Describe 'a failed proxy script is repaired by the next one: <Name>' -ForEach $representatives {
  It 'whatever single call fails, the next run leaves the proxy (registered, trusted, its applications, its hosts file) as a clean run does' {
    $certificate = New-StoreCertificate -DnsName $(if ($Script.Kind -eq 'wap-enrollment') { $Script.Facts.names.federationService } else { $Script.Facts.names.portal })
    $parameters = if ($Script.Kind -eq 'wap-enrollment') { @{ IdentityClientId = (Get-TierIdentity wap) } } else { @{} }
    $status = if ($Script.Kind -eq 'wap-enrollment') { 1 } else { 2 }
    $unrepaired = Test-RepairedByNextRun -Script $Script -Parameters $parameters -Initialize { Initialize-Proxy -Script $Script -Status $status -Certificates @($certificate) } -State { Get-ProxyState }
    $unrepaired | Should -Be @()
  }
}
