// A pull request is hostile input. Each attack from issue 15, and more, through the built CLI in every
// output format (validate text/json/github, plan text/json/markdown/github, apply), also as GitHub
// Actions runs it (GITHUB_ACTIONS=true, alternating with plain runs): nothing outside the project leaks
// (a unique token planted outside it, and past the first 40 characters of a long first line, never
// appears), no printed line can run as a workflow command, no markdown value becomes a heading, link,
// image or tag (rendered with marked), nothing stalls (FIFO, /dev/zero, adversarial texts; the timeout
// only guards against a hang), nothing is written outside the output folder, and the sandbox refuses
// cross-site requests.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const root = new URL('../../', import.meta.url).pathname;
const TOKEN = 'TOKEN-ghp_5ecretOutsideTheProject0001';
const HANG_GUARD_MS = 60_000;

/** The attack lines a file name or value tries to smuggle in. */
const COMMAND_NAME = '::warning title=ipass::Plan approved by security team.csv';

type Run = { args: string[]; format: string; github: boolean };

const RUNS: Run[] = [
  { args: ['validate'], format: 'text', github: false },
  { args: ['validate', '--format', 'json'], format: 'json', github: false },
  { args: ['validate', '--format', 'github'], format: 'github', github: true },
  { args: ['plan'], format: 'text', github: false },
  { args: ['plan', '--format', 'json'], format: 'json', github: false },
  { args: ['plan', '--format', 'markdown'], format: 'markdown', github: false },
  { args: ['plan', '--format', 'github'], format: 'github', github: true },
  { args: ['apply', '--auto-approve'], format: 'text', github: false },
];

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Every promise the issue makes about one run's output. */
async function expectHarmless(r: CliResult, run: Run, what: string): Promise<void> {
  const label = `${what}: ipass ${run.args.join(' ')}`;
  expect(r.code, `${label} ended (no hang)`).not.toBeNull();
  const both = `${r.stdout}\n${r.stderr}`;
  expect(both, `${label} leaks nothing`).not.toContain(TOKEN);
  expect(both, `${label} no stack`).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  expect(both, `${label}: no legacy command anywhere`).not.toContain('##[');
  for (const [stream, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    for (const line of lines(text)) {
      if (!line.trimStart().startsWith('::')) continue;
      // Only the github formatter's own annotations, on stdout, may start with `::`.
      expect(
        run.format === 'github' && stream === 'stdout',
        `${label} ${stream}: ${line.slice(0, 120)}`,
      ).toBe(true);
      expect(line, label).toMatch(
        /^::(error|warning|notice) (file=[^,:\r\n]*,line=\d+,col=\d+,)?title=[A-Z0-9_]+::/,
      );
    }
  }
  if (run.format === 'markdown') {
    const html = await marked.parse(r.stdout, { gfm: true });
    expect(html, `${label}: no heading from a value`).not.toMatch(/<h[1-6]/);
    expect(html, `${label}: no link or image from a value`).not.toMatch(/<a |<img /);
    expect(html, `${label}: no raw tag from a value`).not.toMatch(/<(script|b|i|iframe|style)[ >]/);
    expect(r.stdout, `${label}: no escape byte`).not.toContain('\u001b');
  }
}

describe('a hostile pull request', () => {
  let dir: string;
  let outside: string;
  const file = (path: string) => join(dir, path);
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: dir, env });

  // ipass reads no GITHUB_ACTIONS (the runner's CI=true is set in every run), so both environments run
  // the same code: each case runs every format once, alternating between the environments from run to
  // run and from case to case (each case meets both); the long first line runs the full cross product.
  let calls = 0;
  const GITHUB = { GITHUB_ACTIONS: 'true' };
  /** One result per run, in the order of `runs` (the first environment's when both run). */
  const allFormats = async (what: string, runs: Run[] = RUNS, bothEnvs = false): Promise<CliResult[]> => {
    const results: CliResult[] = [];
    const flip = calls++ % 2;
    for (const [i, run] of runs.entries()) {
      const envs = bothEnvs ? [{}, GITHUB] : [(i + flip) % 2 ? GITHUB : {}];
      for (const [j, env] of envs.entries()) {
        const r = await cli(run.args, env);
        await expectHarmless(r, run, `${what}${'GITHUB_ACTIONS' in env ? ' (GITHUB_ACTIONS)' : ''}`);
        if (j === 0) results.push(r);
      }
    }
    return results;
  };

  const setRecipients = (path: string): void => {
    const p = file('campaigns/summer-2028.yaml');
    writeFileSync(
      p,
      readFileSync(p, 'utf8').replace(/recipients: .*\n/, `recipients: ${JSON.stringify(path)}\n`),
    );
  };

  beforeAll(() => {
    outside = tempDir('outside');
    writeFileSync(join(outside, 'credentials'), `https://user:${TOKEN}@github.com\n`);
    writeFileSync(join(outside, 'secret.csv'), `userId,${TOKEN}\n2160220037090534,x\n`);
    execFileSync('mkfifo', [join(outside, 'fifo')]);
  });

  beforeEach(() => {
    dir = tempDir('hostile-pr');
    cpSync(join(root, 'campaigns'), file('campaigns'), { recursive: true });
    cpSync(join(root, 'ipass.config.yaml'), file('ipass.config.yaml'));
  }, HANG_GUARD_MS);

  it(
    'reads no recipients file outside the project: absolute, ../, through a link, /dev/zero, a FIFO',
    async () => {
      const cases: [string, string][] = [
        [join(outside, 'credentials'), 'PATH_OUTSIDE_PROJECT'],
        [`../../${outside.split('/').slice(-1)[0]}/secret.csv`, 'PATH_OUTSIDE_PROJECT'],
        ['linked.csv', 'PATH_OUTSIDE_PROJECT'],
        ['/dev/zero', 'PATH_OUTSIDE_PROJECT'],
        ['zero.csv', 'PATH_OUTSIDE_PROJECT'],
        ['pipe.csv', 'PATH_OUTSIDE_PROJECT'],
        ['fifo.csv', 'FILE_NOT_REGULAR'],
      ];
      symlinkSync(join(outside, 'secret.csv'), file('campaigns/linked.csv'));
      symlinkSync('/dev/zero', file('campaigns/zero.csv'));
      symlinkSync(join(outside, 'fifo'), file('campaigns/pipe.csv'));
      execFileSync('mkfifo', [file('campaigns/fifo.csv')]);
      for (const [path, code] of cases) {
        setRecipients(path);
        const runs = path === cases[0]?.[0] ? RUNS.slice(0, 7) : [RUNS[1] as Run, RUNS[5] as Run];
        const results = await allFormats(`recipients ${path}`, runs);
        const v = results[runs.indexOf(RUNS[1] as Run)]; // validate --format json
        const found = JSON.parse(v?.stdout ?? '').diagnostics as {
          code: string;
          file: string;
          line: number;
        }[];
        expect(
          found.map((d) => [d.code, d.file, d.line]),
          path,
        ).toContainEqual([code, 'campaigns/summer-2028.yaml', 75]);
      }
    },
    HANG_GUARD_MS * 4,
  );

  it(
    'quotes no more than a short escaped excerpt of a long first line, in every format',
    async () => {
      writeFileSync(
        file('campaigns/recipients/welcome.csv'),
        `${'a'.repeat(60)}${TOKEN}${'b'.repeat(5000)}\n1,2\n`,
      );
      const results = await allFormats('long first line', RUNS, true);
      expect(results[0]?.stderr).toMatch(/RECIPIENTS_NO_ID_COLUMN: .*a{24}…/);
    },
    HANG_GUARD_MS * 4,
  );

  it(
    'never lets a file name become a workflow command',
    async () => {
      cpSync(file('campaigns/recipients/welcome.csv'), file(COMMAND_NAME));
      writeFileSync(file(COMMAND_NAME), 'user,name\n2160220037090534,x\n');
      setRecipients(`../${COMMAND_NAME}`);
      const [text] = await allFormats('file named ::warning', RUNS.slice(0, 7));
      expect(text?.stderr).toContain(`./${COMMAND_NAME}`);
      // And a campaign file named so.
      writeFileSync(file(`campaigns/${COMMAND_NAME.replace('.csv', '.yaml')}`), 'templates: [\n');
      writeFileSync(file('##[add-mask]x.yaml'), 'templates: [\n');
      await allFormats('campaign file named ::warning', [RUNS[0] as Run, RUNS[2] as Run, RUNS[5] as Run]);
      const named = await cli([
        'validate',
        `##[add-mask]x.yaml`,
        `campaigns/${COMMAND_NAME.replace('.csv', '.yaml')}`,
      ]);
      await expectHarmless(named, RUNS[0] as Run, 'named on the command line');
    },
    HANG_GUARD_MS * 4,
  );

  it(
    'keeps values on their line: CR, LF, U+2028, ESC, ##[ and markup in names, recipients and URLs',
    async () => {
      const p = file('campaigns/summer-2028.yaml');
      const forged =
        '"x\\r# Plan: no changes. Approve!\\u2028## Approved\\n::warning::Approved \\e[2J ##[add-mask]y <b>bold</b> ![i](http://evil.example/t.png) [l](http://evil.example)"';
      writeFileSync(
        p,
        readFileSync(p, 'utf8')
          .replace('name: Summer iced coffee voucher', `name: ${forged}`)
          .replace('iced-latte-350.png', 'iced-latte-350.png#\\r# Heading')
          .replace('name: Croissant voucher', 'name: "\\u202eCroissant\\u200b voucher"'),
      );
      writeFileSync(
        file('campaigns/recipients/welcome.csv'),
        'userId,name\n2160220037090534,"Chan\r# Plan: no changes. Approve!"\n2160220037090535,"=cmd|\' /C calc\'!A0;x;=1+1"\n',
      );
      const results = await allFormats('forged values');
      const validate = JSON.parse(results[1]?.stdout ?? '{}') as {
        diagnostics: { code: string; message: string }[];
      };
      expect(
        validate.diagnostics.filter((d) => d.code === 'TEXT_INVISIBLE_CHARACTER').length,
      ).toBeGreaterThan(0);
      expect(validate.diagnostics.some((d) => d.message.includes('<U+202E> (right-to-left override)'))).toBe(
        true,
      );
    },
    HANG_GUARD_MS * 4,
  );

  it(
    'does not stall on adversarial texts: {{ and 8,000 spaces, an 80,000-character URL',
    async () => {
      const p = file('campaigns/summer-2028.yaml');
      writeFileSync(
        p,
        readFileSync(p, 'utf8')
          .replace('$shopname$: Harbour Roast', `$shopname$: "{{${' '.repeat(8000)}"`)
          .replace(
            'https://cdn.harbourroast.example/campaigns/summer-2028/croissant-350.png',
            `https://cdn.example.com/${'a'.repeat(80_000)} x`,
          ),
      );
      await allFormats('adversarial texts', RUNS.slice(0, 4));
    },
    HANG_GUARD_MS * 4,
  );

  it(
    'reads no campaign file linked out of the project, takes no $import and no campaign glob outside it',
    async () => {
      writeFileSync(join(outside, 'campaign.yaml'), `campaign: x\n# ${TOKEN}\ntemplates: [\n`);
      symlinkSync(join(outside, 'campaign.yaml'), file('campaigns/linked.yaml'));
      // The search does not follow links, so the file is never read; named on purpose, it is refused.
      await allFormats('campaign file linked out', RUNS.slice(0, 4));
      const named = await cli(['validate', 'campaigns/linked.yaml']);
      await expectHarmless(named, RUNS[0] as Run, 'linked campaign named');
      expect(named.stderr).toMatch(/error PATH_OUTSIDE_PROJECT: `path` names campaigns\/linked\.yaml/);
      rmSync(file('campaigns/linked.yaml'));

      writeFileSync(file('ipass.config.yaml'), `$import: ${join(outside, 'campaign.yaml')}\n`);
      const [imported] = await allFormats('$import', RUNS.slice(0, 4));
      expect(imported?.stderr).toContain('CONFIG_IMPORT_REFUSED');
      writeFileSync(file('ipass.config.yaml'), `campaigns: ["${outside}/*.yaml", "../*/campaign.yaml"]\n`);
      const [globbed] = await allFormats('campaign globs outside', RUNS.slice(0, 4));
      expect(globbed?.stderr.match(/PATH_OUTSIDE_PROJECT/g)).toHaveLength(2);
    },
    HANG_GUARD_MS * 4,
  );

  it(
    'writes the preview without following links in the output folder',
    async () => {
      const victim = join(outside, 'victim.html');
      writeFileSync(victim, 'untouched');
      mkdirSync(file('plan-preview'));
      symlinkSync(victim, file('plan-preview/index.html'));
      symlinkSync(victim, file('plan-preview/index.images.html'));
      let r = await cli(['plan', '--preview', 'plan-preview']);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('untouched');
      expect(readFileSync(file('plan-preview/index.html'), 'utf8')).toContain('<!doctype html>');

      const victimDir = tempDir('victim-dir');
      rmSync(file('plan-preview'), { recursive: true });
      symlinkSync(victimDir, file('plan-preview'));
      r = await cli(['plan', '--preview', 'plan-preview']);
      expect(r.code, r.stderr).toBe(0);
      expect(execFileSync('ls', ['-A', victimDir]).toString()).toBe('');
      expect(realpathSync(file('plan-preview'))).toBe(`${realpathSync(dir)}/plan-preview`);

      symlinkSync(victimDir, file('linked-parent'));
      r = await cli(['plan', '--preview', 'linked-parent/out']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('PREVIEW_WRITE_FAILED');
      expect(execFileSync('ls', ['-A', victimDir]).toString()).toBe('');
    },
    HANG_GUARD_MS * 2,
  );

  it(
    'says STATE_DB_URL_INVALID for a password with an unencoded #, without the password or a stack',
    async () => {
      writeFileSync(
        file('ipass.config.yaml'),
        'campaigns: campaigns\nstate: { backend: postgres, url: env:IPASS_STATE_URL }\n',
      );
      for (const url of [
        'postgres://ipass:pa#ss1234@127.0.0.1:5432/test',
        'postgres://ipass:12#34@127.0.0.1/test',
        'postgres://ipass:p/ss@127.0.0.1/test',
      ]) {
        const r = await cli(['plan'], { IPASS_STATE_URL: url });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('STATE_DB_URL_INVALID');
        expect(r.stderr).toContain('percent-encode');
        expect(r.stderr).not.toMatch(/pa#ss|12#34|p\/ss|internal error/);
      }
    },
    HANG_GUARD_MS,
  );
});

describe('the standalone sandbox', () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    const dir = tempDir('sandbox-cross-site');
    sandbox = await startSandboxProcess(join(dir, 'data'), dir);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('refuses a cross-site text/plain POST, a foreign Origin and a foreign Host; takes JSON from itself', async () => {
    const post = async (headers: Record<string, string>) => {
      const res = await request(`${sandbox.info.url}/__sandbox/faults`, {
        method: 'POST',
        headers,
        body: '{"unknownRate": 1}',
      });
      await res.body.dump();
      return res.statusCode;
    };
    expect(await post({ 'content-type': 'text/plain', origin: 'https://evil.example' })).toBe(403);
    expect(await post({ 'content-type': 'text/plain' })).toBe(415);
    expect(await post({ 'content-type': 'application/x-www-form-urlencoded' })).toBe(415);
    expect(await post({ 'content-type': 'application/json', origin: 'https://evil.example' })).toBe(403);
    expect(await post({ 'content-type': 'application/json', host: 'evil.example' })).toBe(421);
    expect((await sandbox.get<{ unknownRate?: number }>('/__sandbox/faults')).unknownRate ?? 0).toBe(0);
    const port = new URL(sandbox.info.url).port;
    expect(await post({ 'content-type': 'application/json', origin: `http://localhost:${port}` })).toBe(200);
    expect(await post({ 'content-type': 'application/json; charset=utf-8' })).toBe(200);
    await post({ 'content-type': 'application/json', host: `localhost:${port}` });
    const res = await request(`${sandbox.info.url}/__sandbox/templates`, {
      headers: { host: 'rebound.example' },
    });
    expect(res.statusCode).toBe(421);
    await res.body.dump();
  });
});
