// `ipass validate` on 10,000 templates in 1,000 generated campaign files, against the time it takes
// merely to read and YAML.parse the same files in one process. Reports wall time, ratio and peak RSS.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseline, writeCampaigns } from './campaign-gen.mjs';
import { figure, mb, root, runCli, secs } from './lib.mjs';

const FILES = 1000;
const TEMPLATES_PER_FILE = 10;
const work = join(root, 'bench/.work/validate');

function generate() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'ipass.config.yaml'), 'campaigns: campaigns\n');
  // Far-future dates: validate has no state here, so every template counts as new.
  return writeCampaigns(work, {
    files: FILES,
    perFile: TEMPLATES_PER_FILE,
    start: '2099-06-01T00:00:00+08:00',
    end: '2099-08-31T23:59:59+08:00',
  });
}

const baseline = () => parseBaseline(work);

export default async function validateBench() {
  const bytes = generate();
  figure('input', `${FILES} files, ${FILES * TEMPLATES_PER_FILE} templates, ${mb(bytes)}`);
  // The files were just written, so both runs read them from the page cache. The baseline's first
  // pass starts with cold code, as the CLI does; a second pass shows the same work with warm code.
  const cold = baseline();
  const warm = baseline();
  const run = await runCli(['validate', '--format', 'json'], { cwd: work });
  const result = JSON.parse(run.stdout);
  if (run.code !== 0 || result.counts.templates !== cold.templates) {
    throw new Error(
      `validate failed (exit ${run.code}): ${run.stdout.slice(0, 2000)}${run.stderr.slice(0, 2000)}`,
    );
  }
  figure('ipass validate (built CLI, wall, incl. node start)', secs(run.ms));
  figure('baseline: read + YAML.parse each file, 1st pass', secs(cold.ms));
  figure('baseline: the same, 2nd pass (warm code)', secs(warm.ms));
  figure('ratio validate / baseline 1st pass (target <= 2.0)', (run.ms / cold.ms).toFixed(2));
  figure('ratio validate / baseline 2nd pass', (run.ms / warm.ms).toFixed(2));
  figure('peak RSS of validate (target < 300 MB)', mb(run.rssBytes));
  rmSync(work, { recursive: true, force: true });
}
