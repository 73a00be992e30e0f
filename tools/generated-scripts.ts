import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { dnsRecordsOf } from '../config/dns-records';
import { EXTRANET_LOCKOUT_MODES } from '../config/hardening-schema';
import { Environment } from '../config/schema';
import { serviceNamesOf } from '../config/service-names';
import { NPS_PROBE } from '../constructs/nps-tier';
import { NPS_CERTIFICATE_EVENTS, NPS_CERTIFICATE_WARNING_DAYS, NPS_EVENT_SOURCE } from '../constructs/scripts/nps-tasks';
import { RuntimeSecret } from '../constructs/scripts/key-vault-secret';
import { runtimeSecretOf } from '../constructs/secrets';
import { internalRecordsScript } from './dns-commands';

/*
 * Every PowerShell script an environment generates, as the server receives it, for the PowerShell tests
 * (npm run test:ps): each Run Command's script, the renewal script each renewal task installer writes to
 * disk, each CustomScriptExtension command (the role installation) and the DNS script of `npm run dns`.
 * Read from the synthesized Terraform, so that what is tested is what deploys.
 */

/** What a script is, which decides the scenarios that run it (test/powershell/*.Tests.ps1). */
export type ScriptKind =
  | 'adfs-farm-create'
  | 'adfs-farm-join'
  | 'adfs-restart'
  | 'wap-enrollment'
  | 'wap-publishing'
  | 'bind-https'
  | 'trust-lab-certificates'
  | 'certificate-renewal-task'
  | 'certificate-renewal'
  | 'role-installation'
  | 'dns-records'
  | 'entra-mfa-certificate'
  | 'entra-mfa-certificate-check-task'
  | 'entra-mfa-certificate-check'
  | 'entra-mfa-tenant'
  | 'entra-mfa-restart'
  | 'entra-mfa-policy'
  | 'wap-unpublishing'
  | 'nps-radius'
  | 'nps-extension'
  | 'nps-tasks'
  | 'nps-health-listener'
  | 'nps-certificate-check'
  | 'server-hardening'
  | 'hardening-restart-check'
  | 'extranet-lockout'
  | 'windows-laps'
  | 'domain-join'
  | 'domain-join-restart';

/** One generated script. */
export interface GeneratedScript {
  /** Environment (stack) name, or the label of a configuration of it (`prod-parallel`: prod at a migration stage). */
  readonly env: string;
  /** Terraform address of the resource that carries it, or `npm run dns` for the DNS script. */
  readonly address: string;
  readonly kind: ScriptKind;
  /** The tier of the server it runs on (`adfs`, `wap`, `mfa`, `portal`), or `domain-controller`. */
  readonly tier: string;
  /** The PowerShell text, as PowerShell reads it (Terraform's `$${` and `%%{` escapes undone). */
  readonly text: string;
  /** For a CustomScriptExtension: the whole command line. */
  readonly commandLine?: string;
  /** Script parameters as Run Command passes them: name, and whether it is a protected parameter. */
  readonly parameters: readonly { readonly name: string; readonly protected: boolean }[];
}

/** What the scenarios expect, from the validated environment (never from the scripts themselves). */
export interface ScriptFacts {
  readonly env: string;
  readonly domain: string;
  readonly names: { readonly mfaApp: string; readonly portal: string; readonly federationService: string };
  readonly replicationPort: number;
  /** The certificates are the labs' self-signed ones (certificates.selfSigned). */
  readonly selfSigned: boolean;
  /** Computer names by tier, first server first (the first AD FS server is the primary of the farm). */
  readonly computers: Readonly<Record<string, readonly string[]>>;
  readonly farm?: {
    readonly adminUsername: string;
    readonly gmsa: string | null;
    readonly serviceAccountUsername: string | null;
    readonly trustUsername: string;
    /** Where the scripts read the passwords at run time (vault and secret names, never values). */
    readonly adminPasswordSecret: RuntimeSecret;
    readonly serviceAccountPasswordSecret: RuntimeSecret | null;
    readonly trustPasswordSecret: RuntimeSecret;
    readonly publishMfaPortal: boolean;
  };
  /** The migration block (constructs/migration-stages.ts), where the environment has one. */
  readonly migration?: {
    readonly stage: string;
    readonly tenantId: string | null;
    readonly groupSids: readonly string[];
    readonly adfsCertificateGeneration: number;
    /** The regex Terraform reads a tenant certificate from the certificate script's output with (its registration's value). */
    readonly certificateOutputPattern: string | null;
  };
  /** The NPS servers' configuration, where the environment has them. */
  readonly nps?: {
    readonly tenantId: string;
    readonly radiusClients: readonly { readonly name: string; readonly address: string; readonly vaultName: string; readonly secretName: string }[];
    readonly overrideNumberMatchingWithOtp: boolean | null;
    readonly extensionInstalled: boolean;
    /** What the load balancer asks the health endpoint (NPS_PROBE). */
    readonly probe: { readonly port: number; readonly path: string };
    /** The certificate check's events, which the alerts query: source, ids and levels, and its warning period. */
    readonly certificateEvents: {
      readonly source: string;
      readonly warningDays: number;
      readonly nearExpiry: { readonly id: number; readonly level: string };
      readonly invalid: { readonly id: number; readonly level: string };
    };
  };
  /** The domain join: the account, where its password is read at run time (domain.join "run-command"), and the OU. */
  readonly domainJoin: { readonly username: string; readonly passwordSecret: RuntimeSecret; readonly ouPath: string | null };
  /** The hardening the scripts apply (config/hardening-schema.ts). */
  readonly hardening: {
    readonly tls: boolean;
    /** With a farm: the extranet lockout, its mode by its AD FS name. */
    readonly extranetLockout: {
      readonly enabled: boolean;
      readonly mode: string;
      readonly threshold: number;
      readonly observationWindowMinutes: number;
    } | null;
    readonly laps: { readonly passwordAgeDays: number; readonly passwordLength: number; readonly ouPath: string | null } | null;
  };
}

/** The command line CustomScriptExtension runs (constructs/windows-server-pool.ts `powershell()`). */
const COMMAND_LINE = /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "(.*)"$/s;

/** Terraform turns the escaped `$${` and `%%{` of a string literal back into `${` and `%{`. */
export const terraformUnescape = (text: string) => text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

/** The tier of a resource address: its first segment (`adfs_servers_adfs-1_…` → `adfs`). */
const tierOf = (address: string) => address.split('_')[0];

/** The Run Command's name is the script's; the farm script has two shapes, told apart by the cmdlet each calls. */
function runCommandKind(name: string, text: string): ScriptKind {
  if (name === 'adfs-farm') return text.includes('Install-AdfsFarm @farm') ? 'adfs-farm-create' : 'adfs-farm-join';
  // One Run Command per generation of the tenant certificate: entra-mfa-certificate-<n>.
  if (/^entra-mfa-certificate-\d+$/.test(name)) return 'entra-mfa-certificate';
  const known: ScriptKind[] = [
    'adfs-restart',
    'wap-enrollment',
    'wap-publishing',
    'wap-unpublishing',
    'bind-https',
    'trust-lab-certificates',
    'certificate-renewal-task',
    'entra-mfa-certificate-check-task',
    'entra-mfa-tenant',
    'entra-mfa-restart',
    'entra-mfa-policy',
    'nps-radius',
    'nps-extension',
    'nps-tasks',
    'server-hardening',
    'hardening-restart-check',
    'extranet-lockout',
    'windows-laps',
    'domain-join',
    'domain-join-restart',
  ];
  if (!known.includes(name as ScriptKind)) throw new Error(`a Run Command script no test knows: ${name}`);
  return name as ScriptKind;
}

/** The renewal script a task installer writes to disk: the base64 text it decodes. */
function installedScript(key: string, installer: string): string {
  const encoded = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(installer);
  if (!encoded) throw new Error(`${key}: the renewal task installer carries no base64 script`);
  return Buffer.from(encoded[1], 'base64').toString('utf8');
}

/** The scripts the nps-tasks installer writes to disk, by file name: each file's kind and its base64 text. */
const NPS_TASK_SCRIPTS: Readonly<Record<string, ScriptKind>> = {
  'Start-NpsHealthEndpoint.ps1': 'nps-health-listener',
  'Test-NpsClientCertificate.ps1': 'nps-certificate-check',
};
function taskScripts(key: string, installer: string): { kind: ScriptKind; file: string; text: string }[] {
  const found = [
    ...installer.matchAll(
      /-ChildPath '([^']+\.ps1)'\n\s*\$text = \[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('([A-Za-z0-9+/=]+)'\)\)/g,
    ),
  ];
  const files = Object.keys(NPS_TASK_SCRIPTS);
  if (found.length !== files.length || !files.every((f) => found.some((m) => m[1] === f)))
    throw new Error(`${key}: the nps-tasks installer does not carry ${files.join(' and ')}`);
  return found.map((m) => ({ kind: NPS_TASK_SCRIPTS[m[1]], file: m[1], text: Buffer.from(m[2], 'base64').toString('utf8') }));
}

/** The resources of the synthesized Terraform read here, with the arguments read: azurerm's, as cdktf writes them. */
export interface ScriptResources {
  readonly resource: {
    readonly azurerm_virtual_machine_run_command?: Record<
      string,
      {
        readonly name: string;
        readonly source: { readonly script: string };
        readonly parameter?: readonly { readonly name: string }[];
        readonly protected_parameter?: readonly { readonly name: string }[];
      }
    >;
    readonly azurerm_virtual_machine_extension?: Record<string, { readonly type: string; readonly settings: string }>;
    readonly azurerm_windows_virtual_machine?: Record<string, { readonly computer_name: string }>;
    readonly azuread_service_principal_certificate?: Record<string, { readonly value: string }>;
  };
}

/**
 * Every generated script of one environment: from its synthesized Terraform, plus the DNS script. `label` names
 * the configuration when one environment is exported at several migration stages.
 */
export function generatedScripts(env: Environment, tf: ScriptResources, label = env.name): GeneratedScript[] {
  const scripts: GeneratedScript[] = [];
  for (const [key, body] of Object.entries(tf.resource.azurerm_virtual_machine_run_command ?? {})) {
    const text = terraformUnescape(body.source.script);
    const kind = runCommandKind(body.name, text);
    const address = `azurerm_virtual_machine_run_command.${key}`;
    scripts.push({
      env: label,
      address,
      kind,
      tier: tierOf(key),
      text,
      parameters: [
        ...(body.parameter ?? []).map((p) => ({ name: p.name, protected: false })),
        ...(body.protected_parameter ?? []).map((p) => ({ name: p.name, protected: true })),
      ],
    });
    if (kind === 'nps-tasks') {
      for (const task of taskScripts(key, text))
        scripts.push({
          env: label,
          address: `${address} (${task.file}, which its task runs)`,
          kind: task.kind,
          tier: tierOf(key),
          text: task.text,
          parameters: [],
        });
    }
    if (kind === 'certificate-renewal-task') {
      scripts.push({
        env: label,
        address: `${address} (the script its task runs)`,
        kind: 'certificate-renewal',
        tier: tierOf(key),
        text: installedScript(key, text),
        parameters: [],
      });
    }
    if (kind === 'entra-mfa-certificate-check-task') {
      scripts.push({
        env: label,
        address: `${address} (the script its task runs)`,
        kind: 'entra-mfa-certificate-check',
        tier: tierOf(key),
        text: installedScript(key, text),
        parameters: [],
      });
    }
  }
  for (const [key, body] of Object.entries(tf.resource.azurerm_virtual_machine_extension ?? {})) {
    if (body.type !== 'CustomScriptExtension') continue;
    const commandLine: string = JSON.parse(body.settings).commandToExecute;
    const inner = COMMAND_LINE.exec(commandLine);
    if (!inner) throw new Error(`${key}: the CustomScriptExtension command is not a powershell.exe -Command line: ${commandLine}`);
    scripts.push({
      env: label,
      address: `azurerm_virtual_machine_extension.${key}`,
      kind: 'role-installation',
      tier: tierOf(key),
      text: inner[1],
      commandLine,
      parameters: [],
    });
  }
  scripts.push({
    env: label,
    address: 'npm run dns',
    kind: 'dns-records',
    tier: 'domain-controller',
    text: internalRecordsScript(dnsRecordsOf(env), env.domain.name).text,
    parameters: [],
  });
  return scripts;
}

/** The facts of an environment the scenarios compare the scripts' calls with; `label` as for generatedScripts. */
export function scriptFacts(env: Environment, tf: ScriptResources, label = env.name): ScriptFacts {
  const farm = env.adfs.farm;
  const computers: Record<string, string[]> = {};
  const servers = Object.entries(tf.resource.azurerm_windows_virtual_machine ?? {})
    .map(([key, vm]) => ({ tier: tierOf(key), n: Number(/-(\d+)_/.exec(key)?.[1]), name: vm.computer_name }))
    .sort((a, b) => a.n - b.n);
  for (const server of servers) (computers[server.tier] ??= []).push(server.name);
  const nps = env.nps;
  return {
    env: label,
    domain: env.domain.name,
    names: serviceNamesOf(env),
    replicationPort: env.mfa.replicationPort,
    selfSigned: env.certificates?.selfSigned === true,
    computers,
    farm: farm && {
      adminUsername: farm.adminCredential.username,
      gmsa: farm.groupManagedServiceAccount ?? null,
      serviceAccountUsername: farm.serviceAccount?.username ?? null,
      trustUsername: env.wap.trustCredential!.username,
      adminPasswordSecret: runtimeSecretOf(farm.adminCredential.passwordSecret),
      serviceAccountPasswordSecret: farm.serviceAccount ? runtimeSecretOf(farm.serviceAccount.passwordSecret) : null,
      trustPasswordSecret: runtimeSecretOf(env.wap.trustCredential!.passwordSecret),
      publishMfaPortal: env.wap.publishMfaPortalEnabled,
    },
    migration: env.migration && {
      stage: env.migration.stage,
      tenantId: env.migration.tenantId ?? null,
      groupSids: env.migration.groupSids,
      adfsCertificateGeneration: env.migration.adfsCertificateGeneration,
      certificateOutputPattern: certificateOutputPatternOf(tf),
    },
    nps: nps && {
      tenantId: env.migration?.tenantId ?? '',
      radiusClients: nps.radiusClients.map((c) => ({ name: c.name, address: c.address, ...runtimeSecretOf(c.sharedSecret) })),
      overrideNumberMatchingWithOtp: nps.overrideNumberMatchingWithOtp ?? null,
      extensionInstalled: nps.extensionInstalled,
      probe: { port: NPS_PROBE.port.port, path: NPS_PROBE.requestPath! },
      certificateEvents: {
        source: NPS_EVENT_SOURCE,
        warningDays: NPS_CERTIFICATE_WARNING_DAYS,
        nearExpiry: { id: NPS_CERTIFICATE_EVENTS.nearExpiry.id, level: NPS_CERTIFICATE_EVENTS.nearExpiry.level },
        invalid: { id: NPS_CERTIFICATE_EVENTS.invalid.id, level: NPS_CERTIFICATE_EVENTS.invalid.level },
      },
    },
    domainJoin: { username: env.domain.joinUsername, passwordSecret: runtimeSecretOf(env.domain.joinPasswordSecret), ouPath: env.domain.ouPath ?? null },
    hardening: {
      tls: env.hardening.tlsHardeningEnabled,
      extranetLockout: farm ? { ...env.adfs.extranetLockout, mode: EXTRANET_LOCKOUT_MODES[env.adfs.extranetLockout.mode] } : null,
      laps: env.hardening.laps.enabled
        ? { passwordAgeDays: env.hardening.laps.passwordAgeDays, passwordLength: env.hardening.laps.passwordLength, ouPath: env.domain.ouPath ?? null }
        : null,
    },
  };
}

/** The pattern of `regex("…", ….instance_view[0].output)` in the first AD FS tenant certificate registration, as Terraform reads it. */
function certificateOutputPatternOf(tf: ScriptResources): string | null {
  const registration = Object.entries(tf.resource.azuread_service_principal_certificate ?? {}).find(([key]) => key.startsWith('adfs_servers_'))?.[1];
  if (registration === undefined) return null;
  const found = /regex\(("(?:[^"\\]|\\.)*")/.exec(registration.value);
  if (!found) throw new Error(`a tenant certificate registration that reads no regex: ${registration.value}`);
  return JSON.parse(found[1]);
}

/** A manifest entry: the script, written to `file` (relative to the manifest). */
export interface ManifestEntry extends Omit<GeneratedScript, 'text'> {
  readonly file: string;
}

/** What `writeManifest` writes as manifest.json. */
export interface Manifest {
  readonly environments: readonly ScriptFacts[];
  readonly scripts: readonly ManifestEntry[];
}

/**
 * Writes each script to `<dir>/scripts/<sha256>.ps1` (identical scripts share one file, so each distinct
 * text is parsed and run once) and `<dir>/manifest.json`, the list the PowerShell tests read.
 */
export function writeManifest(dir: string, environments: readonly ScriptFacts[], scripts: readonly GeneratedScript[]): Manifest {
  fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
  const entries = scripts.map(({ text, ...entry }) => {
    const file = `scripts/${crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)}.ps1`;
    const full = path.join(dir, file);
    // UTF-8 with a byte order mark, as Windows PowerShell 5.1 needs to read non-ASCII text in a .ps1 correctly.
    if (!fs.existsSync(full)) fs.writeFileSync(full, `\ufeff${text}`);
    return { ...entry, file };
  });
  const manifest = { environments, scripts: entries };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
