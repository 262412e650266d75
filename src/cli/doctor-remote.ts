// The checks of `ipass doctor` that reach out: the state backend (reachable, TLS as configured, the
// tables' version, whether the role can read, write and create) and the API (a signed read whose
// answer verifies). Servers are named as backends and clients name them: never with a password.
import { access, constants } from 'node:fs/promises';
import { connect } from '../apply/connect.js';
import type { StateBackend } from '../state/backend.js';
import type { PostgresBackend } from '../state/postgres/pg-backend.js';
import type { PgProbe } from '../state/postgres/pg-probe.js';
import { templateEntries } from '../state/state-format.js';
import { type Check, failed, ok } from './doctor-checks.js';
import type { Io } from './io.js';
import { type Project, projectBackend } from './project.js';

const OWNER_HINT =
  'Run `ipass state init` with the owner role (see "Database roles" in docs/production.md), or use a role with the GRANTs listed there.';

/** The state check, and a template code the state manages (for the API check to read). */
export async function checkState(io: Io, project: Project): Promise<{ check: Check; templateCode?: string }> {
  const name = 'state';
  let backend: StateBackend | undefined;
  try {
    backend = await projectBackend(io, project);
    if (backend.kind === 'file') {
      await access(project.settings.stateDir, constants.R_OK | constants.W_OK).catch((error) => {
        // A folder not made yet is made by the first apply.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    }
    const probe = backend.kind === 'postgres' ? await (backend as PostgresBackend).probe() : undefined;
    const { state, exists } = await backend.read();
    const templateCode = templateEntries(state)[0]?.[1].templateCode;
    const code = templateCode ? { templateCode } : {};
    if (!probe)
      return {
        check: ok(name, `files in ${backend.where}${exists ? `, serial ${state.serial}` : ', no state yet'}`),
        ...code,
      };
    return { check: judge(name, backend.where, probe), ...code };
  } catch (error) {
    return { check: failed(name, error) };
  } finally {
    await backend?.close();
  }
}

/** What a probed database is fit for. */
function judge(name: string, where: string, p: PgProbe): Check {
  const tls = p.tls ? `TLS (sslmode=${p.sslmode})` : `not encrypted (sslmode=${p.sslmode})`;
  const may = [p.canRead && 'read', p.canWrite && 'write', p.canCreate && 'create']
    .filter(Boolean)
    .join(', ');
  const tables = p.version === undefined ? 'no tables yet' : `tables at version ${p.version}`;
  const detail = `${where}; ${tls}; ${tables}; the role may ${may || 'do nothing'}`;
  const bad = (why: string, hint: string, code = 'STATE_DB_PERMISSION'): Check => ({
    name,
    status: 'fail',
    detail: `${detail}: ${why}`,
    code,
    hint,
  });
  if (p.version !== undefined && p.version > p.known)
    return bad(
      `made by a newer ipass (this one knows version ${p.known})`,
      'Upgrade ipass on this runner.',
      'STATE_DB_NEWER',
    );
  if (p.version === undefined && !p.canCreate) return bad('and this role cannot create them', OWNER_HINT);
  if (p.version !== undefined && p.version < p.known && !p.canCreate)
    return bad(`older than this ipass (${p.known}), and this role cannot upgrade them`, OWNER_HINT);
  if (p.version !== undefined && !p.canRead) return bad('this role cannot read the tables', OWNER_HINT);
  if (p.version !== undefined && !p.canWrite)
    return bad('this role cannot write rows: enough for plan, not for apply', OWNER_HINT);
  return ok(name, detail);
}

/** A signed read: `detail` of a template the state manages, else of a code that does not exist. */
export async function checkApi(io: Io, project: Project, templateCode: string | undefined): Promise<Check> {
  const name = 'API';
  try {
    const target = await connect(project.config, project.settings, { env: io.env });
    try {
      const code = templateCode ?? 'IPASS-DOCTOR-PROBE';
      const result = await target.client.detail({ templateCode: code });
      if (result.ok) return ok(name, `${target.describe}: detail of ${code} answered, signature verified`);
      const f = result.failure;
      // A business answer (TEMPLATE_NOT_EXIST for the probe) is signed and was verified.
      if (f.kind === 'business') return ok(name, `${target.describe}: a signed answer (${f.code}) verified`);
      return { name, status: 'fail', detail: `${target.describe}: ${f.code}: ${f.message}`, hint: f.action };
    } finally {
      await target.close();
    }
  } catch (error) {
    return failed(name, error);
  }
}
