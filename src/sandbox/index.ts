// The iPass emulator: start it (standalone or embedded), its identity, faults and read-only views.
export {
  createEmbeddedSandbox,
  type EmbeddedSandbox,
  type EmbeddedSandboxOptions,
  FAULTS_ENV,
  faultsFromEnv,
  sandboxDir,
} from './embedded.js';
export { type FaultConfig, type FaultKind, parseFaultConfig, type ScriptedFault } from './faults.js';
export { ensureSandboxIdentity, type SandboxIdentity } from './identity.js';
export {
  type RunningSandbox,
  type SandboxOptions,
  type SandboxRegistration,
  startSandbox,
} from './server.js';
export type { PassStatus, TemplateStatus } from './store.js';
export type { PassView, SandboxStats, SandboxStoreView, TemplateView } from './view.js';
