// Apply progress on a terminal: a listr2 task list, one task per change (or, for large plans, one per
// action with counts), plus one per pass batch with its counts; notices wait until the list is done.
import { Listr } from 'listr2';
import type { ChangeOutcome } from '../apply/outcomes.js';
import { formatCount } from '../plan/format-values.js';
import type { Plan, TemplateChange } from '../plan/plan-types.js';
import { describeAction, SYMBOLS } from '../plan/render-text.js';
import { type Io, writeLine } from './io.js';
import type { PassProgress, Reporter } from './reporter-types.js';

const PER_CHANGE_LIMIT = 30;

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

type Task = {
  title: string;
  task: (ctx: unknown, task: { title: string; output: string }) => Promise<void>;
};

interface Group {
  total: number;
  done: number;
  failed: number;
  finished: Deferred;
  update?: () => void;
}

export class TaskListReporter implements Reporter {
  private readonly notices: string[] = [];
  private running: Promise<unknown> | undefined;
  private readonly perChange = new Map<string, { done: Deferred; outcome?: ChangeOutcome }>();
  private readonly groups = new Map<string, Group>();
  private readonly batches = new Map<string, { finished: Deferred; update?: (p: PassProgress) => void }>();
  private grouped = false;
  readonly hooks: Reporter['hooks'];

  constructor(private readonly io: Io) {
    this.hooks = {
      notice: (text) => {
        if (this.running) this.notices.push(text);
        else writeLine(io.stdout, text);
      },
      changeFinished: (c, o) => this.changeFinished(c, o),
    };
  }

  passProgress(p: PassProgress): void {
    const b = this.batches.get(p.address);
    b?.update?.(p);
    if (b && p.remaining === 0) b.finished.resolve();
  }

  begin(plan: Plan): void {
    const active = plan.changes.filter((c) => c.action !== 'noop');
    this.grouped = active.length > PER_CHANGE_LIMIT;
    const tasks = [
      ...(this.grouped ? this.groupTasks(active) : this.changeTasks(active)),
      ...this.batchTasks(plan),
    ];
    if (tasks.length === 0) return;
    this.running = new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      rendererOptions: { collapseSubtasks: false },
    }).run();
  }

  async end(): Promise<void> {
    for (const e of this.perChange.values()) e.done.resolve();
    for (const g of this.groups.values()) g.finished.resolve();
    for (const b of this.batches.values()) b.finished.resolve();
    if (this.running) await this.running.catch(() => undefined);
    for (const n of this.notices) writeLine(this.io.stdout, n);
  }

  private changeFinished(c: TemplateChange, o: ChangeOutcome): void {
    if (!this.grouped) {
      const entry = this.perChange.get(c.address);
      if (entry) {
        entry.outcome = o;
        entry.done.resolve();
      }
      return;
    }
    const g = this.groups.get(c.action);
    if (!g) return;
    g.done++;
    if (o.status !== 'done') g.failed++;
    g.update?.();
    if (g.done === g.total) g.finished.resolve();
  }

  /** One task per change, failing with its code and message when the change did not succeed. */
  private changeTasks(active: readonly TemplateChange[]): Task[] {
    return active.map((c) => {
      const done = deferred();
      const entry: { done: Deferred; outcome?: ChangeOutcome } = { done };
      this.perChange.set(c.address, entry);
      return {
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
      };
    });
  }

  /** One task per action, counting the changes done and failed. */
  private groupTasks(active: readonly TemplateChange[]): Task[] {
    for (const c of active) {
      const g = this.groups.get(c.action) ?? { total: 0, done: 0, failed: 0, finished: deferred() };
      g.total++;
      this.groups.set(c.action, g);
    }
    return [...this.groups].map(([action, g]) => ({
      title: `${action}: 0 / ${formatCount(g.total)}`,
      task: async (_ctx, task) => {
        g.update = () => {
          task.title = `${action}: ${formatCount(g.done)} / ${formatCount(g.total)}${g.failed ? `, ${formatCount(g.failed)} failed` : ''}`;
        };
        await g.finished.promise;
      },
    }));
  }

  /** One task per pass batch to issue, its counts as output. */
  private batchTasks(plan: Plan): Task[] {
    return plan.passBatches
      .filter((x) => x.action === 'issue')
      .map((b) => {
        const finished = deferred();
        const entry: { finished: Deferred; update?: (p: PassProgress) => void } = { finished };
        this.batches.set(b.address, entry);
        return {
          title: `+ ${b.address}  issue ${formatCount(b.toIssue)} passes`,
          task: async (_ctx, task) => {
            entry.update = (p) => {
              task.output = `${formatCount(p.issued)} issued, ${formatCount(p.failed)} failed, ${formatCount(p.remaining)} remaining, ${formatCount(Math.round(p.perSecond))}/s`;
            };
            await finished.promise;
          },
        };
      });
  }
}
