// One campaign file's text → its templates, pass batches and renames plus diagnostics: YAML with
// positions, the schema check, the campaign name, per-template normalization. Pure; never throws on input.
import { basename, extname } from 'node:path';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { YamlLimits } from '../diagnostics/yaml-limits.js';
import {
  DEFAULT_YAML_LIMITS,
  type JsonPath,
  parseYamlSource,
  type YamlSource,
} from '../diagnostics/yaml-source.js';
import { checkCampaignDocument } from './campaign-schema.js';
import { isPlainObject, type PlainObject } from './canonical.js';
import { dropExplained } from './explained.js';
import { invisibleTextDiagnostics } from './invisible-text.js';
import { slug } from './message-words.js';
import { normalizeTemplate, type ParsedTemplate } from './normalize-template.js';
import { draftPassBatch, type PassBatchDraft } from './pass-batch-draft.js';

export interface MovedDraft {
  /** Index in the file's `moved` list. */
  index: number;
  from: string;
  to: string;
  source: SourcePosition;
  fromPosition: SourcePosition;
  toPosition: SourcePosition;
}

export interface RemovedDraft {
  index: number;
  address: string;
  source: SourcePosition;
}

export interface ImportDraft {
  index: number;
  to: string;
  templateCode: string;
  source: SourcePosition;
}

export interface ParsedCampaignFile {
  /** Display path. */
  file: string;
  campaign: string | undefined;
  templates: ParsedTemplate[];
  passes: PassBatchDraft[];
  moved: MovedDraft[];
  removed: RemovedDraft[];
  imports: ImportDraft[];
  diagnostics: Diagnostic[];
  /**
   * Set when the file could not be read as YAML: what it defines is unknown, so other files'
   * references to these campaigns are not reported (see unreadableCampaigns).
   */
  unreadable?: string[];
}

export interface FileContext {
  /** Path as displayed (relative to the project root). */
  file: string;
  /** Absolute folder of the file: recipients paths are relative to it. */
  dir: string;
  /** The project root, which display paths of recipients files are relative to. */
  cwd: string;
}

const NAME = /^[a-z0-9-]{1,63}$/;

/** The shape limits of any YAML file, plus at most 1,000 templates and pass batches per file. */
export const CAMPAIGN_YAML_LIMITS: YamlLimits = {
  ...DEFAULT_YAML_LIMITS,
  maxSectionEntries: { templates: 1000, passes: 1000 },
};

export function parseCampaignFile(text: string, ctx: FileContext): ParsedCampaignFile {
  const result: ParsedCampaignFile = {
    file: ctx.file,
    campaign: undefined,
    templates: [],
    passes: [],
    moved: [],
    removed: [],
    imports: [],
    diagnostics: [],
  };
  const src = parseYamlSource(text, ctx.file, { isTextField, limits: CAMPAIGN_YAML_LIMITS });
  const top = { file: ctx.file, line: 1, col: 1 };
  for (const d of src.diagnostics) result.diagnostics.push(d);
  if (src.diagnostics.some((d) => d.severity === 'error')) {
    result.unreadable = unreadableCampaigns(ctx.file, text);
    return result;
  }
  const document = src.value;
  if (document === undefined || document === null) {
    result.diagnostics.push({
      severity: 'warning',
      code: 'CAMPAIGN_EMPTY',
      message: `${ctx.file} has no templates or pass batches.`,
      hint: 'Add a `templates:` section, or delete the file.',
      position: top,
    });
    return result;
  }
  const schemaDiagnostics = checkCampaignDocument(document, src.locate);
  result.diagnostics = result.diagnostics.concat(
    schemaDiagnostics,
    invisibleTextDiagnostics(document, src.locate),
  );
  if (!isPlainObject(document)) return result;

  const hasErrorUnder = errorLookup(schemaDiagnostics);
  const campaign = campaignName(document, ctx, result.diagnostics);
  result.campaign = campaign;
  const sections = { document, src, ctx, campaign, hasErrorUnder, result };
  readTemplatesAndPasses(sections);
  readRenamesAndRemovals(sections);
  result.diagnostics = dedupe(dropExplained(result.diagnostics));
  return result;
}

interface Sections {
  document: PlainObject;
  src: YamlSource;
  ctx: FileContext;
  campaign: string;
  hasErrorUnder: (path: JsonPath) => boolean;
  result: ParsedCampaignFile;
}

/** Whether a path has a schema error at or below it; each template asks in constant time. */
function errorLookup(schemaDiagnostics: readonly Diagnostic[]): (path: JsonPath) => boolean {
  const errorPrefixes = new Set<string>();
  for (const d of schemaDiagnostics) {
    if (d.severity !== 'error' || d.path === undefined) continue;
    const segments = d.path.split('/');
    for (let i = 2; i <= segments.length; i++) errorPrefixes.add(segments.slice(0, i).join('/'));
  }
  return (path: JsonPath): boolean => errorPrefixes.size > 0 && errorPrefixes.has(`/${path.join('/')}`);
}

/** `campaign:`, else the file's name, which must then be a valid campaign name. */
function campaignName(document: PlainObject, ctx: FileContext, diagnostics: Diagnostic[]): string {
  const top = { file: ctx.file, line: 1, col: 1 };
  let campaign: string;
  if (typeof document.campaign === 'string') {
    campaign = document.campaign;
  } else {
    campaign = basename(ctx.file, extname(ctx.file));
    if (!NAME.test(campaign) && !('campaign' in document)) {
      diagnostics.push({
        severity: 'error',
        code: 'CAMPAIGN_BAD_NAME',
        message: `The campaign is named after the file, "${campaign}", which is not a valid campaign name.`,
        hint: `Add \`campaign: ${slug(campaign)}\` at the top, or rename the file (lowercase letters, digits and hyphens, at most 63).`,
        position: top,
        path: '/campaign',
      });
    }
  }
  return campaign;
}

function readTemplatesAndPasses({ document, src, ctx, campaign, hasErrorUnder, result }: Sections): void {
  if (isPlainObject(document.templates)) {
    const hasDefaults = 'defaults' in document;
    const defaultsKeys = src.keyPositions(['defaults']);
    for (const key of Object.keys(document.templates)) {
      const { template, diagnostics } = normalizeTemplate({
        campaign,
        key,
        file: ctx.file,
        document,
        hasDefaults,
        locate: src.locate,
        ownKeys: src.keyPositions(['templates', key]),
        defaultsKeys,
        hasErrorUnder,
      });
      result.templates.push(template);
      for (const d of diagnostics) result.diagnostics.push(d);
    }
  }
  if (isPlainObject(document.passes)) {
    for (const [key, raw] of Object.entries(document.passes)) {
      const { batch, diagnostics } = draftPassBatch({
        campaign,
        key,
        file: ctx.file,
        dir: ctx.dir,
        cwd: ctx.cwd,
        raw,
        locate: src.locate,
        hasErrorUnder,
      });
      result.passes.push(batch);
      for (const d of diagnostics) result.diagnostics.push(d);
    }
  }
}

function readRenamesAndRemovals({ document, src, hasErrorUnder, result }: Sections): void {
  if (Array.isArray(document.moved)) {
    document.moved.forEach((entry, i) => {
      if (!isPlainObject(entry) || typeof entry.from !== 'string' || typeof entry.to !== 'string') return;
      if (hasErrorUnder(['moved', i])) return;
      result.moved.push({
        index: i,
        from: entry.from,
        to: entry.to,
        source: src.locate(['moved', i]),
        fromPosition: src.locate(['moved', i, 'from']),
        toPosition: src.locate(['moved', i, 'to']),
      });
    });
  }
  if (Array.isArray(document.removed)) {
    document.removed.forEach((address, index) => {
      if (typeof address !== 'string' || hasErrorUnder(['removed', index])) return;
      result.removed.push({ index, address, source: src.locate(['removed', index]) });
    });
  }
  if (Array.isArray(document.import)) {
    document.import.forEach((entry, index) => {
      if (!isPlainObject(entry) || typeof entry.to !== 'string' || typeof entry.templateCode !== 'string')
        return;
      if (hasErrorUnder(['import', index])) return;
      const { to, templateCode } = entry;
      result.imports.push({ index, to, templateCode, source: src.locate(['import', index]) });
    });
  }
}

/** Where free text is written: a ` #` there cuts the text short (see yaml-traps.ts). */
const TEXT_CONTAINERS = new Set(['localeInfo', 'dataInfo', 'codeInfo', 'extInfo', 'passExtInfo']);

function isTextField(path: JsonPath): boolean {
  return path.some((segment) => typeof segment === 'string' && TEXT_CONTAINERS.has(segment));
}

/**
 * The campaigns a file that cannot be read may belong to: its `campaign:` line if one can be seen,
 * and its file name (the default).
 */
export function unreadableCampaigns(file: string, text = ''): string[] {
  const names = [basename(file, extname(file))];
  const line = /^campaign:[ \t]*["']?([a-z0-9-]{1,63})["']?[ \t]*(?:#.*)?$/m.exec(text);
  if (line?.[1]) names.push(line[1]);
  return names;
}

/** Each problem once: a mistake in `defaults` is found again under every template that uses it. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const p = d.position;
    const key = `${d.severity}|${d.code}|${p ? `${p.line}:${p.col}` : ''}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
