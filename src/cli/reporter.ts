// Apply progress. On a TTY: a listr2 task list (one task per change, or one per action with counts
// for large plans, plus one per pass batch). Elsewhere (CI, pipes): plain lines, no animation.
import { Listr } from 'listr2';
import type { ChangeOutcome } from '../apply/outcomes.js';
import type { ApplyHooks } from '../apply/run-apply.js';
import { formatCount } from '../plan/format-values.js';
import type { Plan, TemplateChange } from '../plan/plan-types.js';
import { describeAction, SYMBOLS } from '../plan/render-text.js';
import { type Io, paint, writeLine } from './io.js';

export interface PassProgress {
  address: string;
  issued: number;
  failed: number;
  remaining: number;
  perSecond: number;
}

export interface Reporter {
  hooks: ApplyHooks;
  passProgress(p: PassProgress): void;
  /** Start showing progress for a plan that is about to be carried out. */
  begin(plan: Plan): void;
  end(): Promise<void>;
}

const PER_CHANGE_LIMIT = 30;
const PLAIN_PASS_INTERVAL_MS = 2000;

function outcomeLine(io: Io, c: TemplateChange, o: ChangeOutcome): string {
  if (o.status === 'done')
    return `${paint(io, 'green', '✓')} ${SYMBOLS[c.action]} ${c.address}  ${describeAction(c)}`;
  if (o.status === 'skipped') return `${paint(io, 'yellow', '…')} ${c.address}  not started (stopping)`;
  const f = o.failure;
  const verdict = o.status === 'in-doubt' ? 'outcome unknown' : 'failed';
  return `${paint(io, 'red', '✗')} ${c.address}  ${c.action} ${verdict}: ${f?.code ?? ''} ${f?.message ?? ''}`.trimEnd();
}

export function createReporter(io: Io): Reporter {
  return io.color && io.interactive ? listrReporter(io) : plainReporter(io);
}

function plainReporter(io: Io): Reporter {
  const lastPrinted = new Map<string, number>();
  return {
    hooks: {
      notice: (text) => writeLine(io.stdout, text),
      changeFinished: (c, o) => writeLine(io.stdout, `  ${outcomeLine(io, c, o)}`),
    },
    passProgress(p) {
      const now = Date.now();
      const last = lastPrinted.get(p.address) ?? 0;
      if (p.remaining > 0 && now - last < PLAIN_PASS_INTERVAL_MS) return;
      lastPrinted.set(p.address, now);
      writeLine(
        io.stdout,
        `  ${p.address}: ${formatCount(p.issued)} issued, ${formatCount(p.failed)} failed, ${formatCount(p.remaining)} remaining (${formatCount(Math.round(p.perSecond))}/s)`,
      );
    },
    begin(plan) {
      const n = plan.changes.filter((c) => c.action !== 'noop').length;
      if (n > 0 || plan.summary.passes > 0) writeLine(io.stdout, `Applying to ${plan.environment}:`);
    },
    async end() {},
  };
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function listrReporter(io: Io): Reporter {
  const notices: string[] = [];
  let running: Promise<unknown> | undefined;
  const perChange = new Map<string, { done: Deferred; outcome?: ChangeOutcome }>();
  const groups = new Map<
    string,
    { total: number; done: number; failed: number; finished: Deferred; update?: () => void }
  >();
  const batches = new Map<string, { finished: Deferred; update?: (p: PassProgress) => void }>();
  let grouped = false;

  return {
    hooks: {
      notice: (text) => {
        if (running) notices.push(text);
        else writeLine(io.stdout, text);
      },
      changeFinished: (c, o) => {
        if (!grouped) {
          const entry = perChange.get(c.address);
          if (entry) {
            entry.outcome = o;
            entry.done.resolve();
          }
          return;
        }
        const g = groups.get(c.action);
        if (!g) return;
        g.done++;
        if (o.status !== 'done') g.failed++;
        g.update?.();
        if (g.done === g.total) g.finished.resolve();
      },
    },
    passProgress(p) {
      const b = batches.get(p.address);
      b?.update?.(p);
      if (b && p.remaining === 0) b.finished.resolve();
    },
    begin(plan) {
      const active = plan.changes.filter((c) => c.action !== 'noop');
      grouped = active.length > PER_CHANGE_LIMIT;
      const tasks: {
        title: string;
        task: (ctx: unknown, task: { title: string; output: string }) => Promise<void>;
      }[] = [];
      if (!grouped) {
        for (const c of active) {
          const done = deferred();
          const entry: { done: Deferred; outcome?: ChangeOutcome } = { done };
          perChange.set(c.address, entry);
          tasks.push({
            title: `${SYMBOLS[c.action]} ${c.address}  ${describeAction(c)}`,
            task: async (_ctx, task) => {
              await done.promise;
              const o = entry.outcome;
              if (!o || o.status === 'done') return;
              task.title = `${c.address}  ${c.action}`;
              throw new Error(
                o.status === 'skipped'
                  ? 'not started (stopping)'
                  : `${o.failure?.code ?? ''}: ${o.failure?.message ?? ''}`,
              );
            },
          });
        }
      } else {
        for (const c of active) {
          const g = groups.get(c.action) ?? { total: 0, done: 0, failed: 0, finished: deferred() };
          g.total++;
          groups.set(c.action, g);
        }
        for (const [action, g] of groups) {
          tasks.push({
            title: `${action}: 0 / ${formatCount(g.total)}`,
            task: async (_ctx, task) => {
              g.update = () => {
                task.title = `${action}: ${formatCount(g.done)} / ${formatCount(g.total)}${g.failed ? `, ${formatCount(g.failed)} failed` : ''}`;
              };
              await g.finished.promise;
            },
          });
        }
      }
      for (const b of plan.passBatches.filter((x) => x.action === 'issue')) {
        const finished = deferred();
        const entry: { finished: Deferred; update?: (p: PassProgress) => void } = { finished };
        batches.set(b.address, entry);
        tasks.push({
          title: `+ ${b.address}  issue ${formatCount(b.toIssue)} passes`,
          task: async (_ctx, task) => {
            entry.update = (p) => {
              task.output = `${formatCount(p.issued)} issued, ${formatCount(p.failed)} failed, ${formatCount(p.remaining)} remaining, ${formatCount(Math.round(p.perSecond))}/s`;
            };
            await finished.promise;
          },
        });
      }
      if (tasks.length === 0) return;
      running = new Listr(tasks, {
        concurrent: true,
        exitOnError: false,
        rendererOptions: { collapseSubtasks: false },
      }).run();
    },
    async end() {
      for (const e of perChange.values()) e.done.resolve();
      for (const g of groups.values()) g.finished.resolve();
      for (const b of batches.values()) b.finished.resolve();
      if (running) await running.catch(() => undefined);
      for (const n of notices) writeLine(io.stdout, n);
    },
  };
}
