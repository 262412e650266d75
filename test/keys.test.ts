// `ipass keys generate`, run as a user would: the built CLI (npm run build) in a temporary folder.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signContent, verifyContent } from '../src/api/signing.js';
import { parsePrivateKey, parsePublicKey } from '../src/shared/keys.js';

const bin = fileURLToPath(new URL('../bin/ipass.js', import.meta.url));
const built = fileURLToPath(new URL('../dist/cli/commands/keys.js', import.meta.url));

function ipass(cwd: string, args: string[], umask?: string) {
  const r =
    umask === undefined
      ? spawnSync(process.execPath, [bin, ...args], {
          cwd,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        })
      : spawnSync('/bin/sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, bin, ...args], {
          cwd,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mode = (path: string) => statSync(path).mode & 0o777;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ipass-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

beforeAll(() => {
  if (!existsSync(built)) throw new Error('dist/ has no keys command: run `npm run build` first');
});

describe('ipass keys generate', () => {
  it('writes a working RSA-2048 pair to keys/, private 0600, and prints only the public key', () => {
    const cwd = temp();
    const r = ipass(cwd, ['keys', 'generate']);
    expect(r.code).toBe(0);
    const priv = join(cwd, 'keys/private.pem');
    const pub = join(cwd, 'keys/public.pem');
    expect(mode(priv)).toBe(0o600);
    expect(mode(pub)).toBe(0o644);
    const privatePem = readFileSync(priv, 'utf8');
    const publicPem = readFileSync(pub, 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const key = parsePrivateKey(privatePem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signature = signContent('POST /x\nC.T.{}', key);
    expect(verifyContent('POST /x\nC.T.{}', signature, parsePublicKey(publicPem))).toBe(true);

    expect(r.stdout).toContain('keys/private.pem');
    expect(r.stdout).toContain('keys/public.pem');
    expect(r.stdout).toContain(publicPem.trim());
    expect(r.stdout + r.stderr).not.toMatch(/PRIVATE KEY-----/);
    for (const line of privatePem.split('\n').filter((l) => l && !l.startsWith('-----'))) {
      expect(r.stdout + r.stderr).not.toContain(line);
    }
  });

  it('creates the private key 0600 whatever the umask, and honours --out', () => {
    const cwd = temp();
    const r = ipass(cwd, ['keys', 'generate', '--out', 'secrets/prod'], '000');
    expect(r.code).toBe(0);
    expect(mode(join(cwd, 'secrets/prod/private.pem'))).toBe(0o600);
    expect(existsSync(join(cwd, 'secrets/prod/public.pem'))).toBe(true);
  });

  it('refuses to overwrite an existing pair and leaves it untouched', () => {
    const cwd = temp();
    expect(ipass(cwd, ['keys', 'generate']).code).toBe(0);
    const before = [sha(join(cwd, 'keys/private.pem')), sha(join(cwd, 'keys/public.pem'))];
    const r = ipass(cwd, ['keys', 'generate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('KEYS_EXIST');
    expect(r.stderr).toContain('keys/private.pem');
    expect(r.stderr).toMatch(/hint: .*--out/);
    expect([sha(join(cwd, 'keys/private.pem')), sha(join(cwd, 'keys/public.pem'))]).toEqual(before);
  });

  it('refuses when only one of the two files exists, writing nothing', () => {
    const cwd = temp();
    mkdirSync(join(cwd, 'keys'));
    writeFileSync(join(cwd, 'keys/public.pem'), 'old');
    const r = ipass(cwd, ['keys', 'generate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('keys/public.pem');
    expect(existsSync(join(cwd, 'keys/private.pem'))).toBe(false);
    expect(readFileSync(join(cwd, 'keys/public.pem'), 'utf8')).toBe('old');
  });

  it('rejects unknown options with exit code 1', () => {
    expect(ipass(temp(), ['keys', 'generate', '--bogus']).code).toBe(1);
  });
});
