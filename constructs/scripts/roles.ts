import { psArray, psQuote } from './powershell';

/*
 * The statements of the role installation each server runs once (CustomScriptExtension), after the domain
 * join. Values are quoted by `psQuote`, like in every generated script.
 */

/** Installs Windows features; a feature already installed is left as it is. */
export function installFeatures(features: readonly string[], options: { readonly managementTools?: boolean } = {}): string {
  return `Install-WindowsFeature -Name ${psArray(features)}${options.managementTools ? ' -IncludeManagementTools' : ''}`;
}

/** Sets a DWORD registry value, creating the key only when it is missing (never recreating one that holds settings). */
export function setDword(key: string, name: string, value: number): string[] {
  return [
    `if (-not (Test-Path -Path ${psQuote(key)})) { New-Item -Path ${psQuote(key)} -Force | Out-Null }`,
    `New-ItemProperty -Path ${psQuote(key)} -Name ${psQuote(name)} -PropertyType DWord -Value ${Math.trunc(value)} -Force | Out-Null`,
  ];
}
