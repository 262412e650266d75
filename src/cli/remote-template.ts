// `ipass state import`'s look at the API: the template with this code as AlipayHK holds it (content,
// status, stock) over what the campaign file declares. An unreachable API allows an import that is not
// verified; a refusal (no such template, credentials, an answer not to trust) does not.
import { connect } from '../apply/connect.js';
import { remoteView } from '../apply/refresh.js';
import type { DesiredTemplate } from '../campaign/types.js';
import { apiCodeOf, IpassError } from '../diagnostics/errors.js';
import { isTemplateStatus, type TemplateState } from '../state/state-format.js';
import { type Io, writeLine } from './io.js';
import type { Project } from './project.js';

export interface ImportedContent {
  spec: Record<string, unknown>;
  status: TemplateState['status'];
  stock: number;
  /** The API answered: the values are its own. */
  verified: boolean;
}

/** The template to import: the declared one, with what the API reports of it. */
export async function remoteTemplate(
  io: Io,
  project: Project,
  code: string,
  template: DesiredTemplate,
): Promise<ImportedContent> {
  const spec: Record<string, unknown> = { ...template.body };
  let status: TemplateState['status'] = template.status;
  let stock = template.body.stock;
  let verified = false;
  const target = await connect(project.config, project.settings, { env: io.env });
  try {
    const answer = await target.client.call('detail', { templateCode: code });
    if (answer.ok) {
      const remote = remoteView({ ...answer.data, templateCode: code });
      for (const [k, v] of Object.entries(remote.fields)) if (k in spec) spec[k] = v;
      if (isTemplateStatus(remote.status)) status = remote.status;
      if (remote.stock !== undefined) stock = remote.stock;
      verified = true;
    } else if (answer.failure.kind === 'business') {
      throw new IpassError(
        'IMPORT_NOT_FOUND',
        `The API does not know template ${code}: ${answer.failure.code}.`,
        { hint: 'Check the code (AlipayHK merchant console) and the environment.' },
      );
    } else if (answer.failure.kind === 'unknown') {
      // Only an unreachable API allows an unverified import; a refusal (credentials, bad answer) does not.
      writeLine(
        io.stderr,
        `Warning: could not verify ${code} with the API (${answer.failure.code}); importing it with the declared content.`,
      );
    } else {
      throw new IpassError(
        apiCodeOf(answer.failure),
        `Could not check template ${code} with the API: ${answer.failure.message}`,
        {
          hint: answer.failure.action,
        },
      );
    }
  } finally {
    await target.close();
  }
  return { spec, status, stock, verified };
}
