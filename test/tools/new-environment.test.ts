import * as fs from 'fs';
import * as path from 'path';
import { overlaps, parseCidr } from '../../config/cidr';
import { loadEnvironments } from '../../config/load';
import { serviceNamesOf } from '../../config/service-names';
import { UserError } from '../../stacks/synthesize';
import { createEnvironment, formatJson, freeAddressSpace, newEnvironment, PLACEHOLDERS } from '../../tools/new-environment';
import { runMfaHa } from '../cli-harness';
import { fixtureEnvironments, ROOT, synthObject } from '../helpers';

/** A scratch copy of the shipped environments (only `only`'s files, when given): never the user's own files. */
const scratchEnvironments = fixtureEnvironments;

const raw = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const build = (dir: string, name: string, from = 'dev', location?: string) =>
  newEnvironment(name, { dir, from, location, existing: loadEnvironments(dir), raw });

describe('a new environment file', () => {
  const dir = scratchEnvironments();
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  test.each(['dev', 'prod'])('from %s: overlaps no address range and shares no unique name or DNS name with another file', (from) => {
    const created = build(dir, 'lab', from);
    const existing = loadEnvironments(dir);
    // THEN its VNet overlaps no other environment's, and its subnets stay inside its VNet
    const space = parseCidr(created.env.network.addressSpace)!;
    for (const { env } of existing) expect(overlaps(space, parseCidr(env.network.addressSpace)!)).toBe(false);
    for (const subnet of Object.values(created.env.network.subnets)) expect(overlaps(space, parseCidr(subnet!)!)).toBe(true);
    // AND its vault names and DNS names are its own
    const taken = existing.flatMap(({ env }) => [env.keyVault.name, env.certificates?.keyVaultName, ...Object.values(serviceNamesOf(env))]);
    for (const own of [created.env.keyVault.name, created.env.certificates?.keyVaultName, ...Object.values(serviceNamesOf(created.env))].filter(Boolean))
      expect(taken).not.toContain(own);
    // AND the directory with it still loads (the loader's checks across files pass)
    fs.writeFileSync(created.file, created.text);
    try {
      expect(
        loadEnvironments(dir)
          .map((e) => e.env.name)
          .sort(),
      ).toEqual(['dev', 'lab', 'prod']);
    } finally {
      fs.rmSync(created.file);
    }
  });

  test("keeps the template's layout inside the new block, and names each placeholder the user must replace", () => {
    const created = build(dir, 'lab');
    expect(created.env.network).toMatchObject({
      addressSpace: '10.20.4.0/22',
      subnets: { mfa: '10.20.4.0/27', portal: '10.20.4.32/27', adfs: '10.20.4.64/27', wap: '10.20.4.96/27' },
      dnsServers: ['10.0.0.4', '10.0.0.5'],
    });
    expect(created.env.keyVault.name).toBe('kv-mfaha-lab-01');
    expect(created.env.adfs.farm?.adminCredential.username).toBe('LAB\\adfs-admin');
    const flagged = created.placeholders.map((p) => p.path);
    expect(flagged).toEqual(
      expect.arrayContaining([
        'network.dnsServers[0]',
        'domain.name',
        'domain.joinPasswordSecret.keyVaultResourceId',
        'keyVault.allowedIpRanges[0]',
        'adfs.farm.adminCredential.username',
      ]),
    );
    expect(created.placeholders.every((p) => PLACEHOLDERS.some((x) => x.what === p.what))).toBe(true);
  });

  test('lists the region and the patching time zone among what to check', () => {
    const created = build(dir, 'lab', 'dev');
    expect(created.placeholders.filter((p) => ['location', 'maintenance.timeZone'].includes(p.path)).map((p) => [p.path, p.value])).toEqual([
      ['location', 'westeurope'],
      ['maintenance.timeZone', 'W. Europe Standard Time'],
    ]);
  });

  test('--location sets the region and what follows from it: the patching time zone, zones and zone-redundant disks where the region has none', () => {
    // GIVEN prod (three zones, ZRS disks, egress zone-redundant) moved to a region with zones and ZRS disks
    const east = build(dir, 'lab', 'prod', 'eastus2');
    expect([east.env.location, east.env.zones, east.env.osDiskType, east.env.maintenance?.timeZone, east.env.network.egress]).toEqual([
      'eastus2',
      ['1', '2', '3'],
      'Premium_ZRS',
      'Eastern Standard Time',
      expect.objectContaining({ zoneRedundant: true }),
    ]);
    expect(east.placeholders.find((p) => p.path === 'maintenance.timeZone')?.what).toMatch(/^the time zone of eastus2 \(Virginia, America\/New_York\)/);
    // AND to one without zones: availability sets, locally redundant disks, no zone-redundant egress
    const noZones = build(dir, 'lab', 'prod', 'westcentralus');
    expect([noZones.env.zones, noZones.env.osDiskType, noZones.env.maintenance?.timeZone, noZones.env.network.egress.zoneRedundant]).toEqual([
      [],
      'Premium_LRS',
      'Mountain Standard Time',
      undefined,
    ]);
    // AND a misspelt region is refused with one line and a did-you-mean
    expect(() => build(dir, 'lab', 'dev', 'westus4')).toThrow(
      /^--location names no Azure region listed in config\/azure-regions\.json \(did you mean "westus"\?\), got "westus4"$/,
    );
  });

  test('from a template with zones, gets zone-redundant egress; from one without, keeps its NAT gateway (no zone to be redundant across)', () => {
    expect(build(dir, 'lab', 'prod').env.network.egress).toEqual({ mode: 'virtualAppliance', nextHopIp: '10.0.1.4', zoneRedundant: true });
    expect(build(dir, 'lab', 'dev').env.network.egress).toEqual({ mode: 'natGateway' });
  });

  test('joins its servers by Run Command: the join password never goes through the plan or the state', () => {
    for (const from of ['dev', 'prod']) expect(build(dir, 'lab', from).env.domain.join).toBe('run-command');
    const tf = synthObject(JSON.parse(build(dir, 'lab', 'dev').text));
    expect(Object.keys(tf.data?.azurerm_key_vault_secret ?? {}).filter((k) => k.includes('domain-join'))).toEqual([]);
    expect(Object.values<any>(tf.resource.azurerm_virtual_machine_extension ?? {}).filter((e) => e.type === 'JsonADDomainExtension')).toEqual([]);
  });

  test.each(['dev', 'prod'])('is written as the shipped files are: the formatter gives %s.json back byte for byte', (name) => {
    const text = fs.readFileSync(path.join(ROOT, 'environments', `${name}.json`), 'utf8');
    expect(`${formatJson(JSON.parse(text))}\n`).toBe(text);
  });

  test('a second new environment takes the next free block', () => {
    const first = build(dir, 'lab');
    fs.writeFileSync(first.file, first.text);
    try {
      expect(build(dir, 'lab2').addressSpace).toBe('10.20.8.0/22');
    } finally {
      fs.rmSync(first.file);
    }
  });

  test('wraps around inside the private range, and says so when none is free', () => {
    expect(freeAddressSpace(parseCidr('192.168.255.0/24')!, [parseCidr('192.168.255.0/24')!]).text).toBe('192.168.0.0/24');
    expect(() => freeAddressSpace(parseCidr('192.168.0.0/17')!, [parseCidr('192.168.0.0/16')!])).toThrow('no /17 of 192.168.0.0/16 is free');
  });

  test.each([
    ['dev', 'dev', /^environment "dev" exists \(.*dev\.json\): choose another name$/],
    ['Lab', 'dev', /^"Lab" is not an environment name: it must be 2-7 lowercase letters or digits/],
    ['toolongname', 'dev', /^"toolongname" is not an environment name/],
    ['lab', 'nope', /^--from names no environment of .* \(known: dev, prod\)$/],
  ])('refuses %p from %p with one line', (name, from, message) => {
    expect(() => build(dir, name, from)).toThrow(UserError);
    expect(() => build(dir, name, from)).toThrow(message);
  });
});

describe('npm run new-env', () => {
  // dev alone: the command synthesizes every environment of the directory, and prod is the largest.
  const dir = scratchEnvironments(['dev.json', 'environment.schema.json']);
  const outdir = path.join(path.dirname(dir), 'cdktf.out');
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  test('writes the file and synthesizes it at once', () => {
    const lines = createEnvironment('lab', { dir, from: 'dev', outdir });
    expect(lines[0]).toBe(
      `wrote ${path.join(dir, 'lab.json')} from dev (westeurope, address space 10.20.4.0/22) and synthesized it into ${path.join(outdir, 'stacks', 'lab')}`,
    );
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['dev', 'lab']);
    expect(loadEnvironments(dir).map((e) => e.env.name)).toEqual(['dev', 'lab']);
  });

  test('refuses an invalid name with one line and exit code 1, writing nothing', async () => {
    const files = fs.readdirSync(dir).sort();
    const refused = await runMfaHa(['new-env', 'Bad_Name'], { MFA_HA_CONFIG: dir, CDKTF_OUTDIR: outdir });
    expect([refused.exitCode, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: "Bad_Name" is not an environment name/)]);
    expect(fs.readdirSync(dir).sort()).toEqual(files);
  });

  test('--location through the command line: the region and its time zone, and every placeholder left', async () => {
    const run = await runMfaHa(['new-env', 'west', '--location', 'westus2'], { MFA_HA_CONFIG: dir, CDKTF_OUTDIR: outdir });
    try {
      expect(run.exitCode).toBeUndefined();
      const lines = run.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^wrote .*west\.json from dev \(westus2, address space 10\.20\.\d+\.0\/22\) and synthesized it/);
      expect(lines).toEqual(
        expect.arrayContaining([
          '  location: westus2  (set by --location)',
          expect.stringMatching(/^ {2}maintenance\.timeZone: Pacific Standard Time {2}\(the time zone of westus2 \(Washington, America\/Los_Angeles\)/),
        ]),
      );
      expect(run.stderr).toMatch(/^\[new-env\] synthesizing dev, (lab, )?west\.\.\.$/m);
    } finally {
      fs.rmSync(path.join(dir, 'west.json'), { force: true });
    }
  });
});
