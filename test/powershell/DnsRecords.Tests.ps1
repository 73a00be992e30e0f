<#
  The DNS script of `npm run dns` (run on a domain controller): the internal A records of the three service
  names in AD DNS. The DnsServer cmdlets are stubs; the zone's records are mocked as the DNS server holds them.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $scripts = Get-ScriptCase -Kind 'dns-records'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $global:Dns = @{}
  Mock Get-DnsServerZone { $null = Enter-Command 'Get-DnsServerZone'; if ($global:Dns.Zones -contains $Name) { [pscustomobject]@{ ZoneName = $Name } } else { Write-Error "zone $Name not found" } }
  Mock Add-DnsServerPrimaryZone { $null = Enter-Command 'Add-DnsServerPrimaryZone'; $global:Dns.Zones += $Name }
  Mock Get-DnsServerResourceRecord {
    $null = Enter-Command 'Get-DnsServerResourceRecord'
    $address = $global:Dns.Records["$Name.$ZoneName"]
    if ($null -eq $address) { Write-Error "$Name not found in $ZoneName"; return }
    [pscustomobject]@{ HostName = $Name; RecordType = 'A'; RecordData = [pscustomobject]@{ IPv4Address = [ipaddress]$address } }
  }
  Mock Add-DnsServerResourceRecordA { $null = Enter-Command 'Add-DnsServerResourceRecordA'; $global:Dns.Records["$Name.$ZoneName"] = [string]$IPv4Address[0] }
  Mock Write-Warning { }
}

AfterAll {
  Remove-Variable -Name Dns -Scope Global -ErrorAction SilentlyContinue
}

Describe 'dns-records: <Name>' -ForEach $scripts {
  BeforeAll {
    $facts = $Script.Facts
    $names = @($facts.names.mfaApp, $facts.names.portal, $facts.names.federationService)
  }
  BeforeEach { $global:Dns = @{ Zones = @($facts.domain); Records = @{} } }

  It 'whatever single call fails, the next run leaves the zone''s records as a clean run does' {
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize { $global:Dns = @{ Zones = @($facts.domain); Records = @{} } } -State { [ordered]@{ Zones = @($global:Dns.Zones | Sort-Object); Records = @($global:Dns.Records.Keys | Sort-Object | ForEach-Object { '{0} {1}' -f $_, $global:Dns.Records[$_] }) } }
    $unrepaired | Should -Be @()
  }

  It 'adds the A record of each service name once, in AD DNS' {
    $run = Invoke-GeneratedScript -Script $Script
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    Should -Invoke Add-DnsServerResourceRecordA -Exactly -Times $names.Count
    foreach ($fqdn in $names) {
      $global:Dns.Records.Keys | Where-Object { $_ -eq $fqdn -or $_ -eq "@.$fqdn" } | Should -HaveCount 1 -Because $fqdn
    }
  }

  It 'changes nothing on a second run' {
    Invoke-GeneratedScript -Script $Script | Out-Null
    $second = Invoke-GeneratedScript -Script $Script
    $second.ExitCode | Should -Be 0
    Should -Invoke Add-DnsServerResourceRecordA -Exactly -Times $names.Count
    ($second.Output -match 'already there').Count | Should -Be $names.Count
  }

  It 'warns, and changes nothing, where a name points elsewhere' {
    Invoke-GeneratedScript -Script $Script | Out-Null
    foreach ($key in @($global:Dns.Records.Keys)) { $global:Dns.Records[$key] = '192.0.2.1' }
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    Should -Invoke Add-DnsServerResourceRecordA -Exactly -Times $names.Count
    Should -Invoke Write-Warning -Exactly -Times $names.Count -ParameterFilter { $Message -like '*already has an A record with another address*' }
  }

  It 'exits 1 naming the step when a record cannot be added' {
    Mock Add-DnsServerResourceRecordA { throw 'Failed to create resource record: access denied' }
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike ('dns-records failed at "{0} -> *": Failed to create resource record*' -f $names[0])
  }
}
