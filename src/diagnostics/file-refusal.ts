// Why a file named by a config or campaign file was not read (see config/project-root.ts), in words
// and codes for diagnostics. Pure.
import type { ErrorCode } from './error-codes.js';

export type OutsideProblem = { code: 'PATH_OUTSIDE_PROJECT'; message: string; hint: string };

export type FileRefusal =
  | { kind: 'missing' }
  | { kind: 'folder' }
  | { kind: 'not-regular'; what: string }
  | { kind: 'too-large'; size: number; max: number }
  | { kind: 'unreadable'; code: string };

/** A refusal in words, for messages: "is a named pipe (FIFO), not a regular file". */
export function describeRefusal(r: FileRefusal): string {
  switch (r.kind) {
    case 'missing':
      return 'does not exist';
    case 'folder':
      return 'is a folder, not a file';
    case 'not-regular':
      return `is ${r.what}, not a regular file`;
    case 'too-large':
      return `has ${mib(r.size)}; at most ${mib(r.max)} is read`;
    case 'unreadable':
      return `cannot be read (${r.code})`;
  }
}

/** The diagnostic code of a refusal. */
export function refusalCode<C extends ErrorCode>(
  r: FileRefusal,
  notFound: C,
): C | 'FILE_NOT_REGULAR' | 'FILE_TOO_LARGE' {
  if (r.kind === 'not-regular') return 'FILE_NOT_REGULAR';
  if (r.kind === 'too-large') return 'FILE_TOO_LARGE';
  return notFound;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
