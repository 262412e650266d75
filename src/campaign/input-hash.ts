// inputHash: one sha256 over everything a plan is computed from — each campaign file (display path
// and bytes, sorted by path) and each referenced recipients file's bytes. Pure.
import { createHash } from 'node:crypto';

export interface HashedInput {
  /** Path as displayed. */
  display: string;
  /** sha256 (hex) of the file's bytes; undefined when it could not be read. */
  digest: string | undefined;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function combineInputHash(files: readonly HashedInput[], recipients: readonly HashedInput[]): string {
  const hash = createHash('sha256');
  const byPath = (a: HashedInput, b: HashedInput): number =>
    a.display < b.display ? -1 : a.display > b.display ? 1 : 0;
  for (const [kind, list] of [
    ['campaign', files],
    ['recipients', recipients],
  ] as const) {
    for (const f of [...list].sort(byPath))
      hash.update(`${kind}\0${f.display}\0${f.digest ?? 'unreadable'}\n`);
  }
  return hash.digest('hex');
}
