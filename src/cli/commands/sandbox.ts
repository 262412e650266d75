// `ipass sandbox`: the iPass emulator as a standalone HTTP server until SIGINT/SIGTERM. Prints its URL,
// ids, key paths and a config snippet (or, with --json, one JSON line for scripts and tests).
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { IpassError } from '../../diagnostics/errors.js';
import { type FaultConfig, parseFaultConfig } from '../../sandbox/faults.js';
import { ensureSandboxIdentity, faultsFromEnv, startSandbox } from '../../sandbox/index.js';
import type { CommandFactory } from '../command.js';
import { paint, writeLine } from '../io.js';
import { sandboxTemplateCommand } from './sandbox-template.js';

export const DEFAULT_SANDBOX_PORT = 4010;
export const DEFAULT_SANDBOX_DATA = '.ipass/sandbox';

interface SandboxFlags {
  port: string;
  host: string;
  data: string;
  json?: boolean;
  latencyMs?: string;
  unknownRate?: string;
  http500Rate?: string;
  timeoutRate?: string;
  dropAfterCommitRate?: string;
  seed?: string;
}

const FAULT_FLAGS = [
  ['latencyMs', '--latency-ms <ms>', 'delay every API request by this many ms'],
  ['unknownRate', '--unknown-rate <0..1>', 'share of requests answered U UNKNOWN_EXCEPTION (not applied)'],
  ['http500Rate', '--http500-rate <0..1>', 'share of requests answered HTTP 500 (not applied)'],
  ['timeoutRate', '--timeout-rate <0..1>', 'share of requests never answered (not applied)'],
  [
    'dropAfterCommitRate',
    '--drop-after-commit-rate <0..1>',
    'share of requests applied, then dropped unanswered',
  ],
  ['seed', '--seed <n>', 'seed of the fault dice (default 1)'],
] as const;

function faultConfig(flags: SandboxFlags, env: NodeJS.ProcessEnv): FaultConfig {
  const merged: Record<string, unknown> = { ...faultsFromEnv(env) };
  for (const [name, flag] of FAULT_FLAGS) {
    const text = flags[name];
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() === '' || Number.isNaN(value)) {
      throw new IpassError('SANDBOX_FAULTS_INVALID', `${flag.split(' ')[0]} needs a number, not "${text}".`, {
        hint: 'Rates are fractions from 0 to 1 (e.g. --unknown-rate 0.1); latency is in milliseconds (e.g. --latency-ms 20).',
      });
    }
    merged[name] = value;
  }
  return parseFaultConfig(merged);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new IpassError(
      'SANDBOX_BAD_PORT',
      `--port must be a whole number from 0 to 65535, not "${text}".`,
      {
        hint: 'Use --port 0 to pick any free port.',
      },
    );
  }
  return port;
}

/** A path as the user should type it into the config: relative to cwd when inside it. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function waitForStop(): Promise<string> {
  return new Promise((done) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const sandboxCommand: CommandFactory = (ctx) => {
  const command = new Command('sandbox')
    .description('Run the iPass emulator (the embedded sandbox) as a standalone HTTP server until stopped.')
    .option('--port <n>', `port to listen on; 0 picks a free one`, String(DEFAULT_SANDBOX_PORT))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'folder for the sandbox keys, ids and journal', DEFAULT_SANDBOX_DATA)
    .option('--json', 'print one JSON line (url, clientId, merchantId, key paths) and nothing else');
  for (const [, flag, help] of FAULT_FLAGS) command.addOption(new Option(flag, help));
  command.addCommand(sandboxTemplateCommand(ctx));

  return command.action(async (flags: SandboxFlags) => {
    const { io } = ctx;
    const port = parsePort(flags.port);
    const faults = faultConfig(flags, io.env);
    const dir = resolve(io.cwd, flags.data);
    const identity = await ensureSandboxIdentity(dir);
    const sandbox = await startSandbox({
      host: flags.host,
      port,
      dataDir: join(dir, 'data'),
      identity,
      faults,
    });
    const stopped = waitForStop();

    const facts = {
      url: sandbox.url,
      clientId: identity.clientId,
      merchantId: identity.merchantId,
      keyVersion: identity.keyVersion,
      privateKeyPath: identity.clientPrivateKeyPath,
      publicKeyPath: identity.clientPublicKeyPath,
      sandboxPublicKeyPath: identity.sandboxPublicKeyPath,
      dataDir: join(dir, 'data'),
    };
    if (flags.json) {
      writeLine(io.stdout, JSON.stringify(facts));
    } else {
      const out = (text = ''): void => writeLine(io.stdout, text);
      out(`${paint(io, 'green', 'iPass sandbox')} listening on ${paint(io, 'bold', sandbox.url)}`);
      out(`  client id       ${identity.clientId}`);
      out(`  merchant id     ${identity.merchantId}`);
      out(`  private key     ${shown(io.cwd, facts.privateKeyPath)}   (sign requests with this)`);
      out(`  sandbox key     ${shown(io.cwd, facts.sandboxPublicKeyPath)}   (verify responses with this)`);
      out(`  data            ${shown(io.cwd, facts.dataDir)}`);
      out(`  inspect         ${sandbox.url}/__sandbox/templates`);
      out();
      out('Add this to ipass.config.yaml to use it:');
      out();
      out('environments:');
      out('  local-sandbox:');
      out(`    endpoint: ${sandbox.url}`);
      out(`    clientId: ${identity.clientId}`);
      out(`    merchantId: "${identity.merchantId}"`);
      out(`    privateKey: file:${shown(io.cwd, facts.privateKeyPath)}`);
      out(`    alipayPublicKey: file:${shown(io.cwd, facts.sandboxPublicKeyPath)}`);
      out(`    keyVersion: ${identity.keyVersion}`);
      out();
      out('Press Ctrl-C to stop.');
    }
    const signal = await stopped;
    await sandbox.close();
    if (!flags.json) writeLine(io.stderr, `sandbox stopped (${signal})`);
    ctx.exit(0);
  });
};
