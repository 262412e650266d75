// The sandbox the CLI starts in-process for the `sandbox` environment: identity in <stateDir>/sandbox/,
// journal in <stateDir>/sandbox/data, any free port, faults from IPASS_SANDBOX_FAULTS (JSON).
import { join } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';
import { type FaultConfig, parseFaultConfig } from './faults.js';
import { ensureSandboxIdentity, type SandboxIdentity } from './identity.js';
import { type RunningSandbox, startSandbox } from './server.js';

export const FAULTS_ENV = 'IPASS_SANDBOX_FAULTS';

export interface EmbeddedSandboxOptions {
  /** Overrides IPASS_SANDBOX_FAULTS. */
  faults?: FaultConfig;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

export interface EmbeddedSandbox {
  sandbox: RunningSandbox;
  identity: SandboxIdentity;
}

/** The identity folder of a state folder's sandbox; its journal is the `data` folder inside. */
export function sandboxDir(stateDir: string): string {
  return join(stateDir, 'sandbox');
}

/** Faults from `IPASS_SANDBOX_FAULTS`, if set. */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): FaultConfig | undefined {
  const text = env[FAULTS_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IpassError('SANDBOX_FAULTS_INVALID', `${FAULTS_ENV} is not JSON.`, {
      hint: `Set it to a JSON object such as {"unknownRate":0.1,"seed":7}, or unset it.`,
    });
  }
  return parseFaultConfig(parsed);
}

export async function createEmbeddedSandbox(
  stateDir: string,
  options: EmbeddedSandboxOptions = {},
): Promise<EmbeddedSandbox> {
  const dir = sandboxDir(stateDir);
  const identity = await ensureSandboxIdentity(dir);
  const faults = options.faults ?? faultsFromEnv(options.env);
  const sandbox = await startSandbox({
    port: 0,
    dataDir: join(dir, 'data'),
    identity,
    ...(faults ? { faults } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { sandbox, identity };
}
