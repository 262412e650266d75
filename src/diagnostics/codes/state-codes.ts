// Codes of the state and where it is kept: its content (damaged, missing, another environment), the
// storage under it (files, PostgreSQL), the lock, `state` commands, and the sandbox's own data.
import { diagnostic, type ErrorCodeInfo, error } from './code-info.js';

const storage = (meaning: string): ErrorCodeInfo => error('storage', meaning);

export const STATE_CODES = {
  STATE_CORRUPT: error(
    'state',
    'The state is damaged (not the state format), so nothing is planned from it.',
  ),
  STATE_MISSING: error('state', 'The state file is gone while its backup is there.'),
  STATE_WRONG_ENVIRONMENT: error('state', 'The state file belongs to another environment.'),
  JOURNAL_CORRUPT: error('state', 'The journal of an interrupted apply is damaged before its last record.'),
  PASS_LEDGER_CORRUPT: error('state', 'A pass ledger is damaged before its last line.'),
  STATE_NOT_READ: diagnostic(
    'state',
    '`ipass validate` could not read the state, so it checks every template as new.',
  ),
  STATE_NO_ADDRESS: error('state', 'A `state` command names an address the state does not have.'),
  STATE_APPLY_UNFINISHED: error('state', 'A `state` command found an interrupted apply to finish first.'),
  HISTORY_RUN_UNKNOWN: error(
    'state',
    '`ipass history show` names a run the history of the environment lacks.',
  ),
  HISTORY_WRITE_FAILED: error(
    'state',
    'A run could not be added to the run history (a warning: the outcome of the run stands).',
  ),
  IMPORT_NOT_DECLARED: error('state', '`state import` names an address no campaign file declares.'),
  IMPORT_ADDRESS_TAKEN: error('state', '`state import` names an address that manages a template already.'),
  IMPORT_CODE_TAKEN: error('state', '`state import` names a template managed at another address.'),
  IMPORT_NOT_FOUND: error('state', '`state import` names a template the API does not know.'),
  MIGRATE_NO_SOURCE: error('state', '`state migrate` found no state of the environment in the folder.'),
  MIGRATE_SAME_PLACE: error(
    'state',
    "`state migrate` was given the folder the environment's state lives in now.",
  ),
  MIGRATE_IN_DOUBT: error(
    'state',
    'The state to migrate has requests in doubt; finish them with the old backend.',
  ),
  MIGRATE_TARGET_UNFINISHED: error('state', 'The backend migrated to has an interrupted apply to finish.'),
  MIGRATE_LINEAGE_MISMATCH: error('state', 'The backend migrated to holds another state of the environment.'),
  MIGRATE_OLDER_SERIAL: error('state', 'The backend migrated to holds a newer state than the folder.'),
  MIGRATE_FORKED: error('state', 'The backend and the folder hold the same serial with different contents.'),

  DISK_FULL: storage('A write failed: the disk (or the quota) is full.'),
  FILE_READ_ONLY: storage('A write failed: the file system is read-only.'),
  FILE_PERMISSION_DENIED: storage('A file operation was not permitted.'),
  FILE_IS_FOLDER: storage('A folder is where a file should be, or a file where a folder should be.'),
  TOO_MANY_OPEN_FILES: storage('The process or the system has too many files open.'),
  FILE_IO_ERROR: storage('The disk reported an input/output error.'),
  FILE_ERROR: storage('A file operation failed for another reason the system named.'),
  STATE_UNREADABLE: storage('The state file exists but cannot be read.'),
  STATE_CONFLICT: storage('The state was changed by someone else while this run held the lock.'),
  STATE_DB_URL_INVALID: storage(
    'The state database URL is not a postgres:// URL, or one the driver would misread (percent-encode the password).',
  ),
  STATE_DB_UNREACHABLE: storage('The state database cannot be reached.'),
  STATE_DB_AUTH_FAILED: storage('The state database refused the login.'),
  STATE_DB_NOT_FOUND: storage('The database named in the state URL does not exist.'),
  STATE_DB_PERMISSION: storage('The state database user may not create or use the tables ipass needs.'),
  STATE_DB_TLS: storage('TLS with the state database failed.'),
  STATE_DB_NEWER: storage('The state tables were made by a newer ipass.'),
  STATE_DB_LOST: storage('The connection to the state database was lost.'),
  STATE_DB_ERROR: storage('The state database refused a statement for another reason.'),
  LOCK_LOST: storage(
    'The lock file of this run was removed (`state unlock --force`) while it ran; it writes and sends nothing more.',
  ),

  LOCK_HELD: error('lock', 'Another run holds the lock of this environment.'),
  UNLOCK_NEEDS_FORCE: error('lock', '`state unlock` was run without `--force`.'),
  UNLOCK_WRONG_ID: error(
    'lock',
    "`state unlock` names a lock id that is not the current holder's (the lock is free, or held by another run).",
  ),
  UNLOCK_HOLDER_ALIVE: error(
    'lock',
    '`state unlock --force` on files: the holder still runs (or runs on another host); removing its lock takes `--even-if-alive`.',
  ),
  UNLOCK_NOT_PERMITTED: error(
    'lock',
    "`state unlock` may not end the holder's database session: the role needs `pg_signal_backend` (or to be the holder's role).",
  ),

  SANDBOX_BAD_PORT: error('sandbox', '`ipass sandbox --port` is not a port number.'),
  SANDBOX_LISTEN_FAILED: error('sandbox', 'The sandbox could not listen on its host and port.'),
  SANDBOX_DATA_LOCKED: error('sandbox', "Another sandbox process uses this sandbox's data folder."),
  SANDBOX_IDENTITY_BUSY: error(
    'sandbox',
    "The sandbox's identity (keys, ids) is still being created by another process.",
  ),
  SANDBOX_IDENTITY_UNREADABLE: error('sandbox', "The sandbox's identity (keys, ids) cannot be read."),
  SANDBOX_JOURNAL_CORRUPT: error('sandbox', "The sandbox's data journal is damaged."),
  SANDBOX_FAULTS_INVALID: error('sandbox', 'A sandbox fault configuration is not valid.'),
  SANDBOX_CONSOLE_FILE_INVALID: error(
    'sandbox',
    '`ipass sandbox template create` was given a file that holds no templates it can read.',
  ),
  SANDBOX_CONSOLE_NOT_SANDBOX: error(
    'sandbox',
    '`ipass sandbox template create` points at something that is not a sandbox on this machine.',
  ),
  SANDBOX_CONSOLE_UNREACHABLE: error(
    'sandbox',
    '`ipass sandbox template create` found no sandbox at the URL.',
  ),
  SANDBOX_CONSOLE_REFUSED: error(
    'sandbox',
    "The sandbox's console route refused a template; none was created.",
  ),
} satisfies Record<string, ErrorCodeInfo>;
