import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IpassError } from '../diagnostics/errors.js';
import {
  environmentSettings,
  remoteCredentials,
  resolveReference,
  selectEnvironmentName,
} from './environment.js';
import { loadConfig } from './load-config.js';

const keys = new URL('../../test/fixtures/keys/', import.meta.url).pathname;

function project(config: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'ipass-config-'));
  cpSync(keys, join(dir, 'keys'), { recursive: true });
  if (config !== undefined) writeFileSync(join(dir, 'ipass.config.yaml'), config);
  return dir;
}

function thrown(fn: () => unknown): IpassError {
  try {
    fn();
  } catch (error) {
    return error as IpassError;
  }
  throw new Error('did not throw');
}

describe('loadConfig', () => {
  it('uses the defaults when there is no config, with the built-in sandbox', async () => {
    const dir = project(undefined);
    const { config, diagnostics } = await loadConfig({ cwd: dir });
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      campaigns: ['campaigns'],
      stateDir: join(dir, '.ipass'),
      defaultEnvironment: 'sandbox',
    });
    expect(config?.environments.sandbox).toEqual({ endpoint: 'sandbox' });
  });

  it('reports YAML syntax errors instead of silently using the defaults', async () => {
    const dir = project('campaigns: "open\n');
    const { config, diagnostics } = await loadConfig({ cwd: dir });
    expect(config).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.position?.file, d.position?.line])).toEqual([
      ['YAML_SYNTAX', 'ipass.config.yaml', 1],
    ]);
  });

  it('places schema problems on the offending line, with a did-you-mean', async () => {
    const dir = project(
      'campaigns: campaigns\nenvironments:\n  prod:\n    endpoint: https://open.alipay.hk\n    concurency: 4\n',
    );
    const { config, diagnostics } = await loadConfig({ cwd: dir });
    expect(config).toBeUndefined();
    expect(diagnostics).toMatchObject([{ code: 'CONFIG_UNKNOWN_FIELD', position: { line: 5, col: 5 } }]);
    expect(diagnostics[0]?.hint).toContain('concurrency');
  });

  it('picks the environment from the flag, then IPASS_ENV, then the default', async () => {
    const { config } = await loadConfig({ cwd: project('defaultEnvironment: sandbox\n') });
    if (!config) throw new Error('no config');
    expect(selectEnvironmentName(config, 'x', { IPASS_ENV: 'y' })).toBe('x');
    expect(selectEnvironmentName(config, undefined, { IPASS_ENV: 'y' })).toBe('y');
    expect(selectEnvironmentName(config, undefined, {})).toBe('sandbox');
    expect(thrown(() => environmentSettings(config, 'nope')).code).toBe('ENVIRONMENT_UNKNOWN');
  });
});

describe('remote environments', () => {
  const base = (extra: string) =>
    `environments:\n  prod:\n    endpoint: https://open.alipay.hk/\n    clientId: env:CID\n    merchantId: "2160120041113167"\n    privateKey: file:keys/client-private.pem\n${extra}`;

  it('refuse an endpoint without a key to verify responses with', async () => {
    const { config } = await loadConfig({ cwd: project(base('')) });
    if (!config) throw new Error('no config');
    expect(thrown(() => environmentSettings(config, 'prod')).code).toBe('CONFIG_NO_RESPONSE_KEY');
  });

  it('resolve env: and file: references, and say which variable is missing', async () => {
    const { config } = await loadConfig({
      cwd: project(base(`    alipayPublicKey: file:keys/client-public.pem\n`)),
    });
    if (!config) throw new Error('no config');
    const settings = environmentSettings(config, 'prod');
    expect(settings).toMatchObject({
      endpoint: 'https://open.alipay.hk',
      concurrency: 8,
      requestsPerSecond: 20,
      sandbox: false,
    });
    const creds = remoteCredentials(config, settings, { CID: 'client-1' });
    expect(creds.clientId).toBe('client-1');
    expect(creds.privateKey.asymmetricKeyType).toBe('rsa');
    const missing = thrown(() => remoteCredentials(config, settings, {}));
    expect(missing.code).toBe('CONFIG_ENV_MISSING');
    expect(missing.message).toContain('$CID');
    expect(thrown(() => resolveReference(config, 'prod', 'privateKey', 'file:nope.pem')).code).toBe(
      'CONFIG_FILE_MISSING',
    );
  });

  it('refuse a private key that is not one, without echoing it', async () => {
    const { config } = await loadConfig({
      cwd: project(
        base(`    alipayPublicKey: file:keys/client-public.pem\n`).replace(
          'file:keys/client-private.pem',
          'env:KEY',
        ),
      ),
    });
    if (!config) throw new Error('no config');
    const error = thrown(() =>
      remoteCredentials(config, environmentSettings(config, 'prod'), {
        CID: 'c',
        KEY: 'not-a-key-SECRETVALUE',
      }),
    );
    expect(error.code).toBe('CONFIG_BAD_PRIVATE_KEY');
    expect(`${error.message} ${error.hint}`).not.toContain('SECRETVALUE');
  });
});

describe('the project root is the boundary', () => {
  const base = (privateKey: string) =>
    `environments:\n  prod:\n    endpoint: https://open.alipay.hk/\n    clientId: env:CID\n    merchantId: "2160120041113167"\n    privateKey: ${privateKey}\n    insecureSkipResponseVerification: true\n`;

  it('refuses file: references outside the project, through a link, or to a FIFO, without reading them', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ipass-outside-'));
    writeFileSync(join(outside, 'secret.pem'), 'TOKEN-OUTSIDE-1234');
    execFileSync('mkfifo', [join(outside, 'fifo')]);
    const cases: [string, string][] = [
      [`file:${join(outside, 'secret.pem')}`, 'PATH_OUTSIDE_PROJECT'],
      ['file:../secret.pem', 'PATH_OUTSIDE_PROJECT'],
      ['file:linked.pem', 'PATH_OUTSIDE_PROJECT'],
      ['file:pipe', 'PATH_OUTSIDE_PROJECT'],
      ['file:/dev/zero', 'PATH_OUTSIDE_PROJECT'],
      ['file:fifo-inside', 'FILE_NOT_REGULAR'],
      ['file:keys', 'CONFIG_FILE_MISSING'],
    ];
    for (const [reference, code] of cases) {
      const dir = project(base(reference));
      symlinkSync(join(outside, 'secret.pem'), join(dir, 'linked.pem'));
      symlinkSync(join(outside, 'fifo'), join(dir, 'pipe'));
      execFileSync('mkfifo', [join(dir, 'fifo-inside')]);
      const { config } = await loadConfig({ cwd: dir });
      if (!config) throw new Error('no config');
      const error = thrown(() =>
        remoteCredentials(config, environmentSettings(config, 'prod'), { CID: 'c' }),
      );
      expect(error.code, reference).toBe(code);
      expect(`${error.message} ${error.hint}`).not.toContain('TOKEN-OUTSIDE');
    }
  });

  it('refuses `$import`, absolute or climbing campaign globs, and a config that links out of the project', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ipass-outside-'));
    writeFileSync(join(outside, 'other.yaml'), 'stateDir: TOKEN-OUTSIDE-5678\n');
    let dir = project(`$import: ${join(outside, 'other.yaml')}\ncampaigns: campaigns\n`);
    let loaded = await loadConfig({ cwd: dir });
    expect(loaded.config).toBeUndefined();
    expect(loaded.diagnostics.map((d) => [d.code, d.position?.line])).toContainEqual([
      'CONFIG_IMPORT_REFUSED',
      1,
    ]);

    dir = project('campaigns:\n  - campaigns\n  - /etc/*.conf\n  - ../other/**/*.yaml\n');
    loaded = await loadConfig({ cwd: dir });
    expect(loaded.diagnostics.map((d) => [d.code, d.position?.line])).toEqual([
      ['PATH_OUTSIDE_PROJECT', 3],
      ['PATH_OUTSIDE_PROJECT', 4],
    ]);

    dir = project(undefined);
    symlinkSync(join(outside, 'other.yaml'), join(dir, 'ipass.config.yaml'));
    loaded = await loadConfig({ cwd: dir });
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['PATH_OUTSIDE_PROJECT']);
    expect(JSON.stringify(loaded.diagnostics)).not.toContain('TOKEN-OUTSIDE');

    dir = project(undefined);
    mkdirSync(join(dir, 'sub'));
    execFileSync('mkfifo', [join(dir, 'ipass.config.yaml')]);
    loaded = await loadConfig({ cwd: dir });
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['FILE_NOT_REGULAR']);
  });
});
