<#
  The role installation each server runs once (CustomScriptExtension `powershell.exe -Command` line), run with
  -Command's exit-code rule (Harness.ps1): Install-WindowsFeature, and on the MFA servers the static
  replication port (Pfsvc_ncan_ip_tcp_port DWORD under the PhoneFactor key).
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $roles = Get-ScriptCase -Kind 'role-installation'
  $mfaRoles = @($roles | Where-Object { $_.Script.Tier -eq 'mfa' })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  # The PhoneFactor key (constructs/mfa-app-tier.ts), in every filter below as a literal: filters run in Pester's scope.
  $global:Roles = @{}
  Mock Install-WindowsFeature { $null = Enter-Command 'Install-WindowsFeature'; $global:Roles.Installed = $true; [pscustomobject]@{ Success = $true; RestartNeeded = 'No'; ExitCode = 'Success'; FeatureResult = @() } }
  Mock Test-Path { $null = Enter-Command 'Test-Path HKLM:'; $global:Roles.KeyExists } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Wow6432Node\Positive Networks\PhoneFactor' }
  Mock New-Item { $null = Enter-Command 'New-Item HKLM:'; $global:Roles.KeyExists = $true } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Wow6432Node\Positive Networks\PhoneFactor' }
  Mock New-ItemProperty { $null = Enter-Command 'New-ItemProperty HKLM:'; $global:Roles.Port = $Value } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Wow6432Node\Positive Networks\PhoneFactor' }
}

AfterAll {
  Remove-Variable -Name Roles -Scope Global -ErrorAction SilentlyContinue
}

Describe 'role installation: <Name>' -ForEach $roles {
  BeforeEach { $global:Roles = @{ KeyExists = $false } }

  It 'whatever single call fails, the next run leaves the features and the registry as a clean run does' {
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize { $global:Roles = @{ KeyExists = $false; Installed = $false; Port = $null } } -State { [ordered]@{ Installed = $global:Roles.Installed; Key = $global:Roles.KeyExists; Port = $global:Roles.Port } }
    $unrepaired | Should -Be @()
  }

  It 'installs the tier''s features once and exits 0' {
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 0
    # Network Policy and Access Services on the NPS servers (constructs/nps-tier.ts).
    $expected = @{ adfs = @('ADFS-Federation'); wap = @('Web-Application-Proxy'); nps = @('NPAS') }
    Should -Invoke Install-WindowsFeature -Exactly -Times 1
    if ($expected.ContainsKey($Script.Tier)) {
      Should -Invoke Install-WindowsFeature -Exactly -Times 1 -ParameterFilter { ($Name -join ',') -eq ($expected[$Script.Tier] -join ',') -and $IncludeManagementTools }
    } else {
      # IIS for the MFA web components; WebAdministration (bind-https) comes with Web-Scripting-Tools.
      Should -Invoke Install-WindowsFeature -Exactly -Times 1 -ParameterFilter { 'Web-Server' -in $Name -and 'Web-Asp-Net45' -in $Name -and 'Web-Basic-Auth' -in $Name -and 'Web-Scripting-Tools' -in $Name }
    }
  }

  It 'exits 1 when Install-WindowsFeature fails, whatever follows it (PowerShell/PowerShell#13501)' {
    Mock Install-WindowsFeature { Write-Error 'The source files could not be found.' }
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike '*The source files could not be found.*'
  }

  It 'exits 1 when Install-WindowsFeature reports no success' {
    Mock Install-WindowsFeature { [pscustomobject]@{ Success = $false; RestartNeeded = 'No'; ExitCode = 'Failed'; FeatureResult = @() } }
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 1
  }

  It 'changes nothing more on a second run' {
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    Should -Invoke New-Item -Exactly -Times $(if ($Script.Tier -eq 'mfa') { 1 } else { 0 }) -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Wow6432Node\Positive Networks\PhoneFactor' }
  }
}

Describe 'the replication port on the MFA servers: <Name>' -ForEach $mfaRoles {
  BeforeEach { $global:Roles = @{ KeyExists = $false } }

  It 'sets the replication port as a DWORD, creating the key only when missing' {
    $port = $Script.Facts.replicationPort
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    Should -Invoke New-Item -Exactly -Times 1 -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Wow6432Node\Positive Networks\PhoneFactor' }
    Should -Invoke New-ItemProperty -Exactly -Times 1 -ParameterFilter { $Name -eq 'Pfsvc_ncan_ip_tcp_port' -and $PropertyType -eq 'DWord' -and $Value -eq $port -and $Force }
    # A key that exists holds MFA Server's settings: never recreated.
    $global:Roles.KeyExists = $true
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    Should -Invoke New-Item -Exactly -Times 1 -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Wow6432Node\Positive Networks\PhoneFactor' }
  }
}

Describe 'the portal servers'' role installation' {
  It 'includes IIS 6 metabase compatibility, which the user portal page requires' {
    $portal = @(Get-GeneratedScript -Kind 'role-installation' | Where-Object { $_.Tier -eq 'portal' })
    $portal.Count | Should -BeGreaterThan 0
    foreach ($script in $portal) {
      Mock Install-WindowsFeature { [pscustomobject]@{ Success = $true; ExitCode = 'Success' } }
      (Invoke-GeneratedScript -Script $script).ExitCode | Should -Be 0
    }
    Should -Invoke Install-WindowsFeature -Exactly -Times $portal.Count -ParameterFilter { 'Web-Metabase' -in $Name -and 'Web-Windows-Auth' -in $Name }
  }
}
