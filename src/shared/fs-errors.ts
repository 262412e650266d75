// File-system failures (a full disk, a read-only folder, missing permissions, a folder where a file
// should be, too many open files) as coded errors that name the path, what happened and what to do.
import type { ErrorCode } from '../diagnostics/error-codes.js';
import { IpassError } from '../diagnostics/errors.js';

const WHAT: Readonly<Record<string, { code: ErrorCode; happened: string; fix: string }>> = {
  ENOSPC: {
    code: 'DISK_FULL',
    happened: 'the disk is full',
    fix: 'Free some space on that disk (or point stateDir at another one)',
  },
  EDQUOT: {
    code: 'DISK_FULL',
    happened: 'the disk quota is used up',
    fix: 'Free some space within your quota',
  },
  EROFS: {
    code: 'FILE_READ_ONLY',
    happened: 'the file system is read-only',
    fix: 'Run ipass where the state folder can be written',
  },
  EACCES: {
    code: 'FILE_PERMISSION_DENIED',
    happened: 'permission was denied',
    fix: 'Give the user running ipass write access to it',
  },
  EPERM: {
    code: 'FILE_PERMISSION_DENIED',
    happened: 'the operation is not permitted',
    fix: 'Give the user running ipass write access to it',
  },
  EISDIR: {
    code: 'FILE_IS_FOLDER',
    happened: 'a folder is in the way where a file should be',
    fix: 'Move that folder aside',
  },
  ENOTDIR: {
    code: 'FILE_IS_FOLDER',
    happened: 'a file is in the way where a folder should be',
    fix: 'Move that file aside',
  },
  EMFILE: {
    code: 'TOO_MANY_OPEN_FILES',
    happened: 'the process has too many files open',
    fix: 'Raise the limit (ulimit -n)',
  },
  ENFILE: {
    code: 'TOO_MANY_OPEN_FILES',
    happened: 'the system has too many files open',
    fix: 'Close other programs or raise the system limit',
  },
  EIO: {
    code: 'FILE_IO_ERROR',
    happened: 'the disk reported an input/output error',
    fix: 'Check the disk',
  },
};

/** True for an error raised by a file-system call (it has an errno code). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}

/**
 * A coded error for a failed file-system call on `path` while trying to `doing` ("write the state").
 * Anything that is not a file-system error is returned as it is (a bug stays a bug).
 */
export function fileSystemError(error: unknown, path: string, doing: string, afterwards?: string): unknown {
  if (error instanceof IpassError || !isFileSystemError(error)) return error;
  const known = error.code ? WHAT[error.code] : undefined;
  return new IpassError(
    known?.code ?? 'FILE_ERROR',
    `Could not ${doing}: ${known?.happened ?? `the system said ${error.code}`} (${path}).`,
    {
      reason: afterwards ?? 'What was written before is intact.',
      hint: `${known?.fix ?? 'Check that path'}, then run the command again: ipass picks up where it stopped.`,
      details: { path, errno: error.code },
      cause: error,
    },
  );
}
