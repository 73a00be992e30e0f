<#
  The HTTPS binding of IIS (Run Command `bind-https`, MFA and portal servers): WebAdministration's
  Get-WebBinding/New-WebBinding (stubs), the IIS:\SslBindings drive and the certificate in Cert:\LocalMachine\My
  are mocked as IIS reports them; the binding object records the certificate attached to it.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $bindings = Get-ScriptCase -Kind 'bind-https'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $global:Iis = @{}
  Mock Import-Module { $null = Enter-Command 'Import-Module' } -ParameterFilter { $Name -eq 'WebAdministration' }
  Mock Get-ChildItem { $null = Enter-Command 'Get-ChildItem Cert:'; $global:Iis.Certificates } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
  Mock Get-WebBinding {
    $null = Enter-Command 'Get-WebBinding'
    if (-not $global:Iis.Binding) { return $null }
    $binding = [pscustomobject]@{ protocol = 'https'; bindingInformation = '*:443:' }
    $binding | Add-Member -MemberType ScriptMethod -Name AddSslCertificate -Value { param($Thumbprint, $Store) $null = Enter-Command 'AddSslCertificate'; $global:Iis.Attached += , @($Thumbprint, $Store); $global:Iis.Ssl = $Thumbprint }
    $binding
  }
  Mock New-WebBinding { $null = Enter-Command 'New-WebBinding'; $global:Iis.Binding = $true }
  Mock Get-Item { $null = Enter-Command 'Get-Item IIS:'; if ($global:Iis.Ssl) { [pscustomobject]@{ Thumbprint = $global:Iis.Ssl } } } -ParameterFilter { $Path -eq 'IIS:\SslBindings\0.0.0.0!443' }
  Mock Remove-Item { $null = Enter-Command 'Remove-Item IIS:'; $global:Iis.Ssl = $null } -ParameterFilter { $Path -eq 'IIS:\SslBindings\0.0.0.0!443' }

  function Initialize-Iis([object[]] $Certificates, [bool] $Binding = $false, [string] $Ssl = $null) {
    Initialize-WindowsServer | Out-Null
    $global:Iis = @{ Certificates = $Certificates; Binding = $Binding; Ssl = $Ssl; Attached = @() }
  }
}

AfterAll {
  Remove-Variable -Name Iis -Scope Global -ErrorAction SilentlyContinue
}

Describe 'bind-https: <Name>' -ForEach $bindings {
  BeforeAll {
    # The MFA servers bind the Web Service SDK's name (mfaapp), the portal servers the portal's.
    $dnsName = if ($Script.Tier -eq 'mfa') { $Script.Facts.names.mfaApp } else { $Script.Facts.names.portal }
    $certificate = New-StoreCertificate -DnsName $dnsName -NotAfter (Get-Date).AddDays(20)
    $renewed = New-StoreCertificate -DnsName $dnsName -NotAfter (Get-Date).AddDays(380)
  }

  It 'creates the HTTPS binding of the Default Web Site and attaches the certificate, once' {
    Initialize-Iis -Certificates @($certificate)
    $run = Invoke-GeneratedScript -Script $Script
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    Should -Invoke New-WebBinding -Exactly -Times 1 -ParameterFilter { $Name -eq 'Default Web Site' -and $Protocol -eq 'https' -and $Port -eq 443 -and $IPAddress -eq '*' }
    $global:Iis.Attached | Should -HaveCount 1
    $global:Iis.Attached[0] | Should -Be @($certificate.Thumbprint, 'My')
  }

  It 'changes nothing when the binding already holds the certificate, and on a second run' {
    Initialize-Iis -Certificates @($certificate) -Binding $true -Ssl $certificate.Thumbprint
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 0
    $run.Text | Should -Match 'nothing to change'
    Should -Invoke New-WebBinding -Exactly -Times 0
    Should -Invoke Remove-Item -Exactly -Times 0 -ParameterFilter { $Path -eq 'IIS:\SslBindings\0.0.0.0!443' }
    $global:Iis.Attached | Should -HaveCount 0
  }

  It 'binds the renewed certificate after a renewal' {
    Initialize-Iis -Certificates @($certificate, $renewed) -Binding $true -Ssl $certificate.Thumbprint
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    Should -Invoke Remove-Item -Exactly -Times 1 -ParameterFilter { $Path -eq 'IIS:\SslBindings\0.0.0.0!443' }
    $global:Iis.Ssl | Should -Be $renewed.Thumbprint
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    $global:Iis.Attached | Should -HaveCount 1
  }

  It 'finds a wildcard certificate whatever the case of its name' {
    $wildcard = New-StoreCertificate -DnsName ('*.' + ($dnsName.Split('.', 2)[1]).ToUpperInvariant())
    Initialize-Iis -Certificates @($wildcard)
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    $global:Iis.Ssl | Should -Be $wildcard.Thumbprint
  }

  It 'exits 1 naming the step when no valid certificate is installed' {
    Initialize-Iis -Certificates @(New-StoreCertificate -DnsName $dnsName -NotAfter (Get-Date).AddDays(-1))
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike ('bind-https failed at "find the certificate of {0}": no valid certificate*' -f $dnsName)
    Should -Invoke New-WebBinding -Exactly -Times 0
  }

  It 'whatever single call fails, the next run leaves IIS bound to the newest certificate, as a clean run does' {
    $renewed = New-StoreCertificate -DnsName $dnsName -NotAfter (Get-Date).AddDays(400)
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize { Initialize-Iis -Certificates @($certificate, $renewed) -Binding $true -Ssl $certificate.Thumbprint } -State { [ordered]@{ Binding = $global:Iis.Binding; Ssl = $global:Iis.Ssl } }
    $unrepaired | Should -Be @()
  }
}
