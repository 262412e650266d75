// Drives yaml-language-server (the engine of VS Code's YAML extension and of most editors' YAML
// support) over stdio the way an editor does: initialize on a workspace folder, send the workspace's
// `yaml.*` settings, open a file, and collect the diagnostics the server publishes for it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SERVER = fileURLToPath(
  new URL('../../node_modules/yaml-language-server/bin/yaml-language-server', import.meta.url),
);

export interface LspDiagnostic {
  message: string;
  range: { start: { line: number; character: number } };
}

type Message = { id?: number; method?: string; params?: unknown; result?: unknown };

export class YamlLanguageServer {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private readonly published = new Map<string, LspDiagnostic[][]>();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly settings: Record<string, unknown>) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  /** A server initialized on `folder` with the workspace settings an editor would send. */
  static async start(folder: string, settings: Record<string, unknown>): Promise<YamlLanguageServer> {
    const server = new YamlLanguageServer(settings);
    const uri = pathToFileURL(folder).href;
    await server.request('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'project' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
    });
    server.notify('initialized', {});
    server.notify('workspace/didChangeConfiguration', { settings: { yaml: settings } });
    return server;
  }

  /** Open a file and wait until the server publishes diagnostics for it that satisfy `until`. */
  async diagnostics(
    path: string,
    text: string,
    until: (d: LspDiagnostic[]) => boolean,
  ): Promise<LspDiagnostic[]> {
    const uri = pathToFileURL(path).href;
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return new Promise((resolve) => {
      const check = (): void => {
        const found = this.published.get(uri)?.find(until);
        if (!found) return;
        this.listeners.delete(check);
        resolve(found);
      };
      this.listeners.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  private notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: Record<string, unknown>): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin?.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin?.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(message);
    }
  }

  private handle(m: Message): void {
    if (m.method === undefined && m.id !== undefined) {
      this.waiting.get(m.id)?.(m.result);
      this.waiting.delete(m.id);
      return;
    }
    if (m.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = m.params as { uri: string; diagnostics: LspDiagnostic[] };
      this.published.set(uri, [...(this.published.get(uri) ?? []), diagnostics]);
      for (const listener of [...this.listeners]) listener();
      return;
    }
    if (m.id !== undefined) {
      // Requests from the server: settings per section asked, nothing else needs an answer.
      const items = (m.params as { items?: { section?: string }[] } | undefined)?.items;
      const result =
        m.method === 'workspace/configuration'
          ? (items ?? []).map((i) => (i.section === 'yaml' ? this.settings : null))
          : null;
      this.send({ jsonrpc: '2.0', id: m.id, result });
    }
  }
}

/** The workspace's yaml.* settings as VS Code sends them, plus no schema store (no network here). */
export function workspaceYamlSettings(dir: string): Record<string, unknown> {
  const settings = JSON.parse(readFileSync(join(dir, '.vscode/settings.json'), 'utf8'));
  return { schemas: settings['yaml.schemas'], validate: true, schemaStore: { enable: false } };
}

/** A campaign (the example by default) with a stock the schema refuses, for a file at `path` (relative to dir). */
export function brokenCampaign(
  dir: string,
  path: string,
  header = '',
  from = 'campaigns/example.yaml',
): { file: string; text: string } {
  const example = readFileSync(join(dir, from), 'utf8');
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  const text = `${header}${example.replace(/stock: \d+/, 'stock: lots')}`;
  writeFileSync(file, text);
  return { file, text };
}
