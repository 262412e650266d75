// What marketing ops see when a change touches customers: failure reasons after an apply, pass
// batches in `state list|show`, renames and removals (only `removed:` closes), the passes customers
// hold in every plan format, and plans that cannot be made. The built CLI against a standalone
// sandbox on 127.0.0.1; steps build on each other, in order.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type TemplateSpec, tempDir, templateYaml, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

const users = (ids: readonly string[]): string => `userId\n${ids.join('\n')}\n`;
const VALID = Array.from({ length: 10 }, (_, i) => String(2_160_000_000_000_100 + i));
/** The sandbox knows no user whose id starts 2999 (USER_NOT_EXIST). */
const UNKNOWN = ['2999000000000001', '2999000000000002'];

const batch = (template: string): string => `passes:
  gift:
    template: ${template}
    recipients: gift.csv
    type: COUPON
    product: GIFT_CARD
    codeInfo: { $codemsg$: "{{userId}}", $codevalue$: "{{userId}}" }
`;

describe('customer-facing plans and reports', () => {
  const dir = tempDir('customers');
  const file = join(dir, 'campaigns', 'promo.yaml');
  let sandbox: SandboxProcess;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });
  const write = (templates: Record<string, TemplateSpec>, extra = ''): void =>
    writeFileSync(
      file,
      [
        'campaign: promo',
        'templates:',
        ...Object.entries(templates).map(([k, t]) => templateYaml(k, t)),
        extra,
      ].join('\n'),
    );
  const requests = async (): Promise<number> => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    return Object.values(stats.requests ?? {}).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0);
  };
  const tea: TemplateSpec = { name: 'Tea *now* | <b>', stock: 50 };

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info, { timeoutMs: 15000 });
    mkdirSync(join(dir, 'campaigns'), { recursive: true });
    writeFileSync(join(dir, 'campaigns', 'gift.csv'), users([...VALID, ...UNKNOWN]));
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('apply names the failure reasons with counts, and the failures file', async () => {
    write({ latte: { name: 'Latte', stock: 100 }, tea }, batch('latte'));
    const r = await cli('apply', '--auto-approve');
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('Apply complete except for some recipients: 2 created, 10 passes issued.');
    expect(r.stderr).toContain(
      'promo/gift: 2 failed: USER_NOT_EXIST ×2 — AlipayHK knows no user with this userId / openId\n  every failed row, with what to do: .ipass/dev.passes/promo/gift.failures.csv',
    );
  });

  it('state list and show include the pass batch; dates in Hong Kong time; JSON keeps raw values', async () => {
    const list = await cli('state', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^promo\/latte +\d+ +valid +100 {2}2027-08-31 23:59 HKT$/m);
    expect(list.stdout).toMatch(/^PASS BATCH +TEMPLATE +ISSUED +FAILED +IN DOUBT$/m);
    expect(list.stdout).toMatch(/^promo\/gift +promo\/latte +10 +2 +0$/m);
    expect(list.stdout).toContain('2 templates, 1 pass batch');
    const rows = JSON.parse((await cli('state', 'list', '--format', 'json')).stdout);
    expect(rows.find((r: { address: string }) => r.address === 'promo/gift')).toMatchObject({
      kind: 'passBatch',
      templateAddress: 'promo/latte',
      issued: 10,
      failed: 2,
      inDoubt: 0,
    });
    const show = await cli('state', 'show', 'promo/gift');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(
      /^ {2}failed {7}2 \(latest failures: \.ipass\/dev\.passes\/promo\/gift\.failures\.csv\)$/m,
    );
    const template = await cli('state', 'show', 'promo/latte');
    expect(template.stdout).toContain('"startDate": "2027-06-01 00:00 HKT"');
    expect(template.stdout).toContain('file         campaigns/promo.yaml');
    const raw = JSON.parse((await cli('state', 'show', 'promo/latte', '--format', 'json')).stdout);
    expect(raw.spec.startDate).toBe(Date.parse('2027-06-01T00:00:00+08:00'));
  });

  it('a renamed key without moved: is refused, names the file and suggests moved:', async () => {
    const before = await requests();
    write({ 'latte-2027': { name: 'Latte', stock: 100 }, tea }, batch('latte-2027'));
    const plan = await cli('plan');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(
      'campaigns/promo.yaml:1:1: error TEMPLATE_MISSING_FROM_FILES: promo/latte (template',
    );
    expect(plan.stderr).toContain('it was last seen in campaigns/promo.yaml');
    expect(plan.stderr).toContain('add `moved: [{ from: promo/latte, to: promo/latte-2027 }]`');
    expect(plan.stdout).toContain('Looks like a rename of promo/latte (same content');
    expect((await cli('apply', '--auto-approve')).code).toBe(1);
    expect(await requests()).toBe(before);
  });

  it('with moved: the plan says the passes customers hold stay as they are', async () => {
    write(
      { 'latte-2027': { name: 'Latte', stock: 100 }, tea },
      `${batch('latte-2027')}moved:\n  - { from: promo/latte, to: promo/latte-2027 }\n`,
    );
    const plan = await cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /! Customers hold 10 passes of template \d+ \(issued through ipass\); a rename changes only ipass's records/,
    );
    expect((await cli('apply', '--auto-approve')).code).toBe(0); // the 2 unknown users are held back
  });

  it('an emptied file closes nothing: each template in it is a plan error', async () => {
    const before = await requests();
    writeFileSync(file, '');
    const plan = await cli('plan');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('warning CAMPAIGN_EMPTY');
    expect(plan.stderr.match(/error TEMPLATE_MISSING_FROM_FILES/g)).toHaveLength(2);
    expect((await cli('apply', '--auto-approve')).code).toBe(1);
    expect(await requests()).toBe(before);
    expect((await sandboxTemplates(sandbox)).map((t) => t.status)).toEqual(['valid', 'valid']);
  });

  it('plans on invalid files still print a document saying what to fix (json, markdown, github)', async () => {
    write({ 'latte-2027': { stock: 100, name: 'L'.repeat(51) }, tea });
    const json = await cli('plan', '--format', 'json');
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({
      formatVersion: 1,
      environment: 'dev',
      error: { code: 'CAMPAIGNS_INVALID' },
      diagnostics: [{ code: 'TEMPLATE_NAME_TOO_LONG', position: { file: 'campaigns/promo.yaml' } }],
    });
    const md = await cli('plan', '--format', 'markdown');
    expect(md.code).toBe(1);
    expect(md.stdout.split('\n')[0]).toBe(
      '**ipass plan** for `dev`: **no plan** — `CAMPAIGNS_INVALID` The campaign files have 1 error; nothing was sent.',
    );
    expect(md.stdout).toMatch(/^- error `TEMPLATE_NAME_TOO_LONG` campaigns\/promo\.yaml:\d+:\d+: /m);
    const gh = await cli('plan', '--format', 'github');
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(
      /^::error file=campaigns\/promo\.yaml,line=\d+,col=\d+,title=TEMPLATE_NAME_TOO_LONG::TEMPLATE_NAME_TOO_LONG: /m,
    );
    expect(gh.stdout.trimEnd().split('\n').at(-1)).toBe('No plan for dev: 1 error to fix first.');
  });

  it('removed: closes for good, and every format says how many passes customers hold', async () => {
    write({ tea }, 'removed:\n  - promo/latte-2027\n');
    const text = await cli('plan');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/- promo\/latte-2027 {2}close \d+ \(irreversible\)/);
    expect(text.stdout).toContain(
      "! Customers hold 10 passes of this template (issued through ipass); closing is permanent, and AlipayHK's documents do not say what happens to passes already issued (ipass does not withdraw them).",
    );
    const json = JSON.parse((await cli('plan', '--format', 'json')).stdout);
    expect(json.changes.find((c: { address: string }) => c.address === 'promo/latte-2027')).toMatchObject({
      action: 'close',
      irreversible: true,
      customerImpact: { passes: 10 },
      source: { file: 'campaigns/promo.yaml', line: 20 },
    });
    const md = (await cli('plan', '--format', 'markdown')).stdout;
    expect(md.split('\n')[0]).toBe('**ipass plan** for `dev`: 1 to close (⚠️ 1 irreversible).');
    // The first row, marked; the template code is not in the Action column.
    expect(md.split('\n')[4]).toMatch(
      /^\| ⚠️ - \| `promo\/latte-2027` \| \*\*close \(irreversible\)\*\* \| \*\*Customers hold 10 passes/,
    );
    const gh = (await cli('plan', '--format', 'github')).stdout;
    expect(gh).toMatch(
      /^::warning file=campaigns\/promo\.yaml,line=20,col=5,title=PLAN_IRREVERSIBLE::PLAN_IRREVERSIBLE: promo\/latte-2027: close \d+ \(irreversible\)\. Customers hold 10 passes/m,
    );
    expect(gh.trimEnd().split('\n').at(-1)).toBe('Plan for dev: 1 to close (1 irreversible).');

    const apply = await cli('apply', '--auto-approve');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 1 closed.');
    expect((await sandboxTemplates(sandbox)).map((t) => t.status).sort()).toEqual(['closed', 'valid']);
    // Done: the entry may stay (or go) without anything more to do.
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
    write({ tea });
    expect((await cli('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('markdown shows user text as written, and a pause says what customers may notice', async () => {
    write({ tea: { ...tea, status: 'paused' } });
    const md = (await cli('plan', '--format', 'markdown')).stdout;
    const html = await marked.parse(md, { gfm: true });
    expect(html).not.toMatch(/<em>|<b>/);
    expect(html).toContain(
      'No passes of this template were issued through ipass; pausing takes it offline for now.',
    );
    write({ tea: { ...tea, name: 'Tea *now* | <b> latest' } });
    const changed = await marked.parse((await cli('plan', '--format', 'markdown')).stdout, { gfm: true });
    expect(changed).toContain('&quot;Tea *now* | &lt;b&gt; latest&quot;');
    expect(
      [...changed.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].every((m) => m[1]?.match(/<t[dh][ >]/g)?.length === 4),
    ).toBe(true);
  });
});
