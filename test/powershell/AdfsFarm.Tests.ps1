<#
  The AD FS farm scripts (Run Command `adfs-farm`): the first server creates the WID farm, the others join it.
  Each state of a server is mocked as Windows reports it: FSConfigurationStatus in HKLM:\SOFTWARE\Microsoft\ADFS
  (0 or 1: not configured, 2: configured, as AdfsDsc's Get-AdfsConfigurationStatus reads it), the certificate
  in Cert:\LocalMachine\My, the other servers of the tier in AD (DirectorySearcher), their probe
  (Invoke-WebRequest), and the cmdlets' result objects (Status Success or Error). The server's restarts are state
  too: when it last started (Win32_OperatingSystem's LastBootUpTime), and the restart shutdown.exe scheduled, which
  Restart-ModeledServer carries out.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $create = Get-ScriptCase -Kind 'adfs-farm-create'
  $join = Get-ScriptCase -Kind 'adfs-farm-join'
  $restart = Get-ScriptCase -Kind 'adfs-restart'
  $createOne = Get-RepresentativeCase -Kind 'adfs-farm-create'
  $joinOne = Get-RepresentativeCase -Kind 'adfs-farm-join'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')

  # The server the mocks describe: what Windows would report, changed by the mocked cmdlets as the real ones would.
  # Global: mock bodies run in Pester's scope, not in this file's.
  $global:AdfsServer = @{}

  Mock Get-ItemProperty { $null = Enter-Command 'Get-ItemProperty HKLM:'; if ($null -eq $global:AdfsServer.Status) { return $null } [pscustomobject]@{ FSConfigurationStatus = $global:AdfsServer.Status } } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Microsoft\ADFS' }
  Mock Get-ChildItem { $null = Enter-Command 'Get-ChildItem Cert:'; $global:AdfsServer.Certificates } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
  Mock New-Object {
    $null = Enter-Command 'New-Object DirectorySearcher'
    $global:AdfsServer.Filter = $ArgumentList[0]
    $searcher = [pscustomobject]@{}
    $searcher | Add-Member -MemberType ScriptMethod -Name FindAll -Value {
      @($global:AdfsServer.Peers | ForEach-Object { [pscustomobject]@{ Properties = @{ dnshostname = @($_) } } })
    }
    $searcher
  } -ParameterFilter { $TypeName -eq 'System.DirectoryServices.DirectorySearcher' }
  Mock Invoke-WebRequest {
    $null = Enter-Command 'Invoke-WebRequest'
    $computer = ([uri]$Uri).Host
    if ($computer -in $global:AdfsServer.Answering) { return [pscustomobject]@{ StatusCode = 200 } }
    throw ('Unable to connect to {0}' -f $computer)
  }
  Mock Start-Sleep { }
  Mock Invoke-RestMethod { Invoke-AzureStubRestMethod -Method $Method -Uri $Uri -Headers $Headers }
  Mock klist.exe { if (Enter-Command 'klist.exe' -Native) { return 'klist: failed' }; $global:LASTEXITCODE = 0; 'Current LogonId is 0:0x3e7', 'Ticket(s) purged!' }
  Mock Get-CimInstance { $null = Enter-Command 'Get-CimInstance'; [pscustomobject]@{ LastBootUpTime = $global:AdfsServer.Boot } } -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' }
  Mock shutdown.exe {
    if (Enter-Command 'shutdown.exe' -Native) { return 'Access is denied.(5)' }
    if ($global:AdfsServer.RestartScheduled) { $global:LASTEXITCODE = 1190; return 'A system shutdown has already been scheduled.(1190)' }
    $global:AdfsServer.RestartScheduled = ($Arguments -contains '/r')
    $global:LASTEXITCODE = 0
  }

  <# The restart shutdown.exe scheduled happens: the server starts again, and AD FS answers once it is configured. #>
  function Restart-ModeledServer {
    $global:AdfsServer.RestartScheduled | Should -BeTrue -Because 'only a scheduled restart restarts the server'
    $global:AdfsServer.RestartScheduled = $false
    $global:AdfsServer.Boot = (Get-Date).AddSeconds(1)
    $global:AdfsServer.Restarts++
  }
  Mock Get-AdfsSyncProperties { $null = Enter-Command 'Get-AdfsSyncProperties'; [pscustomobject]@{ Role = $global:AdfsServer.Role } }
  Mock Install-AdfsFarm { $null = Enter-Command 'Install-AdfsFarm'; $global:AdfsServer.Status = 2; [pscustomobject]@{ Status = 'Success'; Message = 'The configuration completed successfully.'; Context = 'DeploymentSucceeded' } }
  Mock Add-AdfsFarmNode { $null = Enter-Command 'Add-AdfsFarmNode'; $global:AdfsServer.Status = 2; [pscustomobject]@{ Status = 'Success'; Message = 'The configuration completed successfully.'; Context = 'DeploymentSucceeded' } }

  <# What a farm script leaves on the server: its configuration, the restart it owes or asked for, its markers. #>
  function Get-AdfsFarmState {
    [ordered]@{
      Status = $global:AdfsServer.Status; RestartScheduled = $global:AdfsServer.RestartScheduled
      Started = Test-Path -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha/adfs-farm.started')
      RestartPending = Test-Path -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha/adfs-farm.restart-pending')
    }
  }

  <# A server of the AD FS tier: its configuration status, certificates, peers in AD and which of them answer their probe. #>
  function Initialize-AdfsServer {
    param($Script, [int] $Status = 1, [string[]] $Peers = @(), [string[]] $Answering = @(), [object[]] $Certificates)
    $facts = $Script.Facts
    $first = $Script.Kind -eq 'adfs-farm-create'
    Initialize-WindowsServer -ComputerName ($facts.computers.adfs[$(if ($first) { 0 } else { 1 })]).ToUpperInvariant() | Out-Null
    if ($null -eq $Certificates) { $Certificates = @(New-StoreCertificate -DnsName $facts.names.federationService) }
    $global:AdfsServer = @{
      Status = $Status; Peers = $Peers; Answering = $Answering; Filter = $null; Certificates = $Certificates
      Boot = (Get-Date).AddDays(-1); RestartScheduled = $false; Restarts = 0
      Role = $(if ($first) { 'PrimaryComputer' } else { 'SecondaryComputer' })
    }
    Reset-AzureStub
    Set-FarmPasswords -Facts $facts
  }

  <#
    The passwords in Key Vault, readable by the AD FS servers' identity alone, as the role assignments of
    constructs/federation-configuration.ts grant them; the scripts read them at run time.
  #>
  function Set-FarmPasswords {
    param($Facts, [string] $AdminPassword = 'Adm1n-Passw0rd', [string] $ServicePassword = 'Svc-Passw0rd')
    Set-ReadableSecret -Secret $Facts.farm.adminPasswordSecret -Value $AdminPassword -ClientId (Get-TierIdentity adfs)
    if ($Facts.farm.serviceAccountPasswordSecret) { Set-ReadableSecret -Secret $Facts.farm.serviceAccountPasswordSecret -Value $ServicePassword -ClientId (Get-TierIdentity adfs) }
  }

  <# The parameters of a farm script, as Run Command passes them: the identity's client id, no password. #>
  function Get-FarmParameters { param($Script) @{ IdentityClientId = (Get-TierIdentity adfs) } }

  <# True when the mocked cmdlet got the farm's service account and admin credential, from the config. #>
  function Test-FarmAccounts {
    param($Facts, $Call, [string] $AdminPassword = 'Adm1n-Passw0rd', [string] $ServicePassword = 'Svc-Passw0rd')
    $farm = $Facts.farm
    $account = if ($farm.gmsa) { $Call.GroupServiceAccountIdentifier -eq $farm.gmsa -and $null -eq $Call.ServiceAccountCredential } else {
      $Call.ServiceAccountCredential.UserName -eq $farm.serviceAccountUsername -and $Call.ServiceAccountCredential.GetNetworkCredential().Password -ceq $ServicePassword -and -not $Call.GroupServiceAccountIdentifier
    }
    $account -and $Call.Credential.UserName -eq $farm.adminUsername -and $Call.Credential.GetNetworkCredential().Password -ceq $AdminPassword
  }
}

Describe 'adfs-farm on the first server: <Name>' -ForEach $create {
  BeforeAll {
    $facts = $Script.Facts
    $serviceName = $facts.names.federationService
    $peers = @($facts.computers.adfs | Select-Object -Skip 1 | ForEach-Object { '{0}.{1}' -f $_, $facts.domain })
  }

  Context 'on a fresh server (role installed, AD FS not configured)' {
    BeforeEach { Initialize-AdfsServer -Script $Script -Status 1 -Peers $peers }

    It 'creates the farm once, with the name, the certificate, the service account and the admin credential' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $thumbprint = $global:AdfsServer.Certificates[0].Thumbprint
      Should -Invoke Install-AdfsFarm -Exactly -Times 1 -ParameterFilter {
        $FederationServiceName -eq $serviceName -and $CertificateThumbprint -eq $thumbprint -and -not $OverwriteConfiguration -and -not $SQLConnectionString -and
        (Test-FarmAccounts -Facts $facts -Call $PesterBoundParameters)
      }
      $run.Text | Should -Not -Match 'did not finish'
    }

    It 'reads the passwords from Key Vault with the AD FS servers'' identity, each once' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script) | Out-Null
      $reads = @(Get-AzureStubRequest | Where-Object { $_.Service -eq 'keyvault' })
      $expected = @($facts.farm.adminPasswordSecret, $facts.farm.serviceAccountPasswordSecret | Where-Object { $_ } | ForEach-Object { 'https://{0}.vault.azure.net/secrets/{1}' -f $_.vaultName, $_.secretName })
      @($reads | ForEach-Object { $_.Uri.Split('?')[0] } | Sort-Object) | Should -Be @($expected | Sort-Object)
      @($reads | Where-Object { $_.ClientId -ne (Get-TierIdentity adfs) -or $_.Status -ne 200 }) | Should -BeNullOrEmpty
    }

    It 'creates nothing while its identity may not read the admin password, and names the secret' {
      Reset-AzureStub
      Add-AzureStubIdentity -ClientId (Get-TierIdentity adfs)
      Set-AzureStubSecret -VaultName $facts.farm.adminPasswordSecret.vaultName -Name $facts.farm.adminPasswordSecret.secretName -Value 'Adm1n-Passw0rd'
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*secret {0}*status 403*Key Vault Secrets User*' -f $facts.farm.adminPasswordSecret.secretName)
      Should -Invoke Install-AdfsFarm -Exactly -Times 0
      $global:AdfsServer.Status | Should -Be 1
    }

    It 'looks for the other servers of the tier in AD by the tier''s computer names, and asks each for its probe' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script) | Out-Null
      $prefix = $facts.computers.adfs[0] -replace '\d+$', ''
      $global:AdfsServer.Filter | Should -Be ('(&(objectCategory=computer)(name={0}*))' -f $prefix)
      foreach ($peer in $peers) { Should -Invoke Invoke-WebRequest -Exactly -Times 1 -ParameterFilter { $Uri -eq ('http://{0}/adfs/probe' -f $peer) } }
    }

    It 'renews the computer''s Kerberos tickets before it uses a gMSA' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script) | Out-Null
      $times = if ($facts.farm.gmsa) { 1 } else { 0 }
      Should -Invoke klist.exe -Exactly -Times $times -ParameterFilter { ($Arguments -join ' ') -eq '-li 0x3e7 purge' }
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script) | Out-Null
      $second = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'already configured'
      Should -Invoke Install-AdfsFarm -Exactly -Times 1
    }

    It 'schedules the restart the farm configuration takes (AD FS FAQ: HTTP.sys moves to HTTP/1.1), once' {
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      $global:AdfsServer.RestartScheduled | Should -BeTrue
      # A re-run before the restart asks for no second one.
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      Restart-ModeledServer
      # And after it, nothing is asked again.
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      $global:AdfsServer.RestartScheduled | Should -BeFalse
      $global:AdfsServer.Restarts | Should -Be 1
    }
  }

  Context 'when the computer''s Kerberos tickets cannot be purged (klist fails)' {
    It 'stops before the farm is created, and the next run creates it (a classic service account needs no klist)' {
      Initialize-AdfsServer -Script $Script -Status 1 -Peers $peers
      Mock klist.exe { $global:LASTEXITCODE = 1; 'klist: access denied' }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be $(if ($facts.farm.gmsa) { 1 } else { 0 })
      Should -Invoke Install-AdfsFarm -Exactly -Times $(if ($facts.farm.gmsa) { 0 } else { 1 })
      Mock klist.exe { $global:LASTEXITCODE = 0; 'Ticket(s) purged!' }
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      $global:AdfsServer.Status | Should -Be 2
    }
  }


  Context 'when AD FS was never configured and the key holds 0' {
    BeforeEach { Initialize-AdfsServer -Script $Script -Status 0 -Peers $peers }

    It 'creates the farm without overwriting anything' {
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      Should -Invoke Install-AdfsFarm -Exactly -Times 1 -ParameterFilter { -not $OverwriteConfiguration }
    }
  }

  Context 'on a server already configured' {
    BeforeEach { Initialize-AdfsServer -Script $Script -Status 2 -Peers $peers }

    It 'exits 0 and changes nothing' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'already configured'
      Should -Invoke Install-AdfsFarm -Exactly -Times 0
      Should -Invoke Get-ChildItem -Exactly -Times 0 -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
    }

    It 'exits 0 while the AD FS service is stopped (Get-AdfsSyncProperties fails)' {
      Mock Get-AdfsSyncProperties { Write-Error 'The AD FS service is not running (adfssrv).' }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 0
      Should -Invoke Install-AdfsFarm -Exactly -Times 0
    }
  }

  Context 'half done by an earlier run that stopped during Install-AdfsFarm' {
    BeforeEach { Initialize-AdfsServer -Script $Script -Status 1 -Peers $peers }

    It 'overwrites what the earlier run left, and says so' {
      Mock Install-AdfsFarm { throw 'ID4022: the Windows Internal Database could not be reached' }
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 1
      Mock Install-AdfsFarm { $global:AdfsServer.Status = 2; [pscustomobject]@{ Status = 'Success'; Message = ''; Context = 'DeploymentSucceeded' } }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'did not finish'
      Should -Invoke Install-AdfsFarm -Exactly -Times 1 -ParameterFilter { $OverwriteConfiguration }
    }
  }

  Context 'when a step fails' {
    BeforeEach { Initialize-AdfsServer -Script $Script -Status 1 -Peers $peers }

    It 'exits 1 naming the step when Install-AdfsFarm throws' {
      Mock Install-AdfsFarm { throw 'MSIS7601: the certificate does not match the federation service name' }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('adfs-farm failed at "create the farm {0}": MSIS7601*' -f $serviceName)
    }

    It 'exits 1 naming the member when Install-AdfsFarm returns no Status (its page documents no output)' {
      Mock Install-AdfsFarm { [pscustomobject]@{ Message = 'done' } }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*Install-AdfsFarm returned no Status member*'
    }

    It 'exits 1 naming the step when Install-AdfsFarm returns Status Error' {
      Mock Install-AdfsFarm { [pscustomobject]@{ Status = 'Error'; Message = 'The service account could not be configured.'; Context = 'DeploymentTask' } }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('adfs-farm failed at "create the farm {0}": *The service account could not be configured.*' -f $serviceName)
    }

    It 'exits 1 naming the step when no certificate for the name is installed' {
      $global:AdfsServer.Certificates = @(New-StoreCertificate -DnsName 'other.example.com')
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('adfs-farm failed at "find the certificate of {0}*": no valid certificate for {0}*' -f $serviceName)
      Should -Invoke Install-AdfsFarm -Exactly -Times 0
    }
  }

  Context 'when another server of the tier already runs AD FS' {
    It 'refuses to create a second farm, names that server and changes nothing' {
      Initialize-AdfsServer -Script $Script -Status 1 -Peers $peers -Answering @($peers[0])
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*{0} already runs AD FS: join this server to that farm*' -f $peers[0])
      Should -Invoke Install-AdfsFarm -Exactly -Times 0
    }

    It 'does not mistake itself for a peer' {
      $self = '{0}.{1}' -f $facts.computers.adfs[0], $facts.domain
      Initialize-AdfsServer -Script $Script -Status 1 -Peers @($self) -Answering @($self)
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      Should -Invoke Install-AdfsFarm -Exactly -Times 1
    }
  }

  Context 'with passwords that mean something to a command line, to PowerShell or to an encoding' {
    It 'builds each credential with exactly the password Key Vault holds' {
      foreach ($password in $HostilePasswords) {
        Initialize-AdfsServer -Script $Script -Status 1 -Peers @()
        Set-FarmPasswords -Facts $facts -AdminPassword $password -ServicePassword "svc-$password"
        $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
        $run.ExitCode | Should -Be 0 -Because $password
        $global:AdfsServer.Status | Should -Be 2 -Because $password
      }
      Should -Invoke Install-AdfsFarm -Exactly -Times $HostilePasswords.Count
      foreach ($password in $HostilePasswords) {
        Should -Invoke Install-AdfsFarm -Exactly -Times 1 -ParameterFilter { Test-FarmAccounts -Facts $facts -Call $PesterBoundParameters -AdminPassword $password -ServicePassword "svc-$password" }
      }
    }
  }
}

Describe 'adfs-farm on the other servers: <Name>' -ForEach $join {
  BeforeAll {
    $facts = $Script.Facts
    $primary = ('{0}.{1}' -f $facts.computers.adfs[0], $facts.domain).ToLowerInvariant()
  }

  Context 'on a fresh server while the primary answers' {
    BeforeEach { Initialize-AdfsServer -Script $Script -Status 1 -Answering @($primary) }

    It 'joins the farm of the primary once, over HTTP 80, with the same accounts' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $thumbprint = $global:AdfsServer.Certificates[0].Thumbprint
      Should -Invoke Add-AdfsFarmNode -Exactly -Times 1 -ParameterFilter {
        $PrimaryComputerName -eq $primary -and $PrimaryComputerPort -eq 80 -and $CertificateThumbprint -eq $thumbprint -and -not $OverwriteConfiguration -and
        (Test-FarmAccounts -Facts $facts -Call $PesterBoundParameters)
      }
      Should -Invoke Start-Sleep -Exactly -Times 0
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script) | Out-Null
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      Should -Invoke Add-AdfsFarmNode -Exactly -Times 1
    }

    It 'schedules the restart the farm configuration takes, once' {
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      $global:AdfsServer.RestartScheduled | Should -BeTrue
      Restart-ModeledServer
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      $global:AdfsServer.RestartScheduled | Should -BeFalse
    }
  }


  Context 'while the primary does not answer yet' {
    It 'waits, then joins once the primary answers' {
      Initialize-AdfsServer -Script $Script -Status 1
      $global:AdfsServer.Probes = 0
      Mock Invoke-WebRequest { $global:AdfsServer.Probes++; if ($global:AdfsServer.Probes -ge 3) { return [pscustomobject]@{ StatusCode = 200 } } throw 'Unable to connect' }
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      Should -Invoke Start-Sleep -Exactly -Times 2
      Should -Invoke Add-AdfsFarmNode -Exactly -Times 1
    }
  }

  Context 'on a server already configured' {
    It 'exits 0 and changes nothing, even while the AD FS service is stopped' {
      Initialize-AdfsServer -Script $Script -Status 2 -Answering @($primary)
      Mock Get-AdfsSyncProperties { throw 'The AD FS service is not running.' }
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      Should -Invoke Add-AdfsFarmNode -Exactly -Times 0
    }
  }

  Context 'half done by an earlier run' {
    It 'overwrites what the earlier run left' {
      Initialize-AdfsServer -Script $Script -Status 1 -Answering @($primary)
      Mock Add-AdfsFarmNode { throw 'the primary closed the connection' }
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 1
      Mock Add-AdfsFarmNode { $global:AdfsServer.Status = 2; [pscustomobject]@{ Status = 'Success'; Message = ''; Context = 'DeploymentSucceeded' } }
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)).ExitCode | Should -Be 0
      Should -Invoke Add-AdfsFarmNode -Exactly -Times 1 -ParameterFilter { $OverwriteConfiguration }
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step when Add-AdfsFarmNode returns Status Error' {
      Initialize-AdfsServer -Script $Script -Status 1 -Answering @($primary)
      Mock Add-AdfsFarmNode { [pscustomobject]@{ Status = 'Error'; Message = 'The primary could not be contacted.'; Context = 'DeploymentTask' } }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-FarmParameters -Script $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('adfs-farm failed at "join the farm of {0}": *The primary could not be contacted.*' -f $primary)
    }
  }
}

Describe 'a failed farm script is repaired by the next one: <Name>' -ForEach (@($createOne) + @($joinOne)) {
  It 'whatever single call fails, the next run leaves the server configured and its restart asked for, as a clean run does' {
    $primary = ('{0}.{1}' -f $Script.Facts.computers.adfs[0], $Script.Facts.domain).ToLowerInvariant()
    $peers = @($Script.Facts.computers.adfs | Select-Object -Skip 1 | ForEach-Object { '{0}.{1}' -f $_, $Script.Facts.domain })
    $initialize = if ($Script.Kind -eq 'adfs-farm-create') { { Initialize-AdfsServer -Script $Script -Status 1 -Peers $peers } } else { { Initialize-AdfsServer -Script $Script -Status 1 -Answering @($primary) } }
    $unrepaired = Test-RepairedByNextRun -Script $Script -Parameters (Get-FarmParameters -Script $Script) -Initialize $initialize -State { Get-AdfsFarmState }
    $unrepaired | Should -Be @()
  }
}

AfterAll {
  Remove-Variable -Name AdfsServer -Scope Global -ErrorAction SilentlyContinue
}

Describe 'adfs-restart after a farm script: <Name>' -ForEach $restart {
  BeforeAll {
    $facts = $Script.Facts
    $create = @(Get-GeneratedScript -Kind 'adfs-farm-create' | Where-Object { $_.Facts.env -eq $facts.env })[0]
    $restartMarker = { Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha/adfs-farm.restart-pending' }
  }

  Context 'after the farm script configured AD FS and the server restarted' {
    It 'waits until AD FS answers on this server, then clears the pending restart' {
      Initialize-AdfsServer -Script $create -Status 1
      (Invoke-GeneratedScript -Script $create -Parameters (Get-FarmParameters -Script $create)).ExitCode | Should -Be 0
      Restart-ModeledServer
      $global:AdfsServer.Probes = 0
      Mock Invoke-WebRequest { $global:AdfsServer.Probes++; if ($global:AdfsServer.Probes -ge 2) { return [pscustomobject]@{ StatusCode = 200 } } throw 'Unable to connect' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      Should -Invoke Invoke-WebRequest -Exactly -Times 2 -ParameterFilter { $Uri -eq 'http://localhost/adfs/probe' }
      Test-Path -LiteralPath (& $restartMarker) | Should -BeFalse
      # A second run finds nothing to wait for.
      (Invoke-GeneratedScript -Script $Script).Text | Should -Match 'no restart pending'
    }
  }

  Context 'when the restart did not happen' {
    It 'exits 1, schedules the restart again, and the next run after it succeeds' {
      Initialize-AdfsServer -Script $create -Status 1
      (Invoke-GeneratedScript -Script $create -Parameters (Get-FarmParameters -Script $create)).ExitCode | Should -Be 0
      # Someone cancelled the scheduled restart (shutdown /a).
      $global:AdfsServer.RestartScheduled = $false
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*has not restarted since AD FS was configured*'
      Restart-ModeledServer
      Mock Invoke-WebRequest { [pscustomobject]@{ StatusCode = 200 } }
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $global:AdfsServer.Restarts | Should -Be 1
    }
  }


  Context 'a failed run is repaired by the next one' {
    It 'whatever single call fails, the next run clears the pending restart once AD FS answers, as a clean run does' {
      $init = {
        Initialize-AdfsServer -Script $create -Status 1
        $global:Injection = @{ Calls = 0; FailAt = 0; Names = @() }
        (Invoke-GeneratedScript -Script $create -Parameters (Get-FarmParameters -Script $create)).ExitCode | Should -Be 0
        Restart-ModeledServer
        $global:AdfsServer.Answering = @('localhost')
      }
      $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize $init -State { Get-AdfsFarmState }
      $unrepaired | Should -Be @()
    }
  }

  Context 'on a farm configured before (an upgrade), or a re-run' {
    It 'restarts nothing' {
      Initialize-AdfsServer -Script $create -Status 2
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'no restart pending'
      Should -Invoke shutdown.exe -Exactly -Times 0
      $global:AdfsServer.Restarts | Should -Be 0
    }
  }
}
