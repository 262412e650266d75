// sslmode with libpq's meanings, against a cluster of its own that accepts only TLS with a
// self-signed certificate for "localhost": require encrypts without checking, verify-ca checks the
// chain, verify-full the name too; disable is refused by the server; the driver prints no warning.
// A URL without a password, where the server asks for one, is an authentication error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliResult, runCli } from './helpers/cli.js';
import { describeNeeding } from './helpers/needs.js';
import { sql } from './helpers/postgres.js';
import { tempDir } from './helpers/project.js';
import { startTlsCluster, type TlsCluster } from './helpers/tls-cluster.js';

const started = await startTlsCluster();

describeNeeding(
  'state database over TLS (sslmode as libpq)',
  typeof started === 'string' ? started : undefined,
  () => {
    let cluster: TlsCluster;
    const dir = tempDir('pg-tls-project');

    beforeAll(async () => {
      if (typeof started === 'string') return;
      cluster = started;
      mkdirSync(join(dir, 'campaigns'));
      writeFileSync(
        join(dir, 'ipass.config.yaml'),
        'campaigns: campaigns\nstate: { backend: postgres, url: env:IPASS_STATE_URL, schema: ipass_tls }\n',
      );
      await sql("CREATE ROLE ipass_pw LOGIN PASSWORD 'secret-pw' SUPERUSER", [], admin());
    }, 120_000);
    afterAll(() => {
      if (typeof started !== 'string') started.stop();
    });

    const admin = () => `postgres://postgres@localhost:${cluster.port}/postgres?sslmode=no-verify`;
    const list = (user: string, host: string, query: string): Promise<CliResult> =>
      runCli(['state', 'list'], {
        cwd: dir,
        env: { IPASS_STATE_URL: `postgres://${user}@${host}:${cluster.port}/postgres?${query}` },
      });
    const ok = (r: CliResult) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('no state of');
      // The driver's own reading of sslmode prints a security warning on every run.
      expect(r.stderr).toBe('');
    };

    it('encrypts with require, allow and prefer; disable is refused by a TLS-only server', async () => {
      const [require, allow, prefer, disable] = await Promise.all(
        ['require', 'allow', 'prefer', 'disable'].map((m) => list('postgres', '127.0.0.1', `sslmode=${m}`)),
      );
      for (const r of [require, allow, prefer]) ok(r as CliResult);
      expect(disable?.code).toBe(1);
      expect(disable?.stderr).toContain('STATE_DB_AUTH_FAILED');
      expect(disable?.stderr).toContain('no encryption');
    });

    it('verify-ca checks the chain, verify-full the host name too', async () => {
      const root = `sslrootcert=${encodeURIComponent(cluster.certPath)}`;
      const [ca, full, wrongName, noRoot] = await Promise.all([
        list('postgres', '127.0.0.1', `sslmode=verify-ca&${root}`),
        list('postgres', 'localhost', `sslmode=verify-full&${root}`),
        list('postgres', '127.0.0.1', `sslmode=verify-full&${root}`),
        list('postgres', 'localhost', 'sslmode=verify-full'),
      ]);
      ok(ca);
      ok(full);
      expect(wrongName.code).toBe(1);
      expect(wrongName.stderr).toContain('STATE_DB_TLS');
      expect(wrongName.stderr).toMatch(/altnames/);
      expect(noRoot.code).toBe(1);
      expect(noRoot.stderr).toContain('STATE_DB_TLS');
      expect(noRoot.stderr).toContain('self-signed certificate');
    });

    it('a URL without the password the server asks for is an authentication error, not SASL text', async () => {
      const [none, wrong] = await Promise.all([
        list('ipass_pw', '127.0.0.1', 'sslmode=require'),
        list('ipass_pw:not-it', '127.0.0.1', 'sslmode=require'),
      ]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('STATE_DB_AUTH_FAILED');
      expect(none.stderr).toContain('the state URL has none');
      expect(none.stderr).not.toMatch(/SASL|SCRAM/);
      expect(wrong.stderr).toContain('STATE_DB_AUTH_FAILED');
      expect(wrong.stderr).not.toContain('not-it');
    });
  },
);
