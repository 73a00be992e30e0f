<#
  windows-laps (constructs/scripts/laps.ts), run against a domain member kept as data: its registry (RegistryModel.ps1:
  the Windows LAPS policy roots), the domain's Windows LAPS preconditions (the schema, the OU's self permission) and
  the Microsoft-Windows-LAPS/Operational log, which the mocked Invoke-LapsPolicyProcessing writes as Windows LAPS does
  ("Use Windows LAPS event logs": 10003 start, 10004 succeeded, 10005 failed, 10018 backed up to AD).
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $laps = Get-ScriptCase -Kind 'windows-laps'
  $repair = Get-RepresentativeCase -Kind 'windows-laps'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'RegistryModel.ps1')
  . Use-RegistryModel
  $lapsConfig = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\LAPS\Config'
  Mock Invoke-LapsPolicyProcessing {
    $null = Enter-Command 'Invoke-LapsPolicyProcessing'
    $now = Get-Date
    $global:Laps.Log += [pscustomobject]@{ Id = 10003; TimeCreated = $now; Message = 'LAPS policy processing is now starting.' }
    $directory = Get-RegistryValue -Key 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\LAPS\Config' -Name 'BackupDirectory'
    if ($directory -ne 2) { $global:Laps.Log += [pscustomobject]@{ Id = 10004; TimeCreated = $now; Message = 'LAPS policy processing succeeded.' }; return }
    if ($global:Laps.SchemaExtended -and $global:Laps.SelfPermission) {
      if (-not $global:Laps.BackedUp) { $global:Laps.BackedUp = $true; $global:Laps.Log += [pscustomobject]@{ Id = 10018; TimeCreated = $now; Message = 'LAPS successfully updated Active Directory with the new password.' } }
      $global:Laps.Log += [pscustomobject]@{ Id = 10004; TimeCreated = $now; Message = 'LAPS policy processing succeeded.' }
    } else {
      $global:Laps.Log += [pscustomobject]@{ Id = 10005; TimeCreated = $now; Message = "LAPS policy processing failed with the error code below.`r`n`r`nError code: 80070032" }
    }
  }
  Mock Get-WinEvent {
    $null = Enter-Command 'Get-WinEvent'
    $filter = $FilterHashtable[0]
    if ($filter.LogName -ne 'Microsoft-Windows-LAPS/Operational') { throw "unexpected log $($filter.LogName)" }
    $found = @($global:Laps.Log | Where-Object { $_.Id -in $filter.Id -and $_.TimeCreated -ge $filter.StartTime })
    if ($found.Count -eq 0) { throw 'No events were found that match the specified selection criteria.' }
    $found
  }
}

Describe 'windows-laps: <Name>' -ForEach $laps {
  BeforeAll {
    $settings = $Script.Facts.hardening.laps
  }

  BeforeEach {
    Initialize-Registry
    $global:Laps = @{ SchemaExtended = $true; SelfPermission = $true; BackedUp = $false; Log = @() }
  }

  It 'writes the Windows LAPS policy (back up to AD, age, length, complexity 4) and reports the password backed up' {
    $run = Invoke-GeneratedScript -Script $Script
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    Get-RegistryValue -Key $lapsConfig -Name 'BackupDirectory' | Should -Be 2
    Get-RegistryValue -Key $lapsConfig -Name 'PasswordAgeDays' | Should -Be $settings.passwordAgeDays
    Get-RegistryValue -Key $lapsConfig -Name 'PasswordLength' | Should -Be $settings.passwordLength
    Get-RegistryValue -Key $lapsConfig -Name 'PasswordComplexity' | Should -Be 4
    $global:Laps.BackedUp | Should -BeTrue
    $run.Text | Should -Match 'backed up to Active Directory'
  }

  It 'changes no value on a second run' {
    Invoke-GeneratedScript -Script $Script | Out-Null
    $before = Format-Registry
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    Format-Registry | Should -Be $before
  }

  It 'names the domain administrators'' preconditions when the domain lacks them, and succeeds: Windows LAPS retries every hour' {
    $global:Laps.SchemaExtended = $false
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 0
    $run.Text | Should -Match 'MANUAL PRECONDITIONS \(domain administrators\)'
    $run.Text | Should -Match 'Update-LapsADSchema \(Schema Admins\)'
    $ou = if ($settings.ouPath) { [regex]::Escape($settings.ouPath) } else { '<the OU of the computer accounts>' }
    $run.Text | Should -Match ("Set-LapsADComputerSelfPermission -Identity '{0}' \(Domain Admins\)" -f $ou)
    $run.Text | Should -Match 'Error code: 80070032'
    Get-RegistryValue -Key $lapsConfig -Name 'BackupDirectory' | Should -Be 2
  }

  It 'reports a Windows LAPS Group Policy that takes precedence' {
    $global:Registry['HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\LAPS'] = @{ BackupDirectory = 2 }
    $run = Invoke-GeneratedScript -Script $Script
    $run.Text | Should -Match 'CurrentVersion\\Policies\\LAPS applies here and takes precedence'
  }

  It 'changes nothing where Windows has no Windows LAPS (Windows Server 2016)' {
    Mock Get-Command { $null } -ParameterFilter { $Name -eq 'Invoke-LapsPolicyProcessing' }
    $before = Format-Registry
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 0
    $run.Text | Should -Match 'Windows LAPS is not part of this Windows'
    Format-Registry | Should -Be $before
    Should -Invoke Invoke-LapsPolicyProcessing -Exactly -Times 0
  }

  It 'exits 1 naming the step when the policy cannot be written' {
    Mock New-ItemProperty { throw 'Requested registry access is not allowed.' } -ParameterFilter { $Path -like 'HKLM:*' }
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike 'windows-laps failed at "write the Windows LAPS policy*": Requested registry access is not allowed.'
    Should -Invoke Invoke-LapsPolicyProcessing -Exactly -Times 0
  }
}

Describe 'a failed Windows LAPS step is repaired by the next run: <Name>' -ForEach $repair {
  It 'whatever single call fails, the next run leaves the policy and the backed-up password as a clean run does' {
    $initialize = { Initialize-Registry; $global:Laps = @{ SchemaExtended = $true; SelfPermission = $true; BackedUp = $false; Log = @() } }
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize $initialize -State { [ordered]@{ Registry = @(Format-Registry); BackedUp = $global:Laps.BackedUp } }
    $unrepaired | Should -Be @()
  }
}

AfterAll {
  foreach ($name in 'Registry', 'Laps') { Remove-Variable -Name $name -Scope Global -ErrorAction SilentlyContinue }
}
