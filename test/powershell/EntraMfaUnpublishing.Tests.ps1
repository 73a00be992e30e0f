<#
  Stage entra retires the MFA user portal and the mobile app web service from the proxies (Run Command
  `wap-unpublishing`, on the first proxy, through the WID primary like the publishing). The farm's published
  applications are state, shared by the proxies; names resolve through mocked DNS and the hosts file is a real file
  on the test drive.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $unpublishing = Get-ScriptCase -Kind 'wap-unpublishing'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')

  # The proxy and the farm's publications (global: mock bodies run in Pester's scope, not in this file's).
  $global:Unpublishing = @{}

  Mock Get-ItemProperty { [pscustomobject]@{ ProxyConfigurationStatus = $global:Unpublishing.Status } } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Microsoft\ADFS' }
  Mock Resolve-DnsName {
    $address = $global:Unpublishing.Dns[$Name]
    if ($null -eq $address) { Write-Error ('{0} : DNS name does not exist' -f $Name); return }
    [pscustomobject]@{ Name = $Name; Type = 'A'; IPAddress = $address }
  }
  Mock Clear-DnsClientCache { }
  Mock Get-WebApplicationProxyApplication { @($global:Unpublishing.Applications | Where-Object { -not $Name -or $_.Name -like $Name }) }
  Mock Remove-WebApplicationProxyApplication {
    if ($global:Unpublishing.Refuse) { throw 'The Web Application Proxy could not connect to the federation service.' }
    $global:Unpublishing.HostsDuringCall = @(Get-Content -LiteralPath $global:Unpublishing.HostsFile)
    $global:Unpublishing.Applications = @($global:Unpublishing.Applications | Where-Object { $_.ID -notin $ID })
  }

  <# A registered proxy, and the farm with the given applications published. #>
  function Initialize-Proxy {
    param($Facts, [object[]] $Applications)
    $hostsFile = Initialize-WindowsServer -ComputerName $Facts.computers.wap[0].ToUpperInvariant()
    $global:Unpublishing = @{
      Status = 2; Applications = $Applications; HostsFile = $hostsFile; HostsDuringCall = $null; Refuse = $false
      Dns = @{ $Facts.names.federationService = '10.1.2.100'; (Get-PrimaryComputer $Facts) = (Get-PrimaryAddress) }
    }
  }

  <# An application as Get-WebApplicationProxyApplication returns it. #>
  function New-Application { param([string] $Name, [string] $Url) [pscustomobject]@{ ID = [guid]::NewGuid(); Name = $Name; ExternalUrl = $Url; BackendServerUrl = $Url } }
}

AfterAll {
  Remove-Variable -Name Unpublishing -Scope Global -ErrorAction SilentlyContinue
}

Describe 'wap-unpublishing: <Name>' -ForEach $unpublishing {
  BeforeAll {
    $facts = $Script.Facts
    $portal = 'https://{0}/MultiFactorAuth/' -f $facts.names.portal
    $mobile = 'https://{0}/MultiFactorAuthMobileAppWebService/' -f $facts.names.portal
    $other = New-Application -Name 'Intranet wiki' -Url 'https://wiki.contoso.com/'
  }

  Context 'with the portal and the mobile app web service published, beside an application of the organisation' {
    BeforeEach {
      Initialize-Proxy -Facts $facts -Applications @((New-Application -Name 'MFA user portal' -Url $portal), (New-Application -Name 'MFA mobile app web service' -Url $mobile), $other)
    }

    It 'unpublishes the two, through the primary AD FS server, and keeps the other' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      @($global:Unpublishing.Applications | ForEach-Object { $_.Name }) | Should -Be @('Intranet wiki')
      $global:Unpublishing.HostsDuringCall | Should -Contain (Get-PrimaryEntry $facts)
      Get-Content -LiteralPath $global:Unpublishing.HostsFile | Should -Not -Contain (Get-PrimaryEntry $facts)
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'not published: nothing to change'
      Should -Invoke Remove-WebApplicationProxyApplication -Exactly -Times 2
    }

    It 'exits 1 naming the step, without its hosts entry, when the farm refuses' {
      $global:Unpublishing.Refuse = $true
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'wap-unpublishing failed at "unpublish MFA user portal at *": The Web Application Proxy could not connect*'
      Get-Content -LiteralPath $global:Unpublishing.HostsFile | Should -Not -Contain (Get-PrimaryEntry $facts)
      $global:Unpublishing.Refuse = $false
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      @($global:Unpublishing.Applications | ForEach-Object { $_.Name }) | Should -Be @('Intranet wiki')
    }
  }

  Context 'with an application of the same name at another address' {
    It 'leaves it: only what the toolkit published is removed' {
      $same = New-Application -Name 'MFA user portal' -Url 'https://mfa-old.contoso.com/MultiFactorAuth/'
      Initialize-Proxy -Facts $facts -Applications @($same)
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      @($global:Unpublishing.Applications | ForEach-Object { $_.ID }) | Should -Be @($same.ID)
    }
  }

  Context 'on a proxy not registered with the farm' {
    It 'exits 1 and removes nothing' {
      Initialize-Proxy -Facts $facts -Applications @((New-Application -Name 'MFA user portal' -Url $portal))
      $global:Unpublishing.Status = 1
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*this proxy is not registered with the farm*'
      $global:Unpublishing.Applications | Should -HaveCount 1
    }
  }
}
