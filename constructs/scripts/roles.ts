import { psArray, psQuote } from './powershell';

/*
 * The statements of the role installation each server runs once (CustomScriptExtension), after the domain
 * join. Values are quoted by `psQuote`, like in every generated script.
 */

/**
 * Installs Windows features; a feature already installed is left as it is. Install-WindowsFeature reports a
 * failed installation in its result's Success (https://learn.microsoft.com/powershell/module/servermanager/install-windowsfeature),
 * which fails the statement like an error.
 */
export function installFeatures(features: readonly string[], options: { readonly managementTools?: boolean } = {}): string {
  const install = `Install-WindowsFeature -Name ${psArray(features)}${options.managementTools ? ' -IncludeManagementTools' : ''}`;
  return `$features = ${install}; if (-not $features.Success) { throw ('Install-WindowsFeature did not succeed (exit code {0})' -f $features.ExitCode) }`;
}

/**
 * The IIS features of the servers that host the MFA web components. `Web-Scripting-Tools` (IIS Management
 * Scripts and Tools) holds the WebAdministration module the HTTPS binding imports (bind-https).
 */
export const IIS_FEATURES = ['Web-Server', 'Web-Asp-Net45', 'Web-Basic-Auth', 'Web-Mgmt-Console', 'Web-Scripting-Tools'] as const;

/** Sets a DWORD registry value, creating the key only when it is missing (never recreating one that holds settings). */
export function setDword(key: string, name: string, value: number): string[] {
  return [
    `if (-not (Test-Path -Path ${psQuote(key)})) { New-Item -Path ${psQuote(key)} -Force | Out-Null }`,
    `New-ItemProperty -Path ${psQuote(key)} -Name ${psQuote(name)} -PropertyType DWord -Value ${Math.trunc(value)} -Force | Out-Null`,
  ];
}
