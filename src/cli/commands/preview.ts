// `ipass preview [PATH…] [--out DIR] [-e ENV]`: a static HTML site showing every template as the
// wallet shows it (en_US and zh_HK side by side), drawn from the request bodies apply would send.
// Exit 0 when written, 1 when the campaign files have errors (nothing written) or writing fails.
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { loadCampaigns } from '../../campaign/load-campaigns.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { IpassError } from '../../diagnostics/errors.js';
import { buildSite, INDEX_FILE } from '../../preview/build-site.js';
import { type PassSample, readPassSample } from '../../preview/pass-sample.js';
import { writeSite } from '../../preview/write-site.js';
import type { CommandFactory } from '../command.js';
import { type Io, printDiagnostics, writeLine } from '../io.js';
import { loadProject, once, projectBackend, readPlanningState } from '../project.js';

interface PreviewFlags {
  out?: string;
  env?: string;
  config?: string;
}

export const previewCommand: CommandFactory = (ctx) =>
  new Command('preview')
    .description(
      'Write a static HTML site showing every template as the wallet shows it (en_US and zh_HK side by side), from the exact request bodies.',
    )
    .argument('[paths...]', 'campaign files or folders (default: `campaigns` from the config)')
    .option('-o, --out <dir>', 'folder to write the site to (default: preview/ in the state folder)')
    .option(
      '-e, --env <name>',
      'environment whose state names the templates that exist (default: IPASS_ENV, else defaultEnvironment)',
    )
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .action(async (paths: string[], flags: PreviewFlags) => {
      ctx.exit(await runPreview(ctx.io, paths, flags));
    });

async function runPreview(io: Io, paths: string[], flags: PreviewFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const { config, settings } = project;
  const now = Date.now();
  // Read once the files are parsed (as plan does), then the backend is closed.
  const read = once(async () => {
    const backend = await projectBackend(io, project);
    try {
      return (await readPlanningState(backend)).state;
    } finally {
      await backend.close();
    }
  });
  const loaded = await loadCampaigns({
    cwd: io.cwd,
    rootDir: config.rootDir,
    patterns: config.campaigns,
    ...(paths.length > 0 ? { paths } : {}),
    now,
    existing: async () => new Set(Object.keys((await read()).templates)),
  });
  const current = await read();
  const state = () => current;
  printDiagnostics(io, loaded.diagnostics);
  if (hasErrors(loaded.diagnostics)) {
    const n = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    throw new IpassError(
      'CAMPAIGNS_INVALID',
      `The campaign files have ${n} error${n === 1 ? '' : 's'} (listed above); no preview was written.`,
      { hint: 'Fix them (`ipass validate` lists them again) and run `ipass preview` again.' },
    );
  }
  const templateCodes = new Map<string, string>();
  for (const [address, t] of Object.entries(state().templates)) {
    if (t && t.status !== 'closed' && t.templateCode !== '(pending)')
      templateCodes.set(address, t.templateCode);
  }
  const samples = new Map<string, PassSample>();
  for (const batch of loaded.set.passes) samples.set(batch.address, await readPassSample(batch));

  const pages = buildSite({ set: loaded.set, environment: settings.name, templateCodes, samples, now });
  const outDir = flags.out ? resolve(io.cwd, flags.out) : join(settings.stateDir, 'preview');
  writeSite(outDir, pages, io.cwd);
  const { templates, passes } = loaded.set;
  const shown = pages.filter((p) => !p.file.endsWith('.images.html')).length;
  writeLine(
    io.stdout,
    `Wrote ${shown} page${shown === 1 ? '' : 's'} (${templates.length} template${templates.length === 1 ? '' : 's'}, ${passes.length} sample pass${passes.length === 1 ? '' : 'es'}); open ${join(outDir, INDEX_FILE)}`,
  );
  return 0;
}
