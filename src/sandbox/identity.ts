// The sandbox's keys and ids, made once per folder and loaded after: the registered client's key pair
// (what `ipass` signs with), the sandbox's own pair (what it signs responses with), and identity.json.
import { generateKeyPair, type KeyObject, randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IpassError } from '../diagnostics/errors.js';
import { parsePrivateKey, parsePublicKey } from '../shared/keys.js';
import { isProcessAlive } from './lock.js';

export interface SandboxIdentity {
  dir: string;
  clientId: string;
  merchantId: string;
  keyVersion: number;
  clientPrivateKeyPath: string;
  clientPublicKeyPath: string;
  sandboxPrivateKeyPath: string;
  /** The "AlipayHK public key" a client verifies sandbox responses with. */
  sandboxPublicKeyPath: string;
  clientPrivateKey: KeyObject;
  clientPublicKey: KeyObject;
  sandboxPrivateKey: KeyObject;
  sandboxPublicKey: KeyObject;
}

interface IdentityFile {
  clientId: string;
  merchantId: string;
  keyVersion: number;
}

const FILES = {
  clientPrivate: 'client-private.pem',
  clientPublic: 'client-public.pem',
  sandboxPrivate: 'sandbox-private.pem',
  sandboxPublic: 'sandbox-public.pem',
  identity: 'identity.json',
  creating: 'identity.lock',
} as const;

function newKeyPair(): Promise<{ privatePem: string; publicPem: string }> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicPem, privatePem) => (error ? reject(error) : resolve({ privatePem, publicPem })),
    );
  });
}

/** Load the identity in `dir`, creating it on first use (concurrent first uses wait for one creator). */
export async function ensureSandboxIdentity(dir: string): Promise<SandboxIdentity> {
  await mkdir(dir, { recursive: true });
  for (let waited = 0; ; waited += 100) {
    if (existsSync(join(dir, FILES.identity))) return load(dir);
    const creating = join(dir, FILES.creating);
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(creating, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (handle) {
      try {
        await handle.writeFile(String(process.pid));
        await handle.close();
        await create(dir);
      } finally {
        await rm(creating, { force: true });
      }
      return load(dir);
    }
    const pid = Number(await readFile(creating, 'utf8').catch(() => ''));
    if (pid > 0 && !isProcessAlive(pid)) await rm(creating, { force: true });
    else if (waited > 30_000) {
      throw new IpassError(
        'SANDBOX_IDENTITY_BUSY',
        `The sandbox identity in ${dir} is still being created.`,
        {
          hint: `If no other ipass is running, delete ${creating} and try again.`,
        },
      );
    } else await sleep(100);
  }
}

async function create(dir: string): Promise<void> {
  const [client, sandbox] = await Promise.all([newKeyPair(), newKeyPair()]);
  await writeFile(join(dir, FILES.clientPrivate), client.privatePem, { mode: 0o600 });
  await writeFile(join(dir, FILES.clientPublic), client.publicPem);
  await writeFile(join(dir, FILES.sandboxPrivate), sandbox.privatePem, { mode: 0o600 });
  await writeFile(join(dir, FILES.sandboxPublic), sandbox.publicPem);
  // `mode` applies only to new files; a leftover from an interrupted first run keeps its own.
  await Promise.all([
    chmod(join(dir, FILES.clientPrivate), 0o600),
    chmod(join(dir, FILES.sandboxPrivate), 0o600),
  ]);
  const identity: IdentityFile = {
    clientId: `SANDBOX_${randomBytes(8).toString('hex').toUpperCase()}`,
    merchantId: `2160${String(randomInt(0, 1e12)).padStart(12, '0')}`,
    keyVersion: 1,
  };
  // identity.json last, and atomically: its presence means the keys are complete.
  const temp = join(dir, `${FILES.identity}.${process.pid}.tmp`);
  await writeFile(temp, `${JSON.stringify(identity, null, 2)}\n`);
  await rename(temp, join(dir, FILES.identity));
}

async function load(dir: string): Promise<SandboxIdentity> {
  const path = (name: string): string => join(dir, name);
  try {
    const file = JSON.parse(await readFile(path(FILES.identity), 'utf8')) as IdentityFile;
    const read = (name: string): Promise<string> => readFile(path(name), 'utf8');
    const [clientPrivate, clientPublic, sandboxPrivate, sandboxPublic] = await Promise.all([
      read(FILES.clientPrivate),
      read(FILES.clientPublic),
      read(FILES.sandboxPrivate),
      read(FILES.sandboxPublic),
    ]);
    return {
      dir,
      clientId: file.clientId,
      merchantId: file.merchantId,
      keyVersion: file.keyVersion ?? 1,
      clientPrivateKeyPath: path(FILES.clientPrivate),
      clientPublicKeyPath: path(FILES.clientPublic),
      sandboxPrivateKeyPath: path(FILES.sandboxPrivate),
      sandboxPublicKeyPath: path(FILES.sandboxPublic),
      clientPrivateKey: parsePrivateKey(clientPrivate),
      clientPublicKey: parsePublicKey(clientPublic),
      sandboxPrivateKey: parsePrivateKey(sandboxPrivate),
      sandboxPublicKey: parsePublicKey(sandboxPublic),
    };
  } catch (error) {
    throw new IpassError('SANDBOX_IDENTITY_UNREADABLE', `The sandbox identity in ${dir} cannot be read.`, {
      reason:
        (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error)),
      hint: `Delete ${dir} (its keys and data are only for the sandbox) to start afresh.`,
      cause: error,
    });
  }
}
