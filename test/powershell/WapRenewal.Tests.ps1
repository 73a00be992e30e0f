<#
  The certificate renewal on the Web Application Proxies (kind certificate-renewal, tier wap), against proxies kept
  as state that share one farm (ProxyFarm.ps1): each proxy's certificates, SSL certificate, the one its service
  serves, its HTTP.sys and hosts file, and the farm's published applications with every certificate they were ever
  pointed at. The Key Vault extension brings a renewal to each proxy at its own time: Add-ProxyCertificate.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $wap = @(Get-ScriptCase -Kind 'certificate-renewal' | Where-Object { $_.Script.Tier -eq 'wap' })
  $representative = Get-RepresentativeCase -Kind 'certificate-renewal' -Tier 'wap'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'ProxyFarm.ps1')
}

AfterAll {
  Remove-Variable -Name Farm -Scope Global -ErrorAction SilentlyContinue
}

Describe 'certificate-renewal on the Web Application Proxies: <Name>' -ForEach $wap {
  BeforeAll {
    $facts = $Script.Facts
    $portal = $facts.names.portal
  }

  Context 'two proxies share the farm; the portal''s renewal reaches one of them first' {
    It 'never points the farm at a certificate a proxy lacks, never goes back, and moves once both hold it (<First> runs first)' -ForEach @(
      @{ First = 'WAP1'; Second = 'WAP2' }, @{ First = 'WAP2'; Second = 'WAP1' }
    ) {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $FsNew, $PortalOld, $PortalNew); WAP2 = @($FsOld, $FsNew, $PortalOld) }
      foreach ($proxy in $First, $Second, $First) { (Invoke-OnProxy -Name $proxy -Script $Script).ExitCode | Should -Be 0 -Because $proxy }
      Assert-FarmMovedSafely
      @($global:Farm.Applications | ForEach-Object { $_.ExternalCertificateThumbprint } | Select-Object -Unique) | Should -Be @($PortalOld)
      # The extension's next poll brings the renewal to the second proxy too.
      Add-ProxyCertificate -Proxy 'WAP2' -Thumbprint $PortalNew -DnsName $portal
      foreach ($proxy in $Second, $First) { (Invoke-OnProxy -Name $proxy -Script $Script).ExitCode | Should -Be 0 -Because $proxy }
      Assert-FarmMovedSafely
      @($global:Farm.Applications | ForEach-Object { $_.ExternalCertificateThumbprint } | Select-Object -Unique) | Should -Be @($PortalNew)
    }

    It 'warns (event 1002) while the farm waits and the certificate it is published with nears its expiry' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $PortalOld, $PortalNew); WAP2 = @($FsOld, $PortalOld) }
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      @($global:Farm.Proxies['WAP1'].Events | Where-Object { $_.Id -eq 1002 -and $_.Message -like '*waits for 1 of 1 other proxies*' }).Count | Should -Be 2
    }
  }

  Context 'after the Key Vault extension installed a renewal of the federation service certificate' {
    It 'moves the proxy to it and restarts the proxy, once' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $FsNew, $PortalOld); WAP2 = @($FsOld, $FsNew, $PortalOld) }
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      $global:Farm.Proxies['WAP1'].Served | Should -Be $FsNew
      $global:Farm.Proxies['WAP1'].Restarts | Should -Be 1
    }

    It 'waits (event 1004) while no other proxy answers its probe, and moves once one does' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $FsNew, $PortalOld); WAP2 = @($FsOld, $FsNew, $PortalOld) }
      $global:Farm.Proxies['WAP2'].Up = $false
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      $global:Farm.Proxies['WAP1'].Served | Should -Be $FsOld
      @($global:Farm.Proxies['WAP1'].Events | Where-Object { $_.Id -eq 1004 }).Count | Should -Be 1
      $global:Farm.Proxies['WAP2'].Up = $true
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      $global:Farm.Proxies['WAP1'].Served | Should -Be $FsNew
    }
  }

  Context 'a step fails after the proxy''s certificate was set' {
    It 'is repaired by the next run: the proxy restarts and serves the new certificate (<Failure>)' -ForEach @(
      @{ Failure = 'the restart'; Break = { $global:Farm.Proxies['WAP1'].FailRestarts = 1 } }
      @{ Failure = 'the event write'; Break = { $global:Farm.FailEvents = 1; Mock Write-EventLog { if ($global:Farm.FailEvents-- -gt 0) { throw 'The event log is full.' } } } }
      @{ Failure = 'listing the applications'; Break = { $global:Farm.FailList = 1; Mock Get-WebApplicationProxyApplication { if ($global:Farm.FailList-- -gt 0) { throw '(401) Unauthorized' }; @($global:Farm.Applications | ForEach-Object { $_.PSObject.Copy() }) } } }
    ) {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $FsNew, $PortalOld); WAP2 = @($FsOld, $FsNew, $PortalOld) }
      & $Break
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 1
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      $global:Farm.Proxies['WAP1'].SslCertificate | Should -Be $FsNew
      $global:Farm.Proxies['WAP1'].Served | Should -Be $FsNew
    }
  }

  Context 'when a published application''s certificate has expired and no renewal reached the proxy' {
    It 'writes the failure event (1003) naming the application, instead of leaving it silently' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $PortalOld); WAP2 = @($FsOld, $PortalOld) }
      foreach ($proxy in $global:Farm.Proxies.Values) { ($proxy.Certificates | Where-Object { $_.Thumbprint -eq $PortalOld }).NotAfter = (Get-Date).AddHours(-2) }
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      @($global:Farm.Proxies['WAP1'].Events | Where-Object { $_.Id -eq 1003 -and $_.EntryType -eq 'Error' -and $_.Message -like 'MFA user portal*holds no valid certificate*' }).Count | Should -Be 1
    }
  }

  Context 'when an application is published with a certificate no proxy holds (not the toolkit''s)' {
    It 'leaves that application as it is, and writes no event for it' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $PortalOld); WAP2 = @($FsOld, $PortalOld) }
      $global:Farm.Applications += [pscustomobject]@{ ID = [guid]::NewGuid(); Name = 'Intranet'; ExternalUrl = 'https://intranet.example.org/'; ExternalCertificateThumbprint = 'E7' * 20 }
      $run = Invoke-OnProxy -Name 'WAP1' -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'Intranet: published with a certificate this proxy does not hold'
      @($global:Farm.Proxies['WAP1'].Events | Where-Object { $_.Message -like '*Intranet*' }).Count | Should -Be 0
      @($global:Farm.History | Where-Object { $_.Application -eq 'Intranet' }).Count | Should -Be 0
    }
  }

  Context 'when the write through the primary AD FS server fails' {
    It 'writes through the AD FS load balancer instead, and leaves the hosts file as it found it' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $PortalOld, $PortalNew); WAP2 = @($FsOld, $PortalOld, $PortalNew) }
      Mock Set-WebApplicationProxyApplication { throw 'ADMIN0012: the operation can only be performed on the primary federation server' } -ParameterFilter { @(Get-Content -LiteralPath (Get-ActiveProxy).HostsFile) -contains (Get-PrimaryEntry $global:Farm.Facts) }
      $global:Farm.Facts = $facts
      # WAP2 runs first: it advertises what it holds, and waits for WAP1 to advertise.
      (Invoke-OnProxy -Name 'WAP2' -Script $Script).ExitCode | Should -Be 0
      $run = Invoke-OnProxy -Name 'WAP1' -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'again through the AD FS load balancer'
      @($global:Farm.Applications | ForEach-Object { $_.ExternalCertificateThumbprint } | Select-Object -Unique) | Should -Be @($PortalNew)
      @(Get-Content -LiteralPath $global:Farm.Proxies['WAP1'].HostsFile) | Should -Be @('127.0.0.1 localhost')
    }
  }


  Context 'when an output member the cmdlet''s page does not document is missing' {
    It 'exits 1 naming CertificateHash, and changes nothing' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $FsNew, $PortalOld); WAP2 = @($FsOld, $FsNew, $PortalOld) }
      Mock Get-WebApplicationProxySslCertificate { [pscustomobject]@{ HostName = 'sts'; PortNumber = 443; Thumbprint = 'A1' * 20 } }
      $run = Invoke-OnProxy -Name 'WAP1' -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*Get-WebApplicationProxySslCertificate returned a binding without CertificateHash*'
      $global:Farm.Proxies['WAP1'].SslCertificate | Should -Be $FsOld
    }
  }

  Context 'a lab''s self-signed certificates are renewed with a new key' {
    It 'trusts the renewed ones it holds (LocalMachine\Root) in a lab, and nothing elsewhere' {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $FsNew, $PortalOld, $PortalNew); WAP2 = @($FsOld, $FsNew, $PortalOld, $PortalNew) }
      foreach ($certificate in $global:Farm.Proxies['WAP1'].Certificates) { $certificate.Issuer = $certificate.Subject }
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      $trusted = @($global:Farm.Proxies['WAP1'].Root | ForEach-Object { $_.Thumbprint } | Sort-Object)
      if ($facts.selfSigned) { $trusted | Should -Be @($FsNew, $PortalNew) } else { $trusted | Should -Be @() }
      (Invoke-OnProxy -Name 'WAP1' -Script $Script).ExitCode | Should -Be 0
      @($global:Farm.Proxies['WAP1'].Root).Count | Should -Be $trusted.Count
    }
  }
}

Describe 'a failed proxy renewal is repaired by the next one: <Name>' -ForEach $representative {
  BeforeAll { $facts = $Script.Facts }

  It 'whatever single call fails on a proxy, its next run leaves the proxy and the farm as a clean run does' {
    $init = {
      Initialize-ProxyFarm -Facts $facts -Holds @{ WAP1 = @($FsOld, $FsNew, $PortalOld, $PortalNew); WAP2 = @($FsOld, $FsNew, $PortalOld, $PortalNew) }
      $global:Farm.Facts = $facts
      # WAP2 ran first: it advertises what it holds; WAP1's run then moves the proxy, the farm and restarts.
      $global:Injection = @{ Calls = 0; FailAt = 0; Names = @() }
      (Invoke-OnProxy -Name 'WAP2' -Script $Script).ExitCode | Should -Be 0
      Use-Proxy -Name 'WAP1'
    }
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize $init -State { Get-ProxyFarmState }
    $unrepaired | Should -Be @()
  }
}
