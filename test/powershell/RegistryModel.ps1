<#
  HKLM as data, for the scripts that read and write registry values: $global:Registry maps each key (case-insensitive,
  as the registry is) to its values. The mocks of the provider cmdlets on HKLM: paths change it as the registry
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

<# Mocks the provider cmdlets on HKLM: with the model. Call it from a BeforeAll. #>
function Use-RegistryModel {
  $onRegistry = { $Path -like 'HKLM:*' }
  Mock Test-Path { $null = Enter-Command 'Test-Path HKLM:'; $global:Registry.ContainsKey((Get-RegistryKey $Path)) } -ParameterFilter $onRegistry
  Mock New-Item {
    $null = Enter-Command 'New-Item HKLM:'
    $key = Get-RegistryKey $Path
    $parent = $key.Substring(0, $key.LastIndexOf('\'))
    if (-not $Force -and $parent -ne 'HKLM:' -and -not $global:Registry.ContainsKey($parent)) { throw "the parent of $key does not exist" }
    while ($key -ne 'HKLM:') {
      if (-not $global:Registry.ContainsKey($key)) { $global:Registry[$key] = @{} }
      $key = $key.Substring(0, $key.LastIndexOf('\'))
    }
  } -ParameterFilter $onRegistry
  Mock Get-ItemProperty {
    $null = Enter-Command 'Get-ItemProperty HKLM:'
    $values = $global:Registry[(Get-RegistryKey $Path)]
    $quiet = $PesterBoundParameters['ErrorAction'] -eq 'SilentlyContinue'
    if ($null -eq $values) { if ($quiet) { return $null } throw "Cannot find path '$Path' because it does not exist." }
    $names = @(if ($Name) { $Name } else { $values.Keys })
    $missing = @($names | Where-Object { -not $values.ContainsKey($_) })
    if ($missing.Count -gt 0) { if ($quiet) { return $null } throw "Property $($missing[0]) does not exist at path $Path." }
    if ($names.Count -eq 0) { return $null }
    $item = [ordered]@{}
    foreach ($n in $names) { $item[$n] = $values[$n] }
    [pscustomobject]$item
  } -ParameterFilter $onRegistry
  Mock New-ItemProperty {
    $null = Enter-Command 'New-ItemProperty HKLM:'
    $values = $global:Registry[(Get-RegistryKey $Path)]
    if ($null -eq $values) { throw "Cannot find path '$Path' because it does not exist." }
    $values[$Name] = if ($PropertyType -eq 'DWord') { [int]$Value } else { [string]$Value }
  } -ParameterFilter $onRegistry
  Mock Remove-ItemProperty {
    $null = Enter-Command 'Remove-ItemProperty HKLM:'
    $values = $global:Registry[(Get-RegistryKey $Path)]
    $value = ([string[]]$Name)[0]
    if ($null -eq $values -or -not $values.ContainsKey($value)) { throw "Property $value does not exist at path $Path." }
    $values.Remove($value)
  } -ParameterFilter $onRegistry
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
