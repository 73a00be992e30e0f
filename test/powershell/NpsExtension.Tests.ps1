<#
  The NPS extension for Microsoft Entra MFA (Run Command `nps-extension`, deployed once nps.extensionInstalled says
  the manual installation is done): the installation checked (the DLLs NPS loads), the client certificate the Key
  Vault extension installs found by its thumbprint, the registry values of HKLM\SOFTWARE\Microsoft\AzureMfa, the
  expired client certificates deleted, and one drained restart of IAS when anything changed. The server is the state
  of NpsServer.ps1; the scenarios compare states.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $extension = Get-ScriptCase -Kind 'nps-extension'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'NpsServer.ps1')
  Register-NpsServerMocks

  <#
    A server where the manual step is done and the Key Vault extension installed this server's client certificate;
    an expired one of the same subject left by an earlier renewal, and an expired certificate of something else.
  #>
  function Initialize-ExtensionServer {
    param($Script)
    Initialize-NpsServer -Script $Script
    Install-NpsExtension
    $subject = 'CN={0}, OU=Microsoft NPS Extension' -f $Script.Facts.nps.tenantId
    # Fixed thumbprints: every server this builds is the same server.
    $global:Current = New-NpsCertificate -Thumbprint ('C1' * 20) -Subject $subject -NotAfter (Get-Date).AddDays(700)
    $global:Expired = New-NpsCertificate -Thumbprint ('E0' * 20) -Subject ('OU=Microsoft NPS Extension, CN={0}' -f $Script.Facts.nps.tenantId) -NotAfter (Get-Date).AddDays(-3)
    $global:Other = New-NpsCertificate -Thumbprint ('0E' * 20) -Subject 'CN=sts.contoso.com' -NotAfter (Get-Date).AddDays(-3)
    foreach ($c in $global:Current, $global:Expired, $global:Other) { $global:Nps.Certificates.Add($c) }
    $global:Nps.Loaded = Get-NpsConfiguration
  }

  function Invoke-Extension { param($Script, [string] $Thumbprint = $global:Current.Thumbprint) Invoke-GeneratedScript -Script $Script -Parameters @{ CertificateThumbprint = $Thumbprint } }

  <# The registry values the configuration asks for, as Get-NpsState lists them (with what the installer wrote). #>
  function Get-ExpectedAzureMfa {
    param($Facts, [string] $Thumbprint)
    $values = @{ CLIENT_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720 (String)'; TENANT_ID = ('{0} (String)' -f $Facts.nps.tenantId); CLIENT_CERT_IDENTIFIER = ('{0} (String)' -f $Thumbprint) }
    if ($null -ne $Facts.nps.overrideNumberMatchingWithOtp) { $values.OVERRIDE_NUMBER_MATCHING_WITH_OTP = ('{0} (String)' -f $(if ($Facts.nps.overrideNumberMatchingWithOtp) { 'TRUE' } else { 'FALSE' })) }
    @($values.GetEnumerator() | Sort-Object Key | ForEach-Object { '{0}={1}' -f $_.Key, $_.Value })
  }

  $script:StepFailures = [ordered]@{
    'check that the NPS extension is installed'         = @{ Break = { $global:Nps.Registry.Remove('HKLM:\SYSTEM\CurrentControlSet\Services\AuthSrv\Parameters') }; Repair = { Install-NpsExtension } }
    'find the client certificate'                       = @{ Break = { [void]$global:Nps.Certificates.Remove($global:Current) }; Repair = { $global:Nps.Certificates.Add($global:Current) } }
    "set the extension's registry values"               = @{ Break = { $global:Nps.Failures['registry'] = 'Requested registry access is not allowed.' }; Repair = { $global:Nps.Failures.Remove('registry') } }
    'delete the expired client certificates'            = @{ Break = { $global:Nps.Failures['remove-certificate'] = 'Access is denied.' }; Repair = { $global:Nps.Failures.Remove('remove-certificate') } }
    'restart the Network Policy Server service (IAS)'   = @{ Break = { $global:Nps.Failures['restart'] = 'Service IAS cannot be stopped.' }; Repair = { $global:Nps.Failures.Remove('restart') } }
  }
}

AfterAll {
  Remove-Variable -Name Nps, Current, Expired, Other -Scope Global -ErrorAction SilentlyContinue
}

Describe 'nps-extension: <Name>' -ForEach $extension {
  BeforeAll { $facts = $Script.Facts }

  Context 'once the extension is installed and the client certificate is on the server' {
    BeforeEach { Initialize-ExtensionServer -Script $Script }

    It 'sets TENANT_ID, CLIENT_CERT_IDENTIFIER and the configured settings as strings, deletes the expired client certificate, and restarts IAS once, drained' {
      $run = Invoke-Extension -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $state = Get-NpsState | ConvertFrom-Json
      @($state.Configuration.AzureMfa) | Should -Be (Get-ExpectedAzureMfa -Facts $facts -Thumbprint $global:Current.Thumbprint)
      @($state.Certificates) | Should -Be @(@($global:Current.Thumbprint, $global:Other.Thumbprint) | Sort-Object)
      $state.IasReadIt | Should -BeTrue
      $state.RestartPending | Should -BeFalse
      $global:Nps.Service.Restarts | Should -Be 1
      @($global:Nps.Drained) | Should -Be @($true)
    }

    It 'changes nothing on a second run' {
      Invoke-Extension -Script $Script | Out-Null
      $first = Get-NpsState
      $second = Invoke-Extension -Script $Script
      $second.ExitCode | Should -Be 0
      Get-NpsState | Should -Be $first
      $global:Nps.Service.Restarts | Should -Be 1
      $second.Text | Should -Match 'nothing changed: IAS keeps running'
    }

    It 'takes the thumbprint in any letter case, as Key Vault or a person writes it' {
      (Invoke-Extension -Script $Script -Thumbprint $global:Current.Thumbprint.ToLowerInvariant()).ExitCode | Should -Be 0
      @((Get-NpsState | ConvertFrom-Json).Configuration.AzureMfa) | Should -Be (Get-ExpectedAzureMfa -Facts $facts -Thumbprint $global:Current.Thumbprint)
    }

    It 'puts back a value someone changed, and removes an override the configuration does not set' {
      Invoke-Extension -Script $Script | Out-Null
      $global:Nps.Registry['HKLM:\SOFTWARE\Microsoft\AzureMfa'].TENANT_ID = @{ Type = 'String'; Value = 'contoso.onmicrosoft.com' }
      if ($null -eq $facts.nps.overrideNumberMatchingWithOtp) { $global:Nps.Registry['HKLM:\SOFTWARE\Microsoft\AzureMfa'].OVERRIDE_NUMBER_MATCHING_WITH_OTP = @{ Type = 'String'; Value = 'TRUE' } }
      $run = Invoke-Extension -Script $Script
      $run.ExitCode | Should -Be 0
      @((Get-NpsState | ConvertFrom-Json).Configuration.AzureMfa) | Should -Be (Get-ExpectedAzureMfa -Facts $facts -Thumbprint $global:Current.Thumbprint)
      $global:Nps.Service.Restarts | Should -Be 2
      if ($null -eq $facts.nps.overrideNumberMatchingWithOtp) { $run.Text | Should -Match 'OVERRIDE_NUMBER_MATCHING_WITH_OTP removed: the extension default applies' }
    }
  }

  Context 'after Key Vault renewed the certificate' {
    It 'moves CLIENT_CERT_IDENTIFIER to the renewed certificate, keeps the old one until it expires, and restarts IAS' {
      Initialize-ExtensionServer -Script $Script
      Invoke-Extension -Script $Script | Out-Null
      $renewed = New-NpsCertificate -Subject ('CN={0}, OU=Microsoft NPS Extension' -f $facts.nps.tenantId) -NotAfter (Get-Date).AddDays(730)
      $global:Nps.Certificates.Add($renewed)
      (Invoke-Extension -Script $Script -Thumbprint $renewed.Thumbprint).ExitCode | Should -Be 0
      $state = Get-NpsState | ConvertFrom-Json
      @($state.Configuration.AzureMfa) | Should -Be (Get-ExpectedAzureMfa -Facts $facts -Thumbprint $renewed.Thumbprint)
      @($state.Certificates) | Should -Contain $global:Current.Thumbprint
      $state.IasReadIt | Should -BeTrue
    }

    It 'waits for the Key Vault extension to install the renewed certificate' {
      Initialize-ExtensionServer -Script $Script
      $renewed = New-NpsCertificate -Subject ('CN={0}, OU=Microsoft NPS Extension' -f $facts.nps.tenantId)
      # The extension polls hourly: the certificate arrives 40 minutes into the wait.
      $global:Nps.Arriving.Add(@{ After = 2400; Certificate = $renewed })
      (Invoke-Extension -Script $Script -Thumbprint $renewed.Thumbprint).ExitCode | Should -Be 0
      Should -Invoke Start-Sleep -Exactly -Times 40 -ParameterFilter { $Seconds -eq 60 }
      @((Get-NpsState | ConvertFrom-Json).Configuration.AzureMfa) | Should -Be (Get-ExpectedAzureMfa -Facts $facts -Thumbprint $renewed.Thumbprint)
    }
  }

  Context 'when the manual step was not done' {
    BeforeEach { Initialize-NpsServer -Script $Script }

    It 'exits 1 with one line naming the step, and changes nothing' {
      $before = Get-NpsState
      $run = Invoke-Extension -Script $Script -Thumbprint ('A' * 40)
      $run.ExitCode | Should -Be 1
      @($run.Error -split "`n").Count | Should -Be 1
      $run.Error | Should -Be 'nps-extension failed at "check that the NPS extension is installed (the manual step "Install the NPS extension")": the NPS extension for Microsoft Entra MFA is not installed here (MfaNpsAuthnExt.dll in ExtensionDLLs, MfaNpsAuthzExt.dll in AuthorizationDLLs of HKLM\SYSTEM\CurrentControlSet\Services\AuthSrv\Parameters missing): do the manual step "Install the NPS extension" (README) on this server, then deploy again'
      Get-NpsState | Should -Be $before
      $global:Nps.Service.Restarts | Should -Be 0
    }

    It 'names the one DLL that is missing' {
      Install-NpsExtension
      $global:Nps.Registry['HKLM:\SYSTEM\CurrentControlSet\Services\AuthSrv\Parameters'].AuthorizationDLLs = @('C:\Windows\System32\other.dll')
      $run = Invoke-Extension -Script $Script -Thumbprint ('A' * 40)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*(MfaNpsAuthzExt.dll in AuthorizationDLLs of *'
    }
  }

  Context 'when the certificate is not usable' {
    BeforeEach { Initialize-ExtensionServer -Script $Script }

    It 'gives up after 75 minutes without the certificate, naming it and the Key Vault extension' {
      $run = Invoke-Extension -Script $Script -Thumbprint ('B' * 40)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*certificate {0} is not in LocalMachine\My after 75 minutes: check the Key Vault extension of this server (key-vault-certificates)' -f ('B' * 40))
      @((Get-NpsState | ConvertFrom-Json).Configuration.AzureMfa) | Should -Not -Contain ('CLIENT_CERT_IDENTIFIER={0} (String)' -f ('B' * 40))
    }

    It 'refuses an expired certificate' {
      $run = Invoke-Extension -Script $Script -Thumbprint $global:Expired.Thumbprint
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*certificate {0} expired on *' -f $global:Expired.Thumbprint)
    }

    It 'refuses a certificate without its private key' {
      $global:Current.HasPrivateKey = $false
      $run = Invoke-Extension -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*has no private key in LocalMachine\My'
    }
  }

  Context 'when a step fails' {
    It 'reaches the state of a clean run once the failing step succeeds again, whichever step failed' {
      Initialize-ExtensionServer -Script $Script
      (Invoke-Extension -Script $Script).ExitCode | Should -Be 0
      $clean = Get-NpsState
      $steps = Get-ScriptStep -Script $Script
      $steps.Count | Should -Be $script:StepFailures.Count
      foreach ($title in $steps) {
        $failure = $script:StepFailures.Keys | Where-Object { $title.StartsWith($_) } | Select-Object -First 1
        $failure | Should -Not -BeNullOrEmpty -Because "the step ""$title"" needs a failure in the table of this file"
        Initialize-ExtensionServer -Script $Script
        & $script:StepFailures[$failure].Break
        $failed = Invoke-Extension -Script $Script
        $failed.ExitCode | Should -Be 1 -Because $title
        $failed.Error | Should -BeLike ('nps-extension failed at "{0}"*' -f [WildcardPattern]::Escape($title)) -Because $title
        & $script:StepFailures[$failure].Repair
        (Invoke-Extension -Script $Script).ExitCode | Should -Be 0 -Because $title
        Get-NpsState | Should -Be $clean -Because "a run after ""$title"" failed"
      }
    }
  }
}
