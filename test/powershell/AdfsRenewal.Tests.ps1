<#
  The certificate renewal on an AD FS server (kind certificate-renewal, tier adfs), against a server kept as
  state: the certificates in Cert:\LocalMachine\My, HTTP.sys's SSL bindings with every field `netsh http show
  sslcert` reports (the model in stubs/WindowsStubs.psm1), the certificate each endpoint of the AD FS service
  serves (what HTTP.sys held when the service last started), the private key's access list and the Application
  log. The tests compare those states, never the command lines that change them.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $adfs = @(Get-ScriptCase -Kind 'certificate-renewal' | Where-Object { $_.Script.Tier -eq 'adfs' })
  $representative = Get-RepresentativeCase -Kind 'certificate-renewal' -Tier 'adfs'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'RenewalServer.ps1')
}

AfterAll {
  Remove-Variable -Name Server -Scope Global -ErrorAction SilentlyContinue
}

Describe 'certificate-renewal on an AD FS server: <Name>' -ForEach $adfs {
  BeforeAll {
    $facts = $Script.Facts
    $name = $facts.names.federationService
  }

  Context 'after the Key Vault extension installed a renewal' {
    BeforeEach { Initialize-AdfsRenewalServer -Facts $facts }

    It 'moves every AD FS binding to the new certificate and keeps every other field of each, as netsh show sslcert reports it' {
      $before = @(Get-HttpSysBinding)
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $after = @(Get-HttpSysBinding)
      $after.Count | Should -Be $before.Count
      for ($i = 0; $i -lt $before.Count; $i++) {
        $after[$i]['Certificate Hash'] | Should -Be $New.ToLowerInvariant() -Because $before[$i]['Hostname:port']
        foreach ($field in $before[$i].Keys | Where-Object { $_ -ne 'Certificate Hash' }) {
          $after[$i][$field] | Should -Be $before[$i][$field] -Because ('{0}, {1}' -f $before[$i]['Hostname:port'], $field)
        }
      }
    }

    It 'serves the new certificate on every endpoint once it ran' {
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
    }

    It 'grants the service account and the AD FS service read access to the new key, once' {
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $account = if ($facts.farm.gmsa) { $facts.farm.gmsa } else { $facts.farm.serviceAccountUsername }
      $global:Server.Grants | Should -Be @(('{0}:R' -f $account), 'NT SERVICE\adfssrv:R')
      Should -Invoke icacls.exe -Exactly -Times 2 -ParameterFilter { $Arguments[0] -like ('*{0}' -f $global:Server.Container) -and $Arguments[1] -eq '/grant' }
    }

    It 'writes each action to the Application log as a Warning of MFA-HA-CertRenewal (event 1001): the key, three bindings, the restart' {
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      @($global:Server.Events | ForEach-Object { '{0} {1}' -f $_.Id, $_.EntryType } | Select-Object -Unique) | Should -Be @('1001 Warning')
      $global:Server.Events.Count | Should -Be 5
      Should -Invoke Write-EventLog -Exactly -Times 5 -ParameterFilter { $LogName -eq 'Application' -and $Source -eq 'MFA-HA-CertRenewal' }
    }

    It 'changes nothing on a second run, and writes no event' {
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $bindings = @(Get-HttpSysBinding)
      $events = $global:Server.Events.Count
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'nothing to change'
      $global:Server.Events.Count | Should -Be $events
      $global:Server.Restarts['adfssrv'] | Should -Be 1
      (@(Get-HttpSysBinding) | ConvertTo-Json) | Should -Be ($bindings | ConvertTo-Json)
    }

    It 'leaves the service-communications certificate alone: no configured scenario needs it' {
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $global:Server.Communications | Should -Be $Old
    }
  }

  Context 'choosing the certificate' {
    It 'takes the newest valid one, its name matched case-insensitively (a wildcard too), never one not yet valid, expired or without its key' {
      Initialize-AdfsRenewalServer -Facts $facts
      $parent = ($name -split '\.', 2)[1]
      $wildcard = ('C0' * 20)
      $global:Server.Certificates += @(
        (New-StoreCertificate -DnsName ('*.{0}' -f $parent.ToUpperInvariant()) -Thumbprint $wildcard -NotAfter (Get-Date).AddDays(500))
        (New-StoreCertificate -DnsName $name -Thumbprint ('E5' * 20) -NotAfter (Get-Date).AddDays(900) -NotBefore (Get-Date).AddDays(2))
        (New-StoreCertificate -DnsName $name -Thumbprint ('F6' * 20) -NotAfter (Get-Date).AddDays(900) -HasPrivateKey $false)
        (New-StoreCertificate -DnsName $name -Thumbprint ('A7' * 20) -NotAfter (Get-Date).AddDays(-1) -NotBefore (Get-Date).AddDays(-400))
      )
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($wildcard, $wildcard, $wildcard)
    }

    It 'warns (event 1002) when the newest certificate expires within the warning period, and changes nothing' {
      # The renewal did not come: the newest certificate is the one AD FS uses, 20 days from its expiry.
      Initialize-AdfsRenewalServer -Facts $facts -Bound $Old -NewValidDays 10
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      @($global:Server.Events | Where-Object { $_.Id -eq 1002 -and $_.EntryType -eq 'Warning' -and $_.Message -like ('*{0} ({1}) expires*' -f $name, $Old) }).Count | Should -Be 1
      $global:Server.Events.Count | Should -Be 1
    }
  }

  Context 'when the private key cannot be granted' {
    It 'exits 1 naming the step, logs an Error (event 1003), and leaves every binding as it was' {
      Initialize-AdfsRenewalServer -Facts $facts
      $before = @(Get-HttpSysBinding) | ConvertTo-Json
      Mock icacls.exe { $global:LASTEXITCODE = 5; 'Access is denied.' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'certificate-renewal failed at "give * read access to the new private key": icacls could not grant*'
      @($global:Server.Events | Where-Object { $_.Id -eq 1003 -and $_.EntryType -eq 'Error' }).Count | Should -Be 1
      (@(Get-HttpSysBinding) | ConvertTo-Json) | Should -Be $before
      $global:Server.Restarts.Count | Should -Be 0
    }
  }

  Context 'when a binding holds a setting netsh http update sslcert cannot write back' {
    It 'stops before it changes anything, naming the setting' {
      Initialize-AdfsRenewalServer -Facts $facts
      Add-HttpSysBinding -HostnamePort "${name}:443" -CertificateHash $Old -ApplicationId $AdfsAppId -Field @{ 'Ctl Store Name' = 'AdfsTrustedDevices'; 'Disable HTTP2' = 'Set' }
      $before = @(Get-HttpSysBinding) | ConvertTo-Json
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*"Disable HTTP2" is "Set"*'
      (@(Get-HttpSysBinding) | ConvertTo-Json) | Should -Be $before
      Get-ServedCertificate | Should -Be @($Old, $Old, $Old)
    }
  }

  Context 'when writing a binding fails half way' {
    It 'puts every binding back as it was, field by field, and AD FS serves the old certificate' {
      Initialize-AdfsRenewalServer -Facts $facts
      $before = @(Get-HttpSysBinding)
      $global:Server.RefuseBinding = 'localhost:443'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $after = @(Get-HttpSysBinding)
      for ($i = 0; $i -lt $before.Count; $i++) {
        foreach ($field in $before[$i].Keys) {
          $after[$i][$field] | Should -Be $before[$i][$field] -Because ('{0}, {1}' -f $before[$i]['Hostname:port'], $field)
        }
      }
      Get-ServedCertificate | Should -Be @($Old, $Old, $Old)
    }
  }

  Context 'when the restart after the rebind fails' {
    It 'is repaired by the next run: AD FS then serves the new certificate' {
      Initialize-AdfsRenewalServer -Facts $facts
      $global:Server.FailRestarts = 1
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 1
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
      @(Get-HttpSysBinding | ForEach-Object { $_['Certificate Hash'] }) | Should -Be @($New.ToLowerInvariant(), $New.ToLowerInvariant(), $New.ToLowerInvariant())
    }
  }

  Context 'when no other AD FS server answers its probe' {
    It 'changes nothing, keeps serving, and says it waits (event 1004); the next run moves once a peer serves' {
      Initialize-AdfsRenewalServer -Facts $facts
      Set-RenewalPeers -Serving @()
      $before = @(Get-HttpSysBinding)
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      @($global:Server.Events | Where-Object { $_.Id -eq 1004 -and $_.EntryType -eq 'Warning' }).Count | Should -Be 1
      @(Get-HttpSysBinding | ForEach-Object { $_['Certificate Hash'] }) | Should -Be @($before | ForEach-Object { $_['Certificate Hash'] })
      $global:Server.Restarts.Count | Should -Be 0
      Set-RenewalPeers -Serving @('10.1.2.12')
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
    }

    It 'goes ahead when the certificate this server serves has expired: it serves no one' {
      Initialize-AdfsRenewalServer -Facts $facts
      Set-RenewalPeers -Serving @()
      $global:Server.Certificates[0].NotAfter = (Get-Date).AddMinutes(-5)
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
    }
  }

}

Describe 'a failed AD FS renewal is repaired by the next one: <Name>' -ForEach $representative {
  It 'whatever single call fails, the next run leaves the server as a clean first run does' {
    $facts = $Script.Facts
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize { Initialize-AdfsRenewalServer -Facts $facts } -State { Get-AdfsRenewalState }
    $unrepaired | Should -Be @()
  }
}
