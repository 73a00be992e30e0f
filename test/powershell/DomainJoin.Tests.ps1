<#
  The domain join by Run Command (constructs/scripts/domain-join.ts, domain.join "run-command"): `domain-join` reads
  the join account's password from Key Vault with its tier's identity and joins with Add-Computer, then
  `domain-join-restart` checks, after the restart, the membership, the secure channel and the OU.
  The server and its domain are data the mocks change as Windows and AD would: the computer's membership as
  Win32_ComputerSystem reports it (Add-Computer sets it at once; the join takes effect at the restart it owes), its
  account in the domain (its DN, which DirectorySearcher finds once the server runs as a member), when it last
  started (Win32_OperatingSystem's LastBootUpTime) and the restart shutdown.exe scheduled, which Restart-JoinedServer
  carries out. The Azure stub plays IMDS and Key Vault.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $join = Get-ScriptCase -Kind 'domain-join'
  $restart = Get-ScriptCase -Kind 'domain-join-restart'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $global:JoinServer = @{}
  $global:Directory = @{}

  Mock Get-CimInstance { $null = Enter-Command 'Get-CimInstance Win32_ComputerSystem'; [pscustomobject]@{ Name = $env:COMPUTERNAME; Domain = $global:JoinServer.Domain; PartOfDomain = $global:JoinServer.PartOfDomain } } -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' }
  Mock Get-CimInstance { $null = Enter-Command 'Get-CimInstance Win32_OperatingSystem'; [pscustomobject]@{ LastBootUpTime = $global:JoinServer.Boot } } -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' }
  Mock Start-Sleep { }
  Mock Invoke-RestMethod { $null = Enter-Command 'Invoke-RestMethod'; Invoke-AzureStubRestMethod -Method $Method -Uri $Uri -Headers $Headers }
  Mock shutdown.exe {
    if (Enter-Command 'shutdown.exe' -Native) { return 'Access is denied.(5)' }
    if ($global:JoinServer.RestartScheduled) { $global:LASTEXITCODE = 1190; return 'A system shutdown has already been scheduled.(1190)' }
    $global:JoinServer.RestartScheduled = ($Arguments -contains '/r')
    $global:LASTEXITCODE = 0
  }
  # Add-Computer as NetJoinDomain answers: the domain must answer, the account's password must be right, the OU must
  # exist; then the computer account is created in the OU and Windows reports the new membership, which takes effect
  # at the next restart. Without -Force it asks to confirm, which no Run Command answers; -Restart would restart the
  # server under the Run Command before it reports.
  Mock Add-Computer {
    $null = Enter-Command 'Add-Computer'
    $server = $global:JoinServer
    $directory = $global:Directory
    if (-not $Force) { throw 'Add-Computer asked to confirm the join: a Run Command cannot answer' }
    if ($Restart) { throw 'the server restarted under the Run Command, which never reported' }
    if ($server.PartOfDomain) { throw ("Cannot add computer '{0}' to domain '{1}' because it is already in that domain." -f $env:COMPUTERNAME, $DomainName) }
    $fail = { param($Why) throw ("Computer '{0}' failed to join domain '{1}' from its current workgroup '{2}' with following error message: {3}" -f $env:COMPUTERNAME, $DomainName, $server.Domain, $Why) }
    if ($DomainName -ne $directory.Name) { & $fail 'The specified domain either does not exist or could not be contacted.' }
    if ($Credential.UserName -ne $directory.JoinUser -or $Credential.GetNetworkCredential().Password -cne $directory.JoinPassword) { & $fail 'The user name or password is incorrect.' }
    $ou = if ($OUPath) { $OUPath } else { $directory.DefaultContainer }
    if ($ou -notin $directory.Ous) { & $fail 'There is no such object on the server.' }
    $directory.Accounts[$env:COMPUTERNAME] = 'CN={0},{1}' -f $env:COMPUTERNAME, $ou
    $server.Domain = $DomainName
    $server.PartOfDomain = $true
    $server.RestartOwed = $true
  }
  # Netlogon's secure channel: up once the server started as a member of the domain its account is in.
  Mock Test-ComputerSecureChannel { $null = Enter-Command 'Test-ComputerSecureChannel'; $global:JoinServer.PartOfDomain -and -not $global:JoinServer.RestartOwed -and $global:Directory.Accounts.ContainsKey($env:COMPUTERNAME) -and $global:JoinServer.ChannelWorks }
  Mock New-Object {
    $null = Enter-Command 'New-Object DirectorySearcher'
    $global:Directory.Filter = $ArgumentList[0]
    $searcher = [pscustomobject]@{}
    $searcher | Add-Member -MemberType ScriptMethod -Name FindOne -Value {
      if (-not $global:JoinServer.PartOfDomain -or $global:JoinServer.RestartOwed) { throw 'The specified domain either does not exist or could not be contacted.' }
      $dn = $global:Directory.Accounts[$env:COMPUTERNAME]
      if ($null -eq $dn -or $global:Directory.Filter -ne ('(&(objectCategory=computer)(sAMAccountName={0}$))' -f $env:COMPUTERNAME)) { return $null }
      [pscustomobject]@{ Properties = @{ distinguishedname = @($dn) } }
    }
    $searcher
  } -ParameterFilter { $TypeName -eq 'System.DirectoryServices.DirectorySearcher' }

  <# The restart shutdown.exe scheduled happens: the server starts again, as a member of the domain it joined. #>
  function Restart-JoinedServer {
    $global:JoinServer.RestartScheduled | Should -BeTrue -Because 'only a scheduled restart restarts the server'
    $global:JoinServer.RestartScheduled = $false
    $global:JoinServer.RestartOwed = $false
    $global:JoinServer.Boot = (Get-Date).AddSeconds(1)
    $global:JoinServer.Restarts++
  }

  $script:restartMarker = { Join-Path -Path $env:ProgramData -ChildPath 'mfa-ha/domain-join.restart-pending' }

  <#
    A server of the tier, fresh from its image (a workgroup member) unless -Domain says otherwise, and its domain: the
    join account and its password in Key Vault, readable by the tier's identity alone (role
    <tier>-reads-domain-join-password), and the OUs.
  #>
  function Initialize-JoinServer {
    param($Script, [string] $Domain, [string] $AccountOu, [string] $Password = 'J0in-Passw0rd', [switch] $Unreadable)
    $facts = $Script.Facts
    Initialize-WindowsServer -ComputerName ([string]$facts.computers.($Script.Tier)[0]).ToUpperInvariant() | Out-Null
    $dc = ($facts.domain.Split('.') | ForEach-Object { 'DC={0}' -f $_ }) -join ','
    $global:Directory = @{
      Name = $facts.domain; JoinUser = $facts.domainJoin.username; JoinPassword = $Password; Filter = $null
      DefaultContainer = 'CN=Computers,{0}' -f $dc
      Ous = @('CN=Computers,{0}' -f $dc; 'OU=Elsewhere,{0}' -f $dc; $(if ($facts.domainJoin.ouPath) { $facts.domainJoin.ouPath }))
      Accounts = @{}
    }
    $global:JoinServer = @{ Domain = 'WORKGROUP'; PartOfDomain = $false; RestartOwed = $false; Boot = (Get-Date).AddDays(-1); RestartScheduled = $false; Restarts = 0; ChannelWorks = $true }
    if ($Domain) {
      $global:JoinServer.Domain = $Domain
      $global:JoinServer.PartOfDomain = $true
      $ou = if ($AccountOu) { $AccountOu } elseif ($facts.domainJoin.ouPath) { $facts.domainJoin.ouPath } else { $global:Directory.DefaultContainer }
      if ($Domain -eq $facts.domain) { $global:Directory.Accounts[$env:COMPUTERNAME] = 'CN={0},{1}' -f $env:COMPUTERNAME, $ou }
    }
    Reset-AzureStub
    $identity = Get-TierIdentity $Script.Tier
    if ($Unreadable) {
      Add-AzureStubIdentity -ClientId $identity
      Set-AzureStubSecret -VaultName $facts.domainJoin.passwordSecret.vaultName -Name $facts.domainJoin.passwordSecret.secretName -Value $Password
    } else {
      Set-ReadableSecret -Secret $facts.domainJoin.passwordSecret -Value $Password -ClientId $identity
    }
  }

  <# What the join leaves: the membership, the computer account, the restart owed or scheduled, the pending-restart note. #>
  function Get-JoinState {
    [ordered]@{
      Domain = $global:JoinServer.Domain; PartOfDomain = $global:JoinServer.PartOfDomain; Account = $global:Directory.Accounts[$env:COMPUTERNAME]
      RestartOwed = $global:JoinServer.RestartOwed; RestartScheduled = $global:JoinServer.RestartScheduled; Restarts = $global:JoinServer.Restarts
      RestartPending = Test-Path -LiteralPath (& $script:restartMarker)
    }
  }

  function Get-JoinParameters { param($Script) @{ IdentityClientId = (Get-TierIdentity $Script.Tier) } }
}

Describe 'domain-join: <Name>' -ForEach $join {
  BeforeAll {
    $facts = $Script.Facts
    $accountIn = { param($Ou) 'CN={0},{1}' -f $env:COMPUTERNAME, $Ou }
  }

  Context 'on a fresh server (a workgroup member)' {
    BeforeEach { Initialize-JoinServer -Script $Script }

    It 'joins the domain in the OU with the join account and the password Key Vault holds, and schedules one restart' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $state = Get-JoinState
      $state.Domain | Should -Be $facts.domain
      $state.PartOfDomain | Should -BeTrue
      $state.Account | Should -Be (& $accountIn $(if ($facts.domainJoin.ouPath) { $facts.domainJoin.ouPath } else { $global:Directory.DefaultContainer }))
      $state.RestartScheduled | Should -BeTrue
      $state.RestartPending | Should -BeTrue
      Should -Invoke Add-Computer -Exactly -Times 1
      $run.Text | Should -Not -Match ([regex]::Escape('J0in-Passw0rd'))
    }

    It 'reads the password once, with its tier''s identity' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script) | Out-Null
      $reads = @(Get-AzureStubRequest | Where-Object { $_.Service -eq 'keyvault' })
      @($reads | ForEach-Object { $_.Uri.Split('?')[0] }) | Should -Be @('https://{0}.vault.azure.net/secrets/{1}' -f $facts.domainJoin.passwordSecret.vaultName, $facts.domainJoin.passwordSecret.secretName)
      @($reads | Where-Object { $_.ClientId -ne (Get-TierIdentity $Script.Tier) -or $_.Status -ne 200 }) | Should -BeNullOrEmpty
    }

    It 'joins with exactly the password Key Vault holds, and never writes it out, whatever it holds' {
      # The last of the harness's passwords holds every character the others try one by one (credentialFromVault, which
      # builds the credential, is run with each of them by the AD FS farm's scenarios).
      $password = $HostilePasswords[-1]
      Initialize-JoinServer -Script $Script -Password $password
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $run.ExitCode | Should -Be 0
      (Get-JoinState).PartOfDomain | Should -BeTrue
      $run.Text.Contains($password) | Should -BeFalse
    }

    It 'joins nothing again and asks for no second restart before the restart, and changes nothing after it' {
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)).ExitCode | Should -Be 0
      $again = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $again.ExitCode | Should -Be 0
      $again.Text | Should -Match 'it restarts in a minute'
      Restart-JoinedServer
      $after = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $after.ExitCode | Should -Be 0
      $after.Text | Should -Match 'already a member'
      Should -Invoke Add-Computer -Exactly -Times 1
      (Get-JoinState).RestartScheduled | Should -BeFalse
      (Get-JoinState).Restarts | Should -Be 1
    }

    It 'exits 1 naming the step when Add-Computer fails, and the next run joins' {
      Mock Add-Computer { throw "Computer 'X' failed to join domain 'contoso.com' from its current workgroup 'WORKGROUP' with following error message: The specified domain either does not exist or could not be contacted." }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('domain-join failed at "join {0}*": *could not be contacted.' -f $facts.domain)
      (Get-JoinState).PartOfDomain | Should -BeFalse
      (Get-JoinState).RestartScheduled | Should -BeFalse
    }
  }

  Context 'on a server already a member of the domain (joined earlier, or by JsonADDomainExtension)' {
    It 'changes nothing, reads no password and restarts nothing' {
      Initialize-JoinServer -Script $Script -Domain $facts.domain
      $before = Get-JoinState
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match ('already a member of {0}: nothing to change' -f [regex]::Escape($facts.domain))
      Get-JoinState | ConvertTo-Json | Should -Be ($before | ConvertTo-Json)
      Should -Invoke Add-Computer -Exactly -Times 0
      Should -Invoke shutdown.exe -Exactly -Times 0
      @(Get-AzureStubRequest) | Should -BeNullOrEmpty
    }

    It 'stops with a clear error when its computer account is in another OU than domain.ouPath, and changes nothing' {
      $facts.domainJoin.ouPath | Should -Not -BeNullOrEmpty -Because 'the longest configuration, which joins by Run Command, sets domain.ouPath'
      $dc = ($facts.domain.Split('.') | ForEach-Object { 'DC={0}' -f $_ }) -join ','
      Initialize-JoinServer -Script $Script -Domain $facts.domain -AccountOu ('OU=Elsewhere,{0}' -f $dc)
      $before = Get-JoinState
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*the computer account is CN={0},OU=Elsewhere,{1}, not in {2} (domain.ouPath)*' -f $env:COMPUTERNAME, $dc, $facts.domainJoin.ouPath)
      Get-JoinState | ConvertTo-Json | Should -Be ($before | ConvertTo-Json)
    }
  }

  Context 'on a server that is a member of another domain' {
    It 'stops with an error naming both domains, reads no password and changes nothing' {
      Initialize-JoinServer -Script $Script -Domain 'fabrikam.com'
      $before = Get-JoinState
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*this server is a member of fabrikam.com, not of {0}: the toolkit does not move a server between domains*' -f $facts.domain)
      Get-JoinState | ConvertTo-Json | Should -Be ($before | ConvertTo-Json)
      Should -Invoke Add-Computer -Exactly -Times 0
      @(Get-AzureStubRequest) | Should -BeNullOrEmpty
    }
  }

  Context 'when the tier''s identity may not read the join secret' {
    It 'stops before anything changes, naming the secret, the status and the role it needs' {
      Initialize-JoinServer -Script $Script -Unreadable
      $before = Get-JoinState
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-JoinParameters $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('domain-join failed at "read the password of *": *secret {0}*status 403*Key Vault Secrets User*' -f $facts.domainJoin.passwordSecret.secretName)
      Get-JoinState | ConvertTo-Json | Should -Be ($before | ConvertTo-Json)
      Should -Invoke Add-Computer -Exactly -Times 0
    }
  }
}

Describe 'a failed domain-join is repaired by the next run: <Name>' -ForEach $join {
  It 'whatever single call fails, the next run leaves the server joined, in its OU, its restart scheduled, as a clean run does' {
    $unrepaired = Test-RepairedByNextRun -Script $Script -Parameters (Get-JoinParameters $Script) -Initialize { Initialize-JoinServer -Script $Script } -State { Get-JoinState }
    $unrepaired | Should -Be @()
  }
}

Describe 'domain-join-restart after the join: <Name>' -ForEach $restart {
  BeforeAll {
    $facts = $Script.Facts
    $joinScript = @(Get-GeneratedScript -Kind 'domain-join' | Where-Object { $_.Facts.env -eq $facts.env -and $_.Tier -eq $Script.Tier })[0]
    <# A server the join script joined: its restart scheduled and not yet done. #>
    function Initialize-Joined {
      Initialize-JoinServer -Script $joinScript
      $global:Injection = @{ Calls = 0; FailAt = 0; Names = @() }
      (Invoke-GeneratedScript -Script $joinScript -Parameters (Get-JoinParameters $joinScript)).ExitCode | Should -Be 0
    }
  }

  It 'after the restart: checks the membership, the secure channel and the OU, then clears the pending restart' {
    Initialize-Joined
    Restart-JoinedServer
    $run = Invoke-GeneratedScript -Script $Script
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    Should -Invoke Test-ComputerSecureChannel -Exactly -Times 1
    (Get-JoinState).RestartPending | Should -BeFalse
    (Invoke-GeneratedScript -Script $Script).Text | Should -Match 'no restart pending'
  }

  It 'when the restart did not happen: exits 1, schedules it again, and the next run after it succeeds' {
    Initialize-Joined
    # Someone cancelled the scheduled restart (shutdown /a).
    $global:JoinServer.RestartScheduled = $false
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike '*has not restarted since it joined the domain*'
    Restart-JoinedServer
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    (Get-JoinState).Restarts | Should -Be 1
  }

  It 'when the secure channel does not come up: exits 1 saying so, and keeps the restart pending for the next run' {
    Initialize-Joined
    Restart-JoinedServer
    $global:JoinServer.ChannelWorks = $false
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike ('*the secure channel to {0} does not work (Test-ComputerSecureChannel)*' -f $facts.domain)
    (Get-JoinState).RestartPending | Should -BeTrue
    $global:JoinServer.ChannelWorks = $true
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
  }

  It 'on a server joined before (an upgrade from the extension), or a re-run: restarts nothing' {
    Initialize-JoinServer -Script $joinScript -Domain $facts.domain
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 0
    $run.Text | Should -Match 'no restart pending'
    Should -Invoke shutdown.exe -Exactly -Times 0
  }

  It 'whatever single call fails, the next run clears the pending restart as a clean run does' {
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize { Initialize-Joined; Restart-JoinedServer } -State { Get-JoinState }
    $unrepaired | Should -Be @()
  }
}

AfterAll {
  foreach ($name in 'JoinServer', 'Directory') { Remove-Variable -Name $name -Scope Global -ErrorAction SilentlyContinue }
}
