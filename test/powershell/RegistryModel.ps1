<#
  HKLM as data, for the scripts that read and write registry values: $global:Registry maps each key (case-insensitive,
  as the registry is) to its values. The stand-ins of the provider cmdlets on HKLM: paths (Use-RegistryModel) change it as the registry
  provider does (each counted by Enter-Command, Harness.ps1, so that a failure can be injected): New-Item creates a key (and with -Force its parents), New-ItemProperty needs the key and sets a value,
  Get-ItemProperty returns a key's values (or one) and fails on a missing one unless told to continue silently,
  Remove-ItemProperty removes a value. Tests compare $global:Registry before and after a run.
#>

<# An empty registry, or one with the given keys and values: @{ 'HKLM:\…' = @{ Name = value } }. #>
function Initialize-Registry([hashtable] $Keys = @{}) {
  $global:Registry = @{}
  foreach ($key in $Keys.Keys) {
    $values = @{}
    foreach ($name in $Keys[$key].Keys) { $values[$name] = $Keys[$key][$name] }
    $global:Registry[$key.TrimEnd('\')] = $values
  }
}

<# A value, or $null when the key or the value is missing. #>
function Get-RegistryValue([string] $Key, [string] $Name) {
  $values = $global:Registry[$Key.TrimEnd('\')]
  if ($null -eq $values -or -not $values.ContainsKey($Name)) { return $null }
  $values[$Name]
}

<# The key a provider cmdlet's -Path names (its parameter is a string array). #>
function Get-RegistryKey($Path) { ([string[]]$Path)[0].TrimEnd('\') }

<#
  The model's side of each provider cmdlet, for a path on HKLM: (the bound parameters are its variables; $Bound is
  $PSBoundParameters).
#>
$script:RegistryModelBodies = [ordered]@{
  'Test-Path'           = { $null = Enter-Command 'Test-Path HKLM:'; $global:Registry.ContainsKey((Get-RegistryKey $Path)) }
  'New-Item'            = {
    $null = Enter-Command 'New-Item HKLM:'
    $key = Get-RegistryKey $Path
    $parent = $key.Substring(0, $key.LastIndexOf('\'))
    if (-not $Force -and $parent -ne 'HKLM:' -and -not $global:Registry.ContainsKey($parent)) { throw "the parent of $key does not exist" }
    while ($key -ne 'HKLM:') {
      if (-not $global:Registry.ContainsKey($key)) { $global:Registry[$key] = @{} }
      $key = $key.Substring(0, $key.LastIndexOf('\'))
    }
  }
  'Get-ItemProperty'    = {
    $null = Enter-Command 'Get-ItemProperty HKLM:'
    $values = $global:Registry[(Get-RegistryKey $Path)]
    $quiet = $Bound['ErrorAction'] -eq 'SilentlyContinue'
    if ($null -eq $values) { if ($quiet) { return $null } throw "Cannot find path '$Path' because it does not exist." }
    $names = @(if ($Name) { $Name } else { $values.Keys })
    $missing = @($names | Where-Object { -not $values.ContainsKey($_) })
    if ($missing.Count -gt 0) { if ($quiet) { return $null } throw "Property $($missing[0]) does not exist at path $Path." }
    if ($names.Count -eq 0) { return $null }
    $item = [ordered]@{}
    foreach ($n in $names) { $item[$n] = $values[$n] }
    [pscustomobject]$item
  }
  'New-ItemProperty'    = {
    $null = Enter-Command 'New-ItemProperty HKLM:'
    $values = $global:Registry[(Get-RegistryKey $Path)]
    if ($null -eq $values) { throw "Cannot find path '$Path' because it does not exist." }
    $values[$Name] = if ($PropertyType -eq 'DWord') { [int]$Value } else { [string]$Value }
  }
  'Remove-ItemProperty' = {
    $null = Enter-Command 'Remove-ItemProperty HKLM:'
    $values = $global:Registry[(Get-RegistryKey $Path)]
    $value = ([string[]]$Name)[0]
    if ($null -eq $values -or -not $values.ContainsKey($value)) { throw "Property $value does not exist at path $Path." }
    $values.Remove($value)
  }
}

<#
  Puts the model in front of the provider cmdlets on HKLM:. Dot-source it from a BeforeAll (`. Use-RegistryModel`): it
  defines, in that scope, a function for each cmdlet with the cmdlet's own parameters (Get-CommandShadow, Harness.ps1),
  so that a call binds as it would on Windows; a path on HKLM: goes to the model, any other to the real cmdlet.
  Functions, not Pester mocks: the hardening's repair property makes about 15,000 registry calls, and a mock with a
  parameter filter costs about 1 ms a call in Pester's dispatch (its filter, its call history), a function a few
  microseconds. The tests assert the registry's state, never these calls' history; a test can still Mock one of
  them (WindowsLaps), Pester then mocks this function.
  The model runs with $ErrorActionPreference Continue: a call's -ErrorAction SilentlyContinue would otherwise swallow
  its throw (an injected failure), which a mock body, running in the test's scope, never did.
#>
function Use-RegistryModel {
  . ([scriptblock]::Create((@(foreach ($name in $script:RegistryModelBodies.Keys) {
          $onRegistry = "`$ErrorActionPreference = 'Continue'; `$Bound = `$PSBoundParameters`n" + $script:RegistryModelBodies[$name].ToString()
          $elsewhere = "& (Get-Command -Name '$name' -CommandType Cmdlet) @PSBoundParameters"
          Get-CommandShadow -Name $name -Body "if (`$Path -like 'HKLM:*') {$onRegistry`n} else { $elsewhere }"
        }) -join "`n")))
}

<# A deep copy of the registry model, to compare with after a run. #>
function Copy-Registry {
  $copy = @{}
  foreach ($key in $global:Registry.Keys) { $copy[$key] = $global:Registry[$key].Clone() }
  $copy
}

<# The registry as one line per value, sorted: a readable, comparable form. #>
function Format-Registry([hashtable] $Registry = $global:Registry) {
  @($Registry.Keys | ForEach-Object { $key = $_; $Registry[$key].Keys | ForEach-Object { '{0}\{1}={2}' -f $key, $_, $Registry[$key][$_] } } | Sort-Object)
}
