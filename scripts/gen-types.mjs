// Generate TypeScript types from the JSON Schemas in schemas/ (the single source of truth).
// `--check` regenerates in memory and fails when the committed files differ (drift).
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

const targets = [
  { schema: 'schemas/config.schema.json', out: 'src/config/config.generated.ts' },
  { schema: 'schemas/campaign.schema.json', out: 'src/campaign/campaign.generated.ts' },
  { schema: 'schemas/state.schema.json', out: 'src/state/state.generated.ts' },
  { schema: 'schemas/journal.schema.json', out: 'src/state/journal.generated.ts' },
];

const banner =
  '/* Generated from SCHEMA by `npm run gen:types`. Do not edit by hand: change the schema and regenerate. */';

const check = process.argv.includes('--check');
let drift = 0;
for (const { schema, out } of targets) {
  let text;
  try {
    text = await readFile(schema, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') continue;
    throw error;
  }
  const ts = await compile(JSON.parse(text), JSON.parse(text).title ?? 'Root', {
    cwd: 'schemas',
    bannerComment: banner.replace('SCHEMA', schema),
    additionalProperties: false,
    unknownAny: true,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: true, printWidth: 110 },
  });
  if (check) {
    const current = await readFile(out, 'utf8').catch(() => '');
    if (current !== ts) {
      drift++;
      console.error(`${out} is out of date with ${schema}: run \`npm run gen:types\` and commit the result.`);
    }
  } else {
    await writeFile(out, ts);
    console.log(`wrote ${out}`);
  }
}
process.exit(drift ? 1 : 0);
