// The git facts a run records and the rollback guard needs: the commit checked out (and whether the
// tree has uncommitted changes), and whether one commit descends from another, deepening a shallow
// clone from its own remote when it must. git runs with an argument list (never a shell) and a
// timeout; what it prints is untrusted and checked before use.
import { execFile } from 'node:child_process';

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const QUICK_MS = 10_000;
const FETCH_MS = 120_000;

export interface GitHead {
  commit: string;
  dirty: boolean;
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run git in `cwd`; a git that is missing, times out or is killed gives code -1. */
function git(cwd: string, args: readonly string[], timeout = QUICK_MS): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        timeout,
        maxBuffer: 4 * 1024 * 1024,
        windowsHide: true,
        // Never wait for a password or passphrase: a fetch that needs one fails, and apply says why.
        env: {
          GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_OPTIONAL_LOCKS: '0',
          LC_ALL: 'C',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export function isCommitId(value: string): boolean {
  return COMMIT.test(value);
}

/**
 * The commit checked out in `cwd` and whether the tree differs from it; otherwise why there is
 * none (no git, not a repository, no commit yet, or git's own first line, such as "dubious ownership").
 */
export async function gitHead(cwd: string): Promise<GitHead | { why: string }> {
  const head = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const commit = head.stdout.trim();
  if (head.code !== 0 || !isCommitId(commit)) {
    const said = head.stderr.trim().split('\n')[0] ?? '';
    if (head.code === -1) return { why: 'git is not installed, or did not answer' };
    if (said === '' || /not a git repository/i.test(said))
      return { why: 'not in a git repository with a commit' };
    return { why: `git says: ${said.slice(0, 200)}` };
  }
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=normal']);
  return { commit, dirty: status.code !== 0 || status.stdout.trim() !== '' };
}

export type Ancestry = 'descendant' | 'not-descendant' | 'unknown';

async function isShallow(cwd: string): Promise<boolean> {
  const r = await git(cwd, ['rev-parse', '--is-shallow-repository']);
  return r.stdout.trim() === 'true';
}

/** 0 yes, 1 no; anything else (an unknown commit) is not an answer. */
async function ancestorCode(cwd: string, older: string, newer: string): Promise<number> {
  return (await git(cwd, ['merge-base', '--is-ancestor', older, newer])).code;
}

/**
 * Whether `head` is `last` or descends from it. In a shallow clone that cannot tell, the history
 * is fetched from the clone's own remote (deepened, then unshallowed) before deciding.
 */
export async function gitAncestry(cwd: string, last: string, head: string): Promise<Ancestry> {
  if (!isCommitId(last) || !isCommitId(head)) return 'unknown';
  const decide = async (): Promise<Ancestry | undefined> => {
    const code = await ancestorCode(cwd, last, head);
    if (code === 0) return 'descendant';
    // A complete clone has every ancestor of HEAD: a commit it lacks, or does not reach, is none.
    if (!(await isShallow(cwd))) return code === 1 || code === 128 ? 'not-descendant' : 'unknown';
    return undefined;
  };
  const first = await decide();
  if (first) return first;
  for (const deepen of [['--deepen=1000'], ['--unshallow']]) {
    await git(cwd, ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', ...deepen], FETCH_MS);
    const now = await decide();
    if (now) return now;
  }
  return 'unknown';
}
