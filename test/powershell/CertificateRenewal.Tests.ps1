<#
  The Run Command that installs the certificate renewal task (certificate-renewal-task) on every AD FS, WAP, MFA
  and portal server: the event source, the script file in a folder only SYSTEM and Administrators may write, the
  list of the tier's other servers (AD FS and WAP, whose renewal restarts only while a peer serves) and the task,
  registered again only when its definition changes (kept in a file beside the script). The renewal scripts
  themselves: AdfsRenewal.Tests.ps1, WapRenewal.Tests.ps1, IisWatch.Tests.ps1.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $installers = Get-ScriptCase -Kind 'certificate-renewal-task'
  $representatives = @('adfs', 'wap', 'mfa', 'portal' | ForEach-Object { Get-RepresentativeCase -Kind 'certificate-renewal-task' -Tier $_ })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  # The server the mocks describe. Global: mock bodies run in Pester's scope, not in this file's.
  $global:Renewal = @{}

  <# The installer's parameters as Run Command passes them: the peers' addresses where it declares them. #>
  function Get-InstallerParameters {
    param($Script)
    if (@($Script.Parameters | Where-Object { $_.name -eq 'PeerAddresses' }).Count -gt 0) { @{ PeerAddresses = '10.1.2.11,10.1.2.12' } } else { @{} }
  }
}

Describe 'certificate-renewal-task: <Name>' -ForEach $installers {
  BeforeAll {
    # The renewal script this installer carries, as the server will write it.
    $encoded = [regex]::Match((Get-Content -LiteralPath $Script.Path -Raw), "FromBase64String\('([A-Za-z0-9+/=]+)'\)").Groups[1].Value
    $expected = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($encoded))
    $source = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\MFA-HA-CertRenewal'
    Mock Test-Path { $null = Enter-Command 'Test-Path HKLM:'; $global:Renewal.SourceRegistered } -ParameterFilter { $Path -eq $source }
    Mock New-EventLog { $null = Enter-Command 'New-EventLog'; $global:Renewal.SourceRegistered = $true }
    Mock icacls.exe { if (Enter-Command 'icacls.exe' -Native) { return 'Access is denied.' }; $global:LASTEXITCODE = 0 }
    Mock Get-ScheduledTask { $null = Enter-Command 'Get-ScheduledTask'; $global:Renewal.Task }
    Mock New-ScheduledTaskAction { [pscustomobject]@{ Execute = $Execute; Arguments = $Argument } }
    Mock New-ScheduledTaskTrigger { [pscustomobject]@{ Parameters = $PSBoundParameters } }
    Mock New-ScheduledTaskPrincipal { [pscustomobject]@{ UserId = $UserId } }
    Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{} }
    Mock Register-ScheduledTask { $null = Enter-Command 'Register-ScheduledTask'; $global:Renewal.Task = [pscustomobject]@{ TaskName = $TaskName; TaskPath = $TaskPath } }
  }

  Context 'on a fresh server' {
    BeforeEach {
      Initialize-WindowsServer | Out-Null
      $global:Renewal = @{ SourceRegistered = $false; Task = $null }
      $file = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/Update-CertificateBindings.ps1'
    }

    It 'registers the event source, writes the renewal script under %ProgramData% and registers the task once' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
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

    It 'writes the addresses of the tier''s other servers where the renewal restarts a service (AD FS, WAP), and none elsewhere' {
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)).ExitCode | Should -Be 0
      $peers = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/peers.txt'
      if ($Script.Tier -in 'adfs', 'wap') { @(Get-Content -LiteralPath $peers) | Should -Be @('10.1.2.11', '10.1.2.12') }
      else { Test-Path -LiteralPath $peers | Should -BeFalse }
    }

    It 'runs the task daily and every hour, the hour the Key Vault extension polls' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script) | Out-Null
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Daily -and $At.TimeOfDay -eq [timespan]'03:00:00' }
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Once -and $At.TimeOfDay -eq [timespan]'00:00:00' -and $RepetitionInterval -eq [timespan]'01:00:00' -and $RepetitionDuration.TotalDays -ge 365 }
    }

    It 'runs server <Computer> at <Minute> minutes past the hour, so that no two servers of a tier restart together' -ForEach @(
      @{ Computer = 'PROD-ADFS1'; Minute = 0 }, @{ Computer = 'PROD-ADFS2'; Minute = 13 }, @{ Computer = 'PROD-WAP3'; Minute = 26 }, @{ Computer = 'DEV-WAP10'; Minute = 57 }, @{ Computer = 'NODIGITS'; Minute = 0 }
    ) {
      Initialize-WindowsServer -ComputerName $Computer | Out-Null
      Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script) | Out-Null
      # Not $at: inside a parameter filter that name is the call's -At.
      $offset = [timespan]::FromMinutes($Minute)
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Daily -and $At.TimeOfDay -eq ([timespan]'03:00:00' + $offset) }
      Should -Invoke New-ScheduledTaskTrigger -Exactly -Times 1 -ParameterFilter { $Once -and $At.TimeOfDay -eq $offset -and $RepetitionInterval -eq [timespan]'01:00:00' }
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script) | Out-Null
      $written = (Get-Item -LiteralPath $file).LastWriteTimeUtc
      $second = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
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
      $global:Renewal = @{ SourceRegistered = $true; Task = [pscustomobject]@{ TaskName = 'Certificate renewal'; TaskPath = '\MFA-HA\' } }
      $file = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/Update-CertificateBindings.ps1'
      New-Item -ItemType Directory -Path (Split-Path -Path $file -Parent) -Force | Out-Null
      Set-Content -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/certificate-renewal.definition') -Value $description -Encoding ascii
      Set-Content -LiteralPath $file -Value $expected -Encoding utf8 -NoNewline
      $written = (Get-Item -LiteralPath $file).LastWriteTimeUtc
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
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
      $global:Renewal = @{ SourceRegistered = $true; Task = [pscustomobject]@{ TaskName = 'Certificate renewal'; TaskPath = '\MFA-HA\' } }
      $file = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/Update-CertificateBindings.ps1'
      New-Item -ItemType Directory -Path (Split-Path -Path $file -Parent) -Force | Out-Null
      Set-Content -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/certificate-renewal.definition') -Value 'an earlier definition' -Encoding ascii
      Set-Content -LiteralPath $file -Value '# an earlier script' -Encoding utf8
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
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
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'certificate-renewal-task failed at "register the scheduled task*": Access is denied.'
    }
  }
}

Describe 'a failed installer run is repaired by the next one: <Name>' -ForEach $representatives {
  BeforeAll {
    Mock Test-Path { $null = Enter-Command 'Test-Path HKLM:'; $global:Renewal.SourceRegistered } -ParameterFilter { $Path -eq 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\MFA-HA-CertRenewal' }
    Mock New-EventLog { $null = Enter-Command 'New-EventLog'; $global:Renewal.SourceRegistered = $true }
    Mock icacls.exe { if (Enter-Command 'icacls.exe' -Native) { return 'Access is denied.' }; $global:LASTEXITCODE = 0 }
    Mock Get-ScheduledTask { $null = Enter-Command 'Get-ScheduledTask'; $global:Renewal.Task }
    Mock New-ScheduledTaskAction { [pscustomobject]@{ Execute = $Execute; Arguments = $Argument } }
    Mock New-ScheduledTaskTrigger { [pscustomobject]@{ Parameters = $PSBoundParameters } }
    Mock New-ScheduledTaskPrincipal { [pscustomobject]@{ UserId = $UserId } }
    Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{} }
    Mock Register-ScheduledTask { $null = Enter-Command 'Register-ScheduledTask'; $global:Renewal.Task = [pscustomobject]@{ TaskName = $TaskName; TaskPath = $TaskPath } }
  }

  It 'whatever single call fails, the next run leaves the source, the script, the peers and the task as a clean run does' {
    $state = {
      $folder = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA'
      [ordered]@{
        Source = $global:Renewal.SourceRegistered; Task = [bool]$global:Renewal.Task
        Files = @(Get-ChildItem -Path $folder -ErrorAction SilentlyContinue | Where-Object { -not $_.PSIsContainer } | Sort-Object -Property Name | ForEach-Object { '{0} {1}' -f $_.Name, (Get-Content -LiteralPath $_.FullName -Raw) })
      }
    }
    $unrepaired = Test-RepairedByNextRun -Script $Script -Parameters (Get-InstallerParameters $Script) -Initialize { Initialize-WindowsServer | Out-Null; $global:Renewal = @{ SourceRegistered = $false; Task = $null } } -State $state
    $unrepaired | Should -Be @()
  }
}

AfterAll {
  Remove-Variable -Name Renewal -Scope Global -ErrorAction SilentlyContinue
}
