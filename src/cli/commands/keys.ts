// `ipass keys generate [--out DIR]`: a new RSA-2048 pair, private.pem (PKCS#8, created with mode 0600)
// and public.pem (SPKI). Never overwrites a key; prints the two paths and the public key, never the private.
import { generateKeyPair } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { IpassError } from '../../diagnostics/errors.js';
import type { CommandFactory } from '../command.js';
import { type Io, paint, writeLine, writeText } from '../io.js';

const generateRsa = promisify(generateKeyPair);

export const PRIVATE_KEY_FILE = 'private.pem';
export const PUBLIC_KEY_FILE = 'public.pem';

function keysExist(paths: string[], shown: (p: string) => string): IpassError {
  const names = paths.map(shown).join(' and ');
  return new IpassError(
    'KEYS_EXIST',
    `${names} already ${paths.length > 1 ? 'exist' : 'exists'}; ipass never overwrites a key.`,
    {
      hint: 'Write the new pair elsewhere with --out DIR, or move the old files away first (keep them while AlipayHK still has the old public key registered).',
    },
  );
}

async function generateKeys(io: Io, out: string): Promise<void> {
  const dir = resolve(io.cwd, out);
  const privatePath = join(dir, PRIVATE_KEY_FILE);
  const publicPath = join(dir, PUBLIC_KEY_FILE);
  const shown = (p: string) => relative(io.cwd, p) || p;
  const existing = [privatePath, publicPath].filter((p) => existsSync(p));
  if (existing.length > 0) throw keysExist(existing, shown);

  const pair = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  await mkdir(dir, { recursive: true });
  try {
    // 'wx' creates the file or fails; the mode applies at creation, so the key is never readable by others.
    await writeFile(privatePath, pair.privateKey, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw keysExist([privatePath], shown);
    throw error;
  }
  try {
    await writeFile(publicPath, pair.publicKey, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    await rm(privatePath, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw keysExist([publicPath], shown);
    throw error;
  }

  writeLine(
    io.stdout,
    `${paint(io, 'green', 'Wrote')} ${shown(privatePath)}  private key, mode 0600: keep it secret, never commit it`,
  );
  writeLine(
    io.stdout,
    `${paint(io, 'green', 'Wrote')} ${shown(publicPath)}  public key: register it with AlipayHK for your Client-Id`,
  );
  writeLine(io.stdout);
  writeText(io.stdout, pair.publicKey);
  writeLine(io.stdout);
  writeLine(
    io.stdout,
    `Then set \`privateKey: file:${shown(privatePath)}\` (or env:NAME) and \`keyVersion\` in the environment's config.`,
  );
}

export const keysCommand: CommandFactory = (ctx) => {
  const output = {
    writeOut: (s: string) => writeText(ctx.io.stdout, s),
    writeErr: (s: string) => writeText(ctx.io.stderr, s),
  };
  const generate = new Command('generate')
    .description('Write a new RSA-2048 key pair: private.pem (PKCS#8, mode 0600) and public.pem (SPKI).')
    .option('--out <dir>', 'folder for private.pem and public.pem', 'keys')
    .configureOutput(output)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (flags: { out: string }) => {
      await generateKeys(ctx.io, flags.out);
      ctx.exit(0);
    });
  return new Command('keys')
    .description('Manage the key pair that signs API requests.')
    .configureOutput(output)
    .addCommand(generate);
};
