// The addresses a state file manages, read without locking (for offline checks such as validate).
// A missing or unreadable state means "nothing exists yet".
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export function stateFilePath(stateDir: string, environment: string): string {
  return join(stateDir, `${environment}.state.json`);
}

export async function readStateAddresses(stateDir: string, environment: string): Promise<Set<string>> {
  try {
    const parsed = JSON.parse(await readFile(stateFilePath(stateDir, environment), 'utf8')) as {
      templates?: Record<string, unknown>;
    };
    return new Set(Object.keys(parsed.templates ?? {}));
  } catch {
    return new Set();
  }
}
