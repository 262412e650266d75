// What an editor makes of a project `ipass init` wrote: yaml-language-server, given the workspace's
// .vscode/settings.json, checks campaign files against the ipass schema in campaigns/ and in any
// sub-folder of it. (A `$schema=../schemas/…` line, as init used to write, breaks in sub-folders.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/project.js';
import { brokenCampaign, workspaceYamlSettings, YamlLanguageServer } from './helpers/yaml-lsp.js';

describe('editor schema mapping written by ipass init', () => {
  const dir = tempDir('editor');
  let server: YamlLanguageServer;

  beforeAll(async () => {
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    server = await YamlLanguageServer.start(dir, workspaceYamlSettings(dir));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('checks campaign files in campaigns/ and in nested sub-folders against the schema', async () => {
    for (const path of ['campaigns/top.yaml', 'campaigns/2027/summer/deep.yaml']) {
      const { file, text } = brokenCampaign(dir, path);
      const found = await server.diagnostics(file, text, (d) => d.length > 0);
      const stock = text.split('\n').findIndex((l) => l.includes('stock: lots'));
      expect(found.map((d) => [d.range.start.line, d.message])).toContainEqual([
        stock,
        expect.stringMatching(/Incorrect type/),
      ]);
    }
    // Whereas the relative $schema line init used to write finds no schema from a sub-folder.
    const { file, text } = brokenCampaign(
      dir,
      'campaigns/2027/old-style.yaml',
      '# yaml-language-server: $schema=../schemas/campaign.schema.json\n',
    );
    const found = await server.diagnostics(file, text, (d) => d.length > 0);
    expect(found.map((d) => d.message).join('\n')).toMatch(/Unable to load schema/);
  });
});
