import { PsFunction, psQuote } from './powershell';

/*
 * Moving an HTTP.sys SSL binding to another certificate while keeping every other setting it has. `netsh http
 * update sslcert` writes a whole binding: a parameter left out takes its default (the netsh http page:
 * clientcertnegotiation "Default is disabled", usagecheck "Default is enabled", ...), so a fixed command line
 * would take client-certificate negotiation away from AD FS's certificate authentication endpoint. The renewal
 * reads each binding first (`netsh http show sslcert`), writes it back with every setting it read and only the
 * hash changed, and reads it again to check.
 */

/** The netsh http page: the parameters of `add sslcert` and `update sslcert`, and their defaults. */
export const NETSH_HTTP = {
  title: 'Netsh http commands (add sslcert: parameters and defaults)',
  url: 'https://learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-http',
} as const;

/** How a field's value is written back: as read, `enable`/`disable` for Enabled/Disabled, or left out when unset. */
type FieldKind = 'text' | 'switch' | 'number' | 'optional';

/**
 * THE fields of a binding the renewal carries over: the label `netsh http show sslcert` prints, and the
 * parameter of `netsh http update sslcert` that writes it (the netsh http page).
 */
export const CARRIED_FIELDS: readonly { readonly label: string; readonly parameter: string; readonly kind: FieldKind }[] = [
  { label: 'Application ID', parameter: 'appid', kind: 'text' },
  { label: 'Certificate Store Name', parameter: 'certstorename', kind: 'optional' },
  { label: 'Verify Client Certificate Revocation', parameter: 'verifyclientcertrevocation', kind: 'switch' },
  { label: 'Verify Revocation Using Cached Client Certificate Only', parameter: 'verifyrevocationwithcachedclientcertonly', kind: 'switch' },
  { label: 'Usage Check', parameter: 'usagecheck', kind: 'switch' },
  { label: 'Revocation Freshness Time', parameter: 'revocationfreshnesstime', kind: 'number' },
  { label: 'URL Retrieval Timeout', parameter: 'urlretrievaltimeout', kind: 'number' },
  { label: 'Ctl Identifier', parameter: 'sslctlidentifier', kind: 'optional' },
  { label: 'Ctl Store Name', parameter: 'sslctlstorename', kind: 'optional' },
  { label: 'DS Mapper Usage', parameter: 'dsmapperusage', kind: 'switch' },
  { label: 'Negotiate Client Certificate', parameter: 'clientcertnegotiation', kind: 'switch' },
];

/**
 * The fields netsh shows after those, which the netsh http page gives no parameter for: a write leaves each at
 * the value shown here. A binding where one holds another value (or where netsh shows a field in neither table)
 * is not written at all: the renewal stops with an error that names the field, rather than lose a setting.
 */
export const UNCARRIED_FIELDS: Readonly<Record<string, string>> = {
  'Reject Connections': 'Disabled',
  'Disable HTTP2': 'Not Set',
  'Disable QUIC': 'Not Set',
  'Disable TLS1.2': 'Not Set',
  'Disable TLS1.3': 'Not Set',
  'Disable OCSP Stapling': 'Not Set',
  'Enable Token Binding': 'Not Set',
  'Log Extended Events': 'Not Set',
  'Disable Legacy TLS Versions': 'Not Set',
  'Enable Session Ticket': 'Not Set',
};

/** The label of the key and of the hash, which the renewal reads but does not carry. */
const KEY = 'Hostname:port';
const HASH = 'Certificate Hash';

/**
 * `Read-SslBinding -HostnamePort <host:port>`: the binding's fields as netsh shows them, by label. Throws when
 * netsh fails, shows no hash, or shows a field the renewal could not write back as it is.
 */
export const READ_SSL_BINDING: PsFunction = {
  name: 'Read-SslBinding',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$HostnamePort)',
    `$uncarried = @{ ${Object.entries(UNCARRIED_FIELDS)
      .map(([k, v]) => `${psQuote(k)} = ${psQuote(v)}`)
      .join('; ')} }`,
    `$carried = ${psQuote([KEY, HASH, ...CARRIED_FIELDS.map((f) => f.label)].join('|'))}.Split('|')`,
    "$lines = @(netsh.exe http show sslcert ('hostnameport={0}' -f $HostnamePort))",
    "if ($LASTEXITCODE -ne 0) { throw ('netsh could not show the SSL binding {0} (exit code {1}): {2}' -f $HostnamePort, $LASTEXITCODE, ((@($lines) | Where-Object { $_ }) -join ' ')) }",
    '$binding = [ordered]@{}',
    "foreach ($line in $lines) { if ([string]$line -match '^\\s+(\\S.*?)\\s*:\\s(.*)$') { $binding[$Matches[1]] = $Matches[2].Trim() } }",
    `if (-not $binding.Contains(${psQuote(HASH)})) { throw ('netsh showed no ${HASH} for {0}' -f $HostnamePort) }`,
    'foreach ($field in @($binding.Keys)) {',
    '  if ($carried -contains $field) { continue }',
    `  if (-not $uncarried.ContainsKey($field)) { throw ('{0}: netsh shows "{1}: {2}", a setting netsh http update sslcert cannot write back: the binding is left as it is (${NETSH_HTTP.url})' -f $HostnamePort, $field, $binding[$field]) }`,
    '  if ($binding[$field] -ne $uncarried[$field]) { throw (\'{0}: "{1}" is "{2}"; netsh http update sslcert has no parameter for it and would set it to "{3}": the binding is left as it is\' -f $HostnamePort, $field, $binding[$field], $uncarried[$field]) }',
    '}',
    'return $binding',
  ],
};

const valueLine = (f: (typeof CARRIED_FIELDS)[number]) => {
  const value = `$Binding[${psQuote(f.label)}]`;
  switch (f.kind) {
    case 'switch':
      return `$arguments += ('${f.parameter}={0}' -f $(switch (${value}) { 'Enabled' { 'enable' } 'Disabled' { 'disable' } default { throw ('{0}: "${f.label}" is "{1}", neither Enabled nor Disabled' -f $HostnamePort, $_) } }))`;
    case 'optional':
      return `if (${value} -and ${value} -ne '(null)') { $arguments += ('${f.parameter}={0}' -f ${value}) }`;
    default:
      return `$arguments += ('${f.parameter}={0}' -f ${value})`;
  }
};

/**
 * `Write-SslBinding -HostnamePort <host:port> -Binding <fields read> -Thumbprint <hash>`: writes the binding with
 * every carried setting as read and this hash, then reads it back and throws unless every field but the hash
 * reads as before.
 */
export const WRITE_SSL_BINDING: PsFunction = {
  name: 'Write-SslBinding',
  lines: [
    'param([Parameter(Mandatory = $true)][string]$HostnamePort, [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Binding, [Parameter(Mandatory = $true)][string]$Thumbprint)',
    "$arguments = @('http', 'update', 'sslcert', ('hostnameport={0}' -f $HostnamePort), ('certhash={0}' -f $Thumbprint))",
    ...CARRIED_FIELDS.map(valueLine),
    '$output = @(netsh.exe @arguments)',
    "if ($LASTEXITCODE -ne 0) { throw ('netsh could not bind {0} to {1} (exit code {2}): {3}' -f $HostnamePort, $Thumbprint, $LASTEXITCODE, ((@($output) | Where-Object { $_ }) -join ' ')) }",
    '$written = Read-SslBinding -HostnamePort $HostnamePort',
    `if ($written[${psQuote(HASH)}] -ne $Thumbprint) { throw ('{0} reads {1} after the write, not {2}' -f $HostnamePort, $written[${psQuote(HASH)}], $Thumbprint) }`,
    `foreach ($field in @($Binding.Keys | Where-Object { $_ -ne ${psQuote(HASH)} })) {`,
    '  if ($written[$field] -ne $Binding[$field]) { throw (\'{0}: "{1}" reads "{2}" after the write, not "{3}"\' -f $HostnamePort, $field, $written[$field], $Binding[$field]) }',
    '}',
  ],
};
