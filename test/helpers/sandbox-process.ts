// A standalone sandbox (`ipass sandbox --port 0 --json`) in its own process, so a test can kill the
// CLI and still ask the emulator what it holds (GET /__sandbox/...).
import type { ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { spawnCli } from './cli.js';

export interface SandboxInfo {
  url: string;
  clientId: string;
  merchantId: string;
  privateKeyPath: string;
  sandboxPublicKeyPath: string;
  dataDir: string;
}

export interface SandboxProcess {
  info: SandboxInfo;
  child: ChildProcess;
  get<T = unknown>(path: string): Promise<T>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandboxProcess(
  dataDir: string,
  cwd: string,
  extraArgs: readonly string[] = [],
): Promise<SandboxProcess> {
  const { child, done } = spawnCli(['sandbox', '--port', '0', '--data', dataDir, '--json', ...extraArgs], {
    cwd,
  });
  const info = await new Promise<SandboxInfo>((resolve, reject) => {
    let buffer = '';
    const onData = (d: Buffer): void => {
      buffer += d.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        child.stdout?.off('data', onData);
        try {
          resolve(JSON.parse(line) as SandboxInfo);
        } catch (error) {
          reject(error);
        }
      }
    };
    child.stdout?.on('data', onData);
    done.then((r) => reject(new Error(`sandbox exited early (${r.code}): ${r.stderr}`)), reject);
  });
  const get = async <T>(path: string): Promise<T> => {
    const res = await request(`${info.url}${path}`);
    return (await res.body.json()) as T;
  };
  return {
    info,
    child,
    get,
    async setFaults(faults) {
      const res = await request(`${info.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
      if (res.statusCode !== 200) throw new Error(`setting faults failed: ${await res.body.text()}`);
      await res.body.dump();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await done;
    },
  };
}

export interface SandboxTemplate {
  templateCode: string;
  requestId: string;
  status: string;
  stock: number;
  availableStock: number;
  codeType: string;
  content: Record<string, unknown>;
}

export async function sandboxTemplates(sandbox: SandboxProcess): Promise<SandboxTemplate[]> {
  return (await sandbox.get<{ templates: SandboxTemplate[] }>('/__sandbox/templates')).templates;
}
