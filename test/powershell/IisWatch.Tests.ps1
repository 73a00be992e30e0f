<#
  The watch of the certificate IIS serves on the MFA and portal servers (kind certificate-renewal, tiers mfa and
  portal): the certificates in Cert:\LocalMachine\My and the certificate bound to 0.0.0.0:443 (IIS:\SslBindings)
  are the server's state; the events written are what the alerts read.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $watches = @(Get-ScriptCase -Kind 'certificate-renewal' | Where-Object { $_.Script.Tier -in 'mfa', 'portal' })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $global:Iis = @{}
  Mock Import-Module { $null = Enter-Command 'Import-Module' } -ParameterFilter { $Name -eq 'WebAdministration' }
  Mock Get-ChildItem { $null = Enter-Command 'Get-ChildItem Cert:'; $global:Iis.Certificates } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
  Mock Get-Item { $null = Enter-Command 'Get-Item IIS:'; if ($global:Iis.Ssl) { [pscustomobject]@{ Thumbprint = $global:Iis.Ssl } } } -ParameterFilter { $Path -eq 'IIS:\SslBindings\0.0.0.0!443' }
  Mock Write-EventLog { $null = Enter-Command 'Write-EventLog'; $global:Iis.Events += [pscustomobject]@{ Id = $EventId; EntryType = $EntryType; Message = $Message } }

  function Initialize-IisServer([object[]] $Certificates, [string] $Ssl) {
    Initialize-WindowsServer | Out-Null
    $global:Iis = @{ Certificates = $Certificates; Ssl = $Ssl; Events = @() }
  }
}

AfterAll {
  Remove-Variable -Name Iis -Scope Global -ErrorAction SilentlyContinue
}

Describe 'certificate-renewal on an IIS server: <Name>' -ForEach $watches {
  BeforeAll {
    $dnsName = if ($Script.Tier -eq 'mfa') { $Script.Facts.names.mfaApp } else { $Script.Facts.names.portal }
    $current = New-StoreCertificate -DnsName $dnsName -NotAfter (Get-Date).AddDays(300)
    $ending = New-StoreCertificate -DnsName $dnsName -NotAfter (Get-Date).AddDays(10)
    $expired = New-StoreCertificate -DnsName $dnsName -NotAfter (Get-Date).AddDays(-1) -NotBefore (Get-Date).AddDays(-365)
  }

  It 'writes no event while IIS serves a certificate far from its expiry' {
    Initialize-IisServer -Certificates @($current) -Ssl $current.Thumbprint
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 0
    $global:Iis.Events.Count | Should -Be 0
  }

  It 'warns (event 1002) when IIS serves a certificate that expires within the warning period, even with a renewal installed beside it' {
    Initialize-IisServer -Certificates @($ending, $current) -Ssl $ending.Thumbprint
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    @($global:Iis.Events | Where-Object { $_.Id -eq 1002 -and $_.Message -like ('IIS serves {0}*{1}*' -f $ending.Thumbprint, $current.Thumbprint) }).Count | Should -Be 1
  }

  It 'reports a failure (event 1003) when IIS still serves an expired certificate' {
    Initialize-IisServer -Certificates @($expired, $current) -Ssl $expired.Thumbprint
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    @($global:Iis.Events | Where-Object { $_.Id -eq 1003 -and $_.EntryType -eq 'Error' -and $_.Message -like '*expired*' }).Count | Should -Be 1
  }

  It 'exits 1 naming the step, with an Error event, when IIS has no HTTPS binding' {
    Initialize-IisServer -Certificates @($current) -Ssl $null
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike 'certificate-renewal failed at "check the certificate IIS serves*": IIS has no HTTPS binding*'
    @($global:Iis.Events | Where-Object { $_.Id -eq 1003 }).Count | Should -Be 1
  }

  It 'watches again, whatever single call of a run failed: a watch changes nothing on the server' {
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize { Initialize-IisServer -Certificates @($ending, $current) -Ssl $ending.Thumbprint } -State { [ordered]@{ Ssl = $global:Iis.Ssl; Certificates = @($global:Iis.Certificates | ForEach-Object { $_.Thumbprint }) } }
    $unrepaired | Should -Be @()
  }
}
