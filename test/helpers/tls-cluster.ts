// A throw-away PostgreSQL cluster that accepts only TLS, with a self-signed certificate for
// "localhost": made with openssl and pg_createcluster (Debian's postgresql-common, as root) on a
// free port, stopped and dropped by stop(). Why it cannot be made is returned, for the caller to
// fail (CI) or skip.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './project.js';

export interface TlsCluster {
  port: number;
  /** The server's certificate (its own CA). */
  certPath: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

const HBA = [
  'local all all trust',
  // A role with a password, to see what a URL without one gives.
  'hostssl all ipass_pw 127.0.0.1/32 scram-sha-256',
  'hostssl all all 127.0.0.1/32 trust',
  'hostssl all all ::1/128 trust',
  '',
].join('\n');

/** Start the cluster, or say why it cannot be started. */
export async function startTlsCluster(): Promise<TlsCluster | string> {
  const version = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort().at(-1)
    : undefined;
  if (!version || !existsSync('/usr/bin/pg_createcluster'))
    return 'pg_createcluster (postgresql-common) is not installed';
  if (process.getuid?.() !== 0) return 'pg_createcluster needs root';
  const dir = tempDir('pg-tls');
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  );
  const postgres = statSync('/var/lib/postgresql');
  chownSync(keyPath, postgres.uid, postgres.gid);
  chmodSync(keyPath, 0o600);
  chmodSync(dir, 0o755);
  const name = `ipass_tls_${process.pid}`;
  const port = await freePort();
  const stop = (): void => {
    try {
      execFileSync('pg_dropcluster', ['--stop', version, name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  try {
    execFileSync('pg_createcluster', [version, name, '-p', String(port), '--', '--auth=trust'], {
      stdio: 'ignore',
    });
    writeFileSync(`/etc/postgresql/${version}/${name}/pg_hba.conf`, HBA);
    const settings = `-c ssl=on -c ssl_cert_file=${certPath} -c ssl_key_file=${keyPath} -c listen_addresses=localhost -c fsync=off`;
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start', '-o', settings], {
      stdio: 'ignore',
    });
  } catch (error) {
    stop();
    return `the TLS cluster did not start: ${(error as Error).message.split('\n')[0]}`;
  }
  return { port, certPath, stop };
}
