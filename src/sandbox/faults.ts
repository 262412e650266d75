// Fault injection for the seven API routes: latency, random U / HTTP 500 / timeout / drop-after-commit
// at configured rates (a seeded PRNG, so runs repeat), and a script of faults consumed in order. The
// script also has two answers a client must not trust: an unsigned credentials refusal of a request
// that was applied, and a replay of an earlier signed success (byte for byte) instead of an answer.
import { ENDPOINT_PATHS, type EndpointName } from '../api/endpoints.js';
import { IpassError } from '../diagnostics/errors.js';

export type FaultKind =
  | 'unknown'
  | 'http500'
  | 'timeout'
  | 'drop-after-commit'
  /** Apply and persist, then answer an unsigned ACCESS_DENIED. */
  | 'unsigned-after-commit'
  /** Do not apply; answer the last signed success of this endpoint again, headers and all. */
  | 'replay-success';

export interface ScriptedFault {
  /** Only requests to this endpoint consume the entry; any endpoint when absent. */
  endpoint?: EndpointName;
  fault: FaultKind;
  /** How many matching requests get this fault. */
  times: number;
}

export interface FaultConfig {
  /** Added before every API request is handled. */
  latencyMs?: number;
  /** Answer U UNKNOWN_EXCEPTION without applying. */
  unknownRate?: number;
  /** Answer HTTP 500 without applying. */
  http500Rate?: number;
  /** Never answer (the socket is held until the client gives up); not applied. */
  timeoutRate?: number;
  /** Apply and persist, then destroy the connection without a response. */
  dropAfterCommitRate?: number;
  /** PRNG seed for the rates; default 1. */
  seed?: number;
  /** Consumed before the rates are consulted: the first entry that matches the request. */
  script?: ScriptedFault[];
}

export const FAULT_KINDS: readonly FaultKind[] = [
  'unknown',
  'http500',
  'timeout',
  'drop-after-commit',
  'unsigned-after-commit',
  'replay-success',
];

const RATES = [
  ['timeoutRate', 'timeout'],
  ['http500Rate', 'http500'],
  ['unknownRate', 'unknown'],
  ['dropAfterCommitRate', 'drop-after-commit'],
] as const;

const bad = (what: string): IpassError =>
  new IpassError('SANDBOX_FAULTS_INVALID', `The sandbox fault configuration is not valid: ${what}.`, {
    hint: 'Example: {"unknownRate":0.1,"seed":7,"script":[{"endpoint":"createPass","fault":"drop-after-commit","times":1}]}',
  });

/** Check a fault configuration from JSON (a file, the environment or the /__sandbox/faults route). */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw bad('expected a JSON object');
  const raw = input as Record<string, unknown>;
  const known = new Set(['latencyMs', 'seed', 'script', ...RATES.map(([rate]) => rate)]);
  for (const field of Object.keys(raw)) if (!known.has(field)) throw bad(`unknown field "${field}"`);
  const config: FaultConfig = {};
  for (const [rate] of RATES) {
    const v = raw[rate];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw bad(`${rate} must be a number from 0 to 1`);
    config[rate] = v;
  }
  if (raw.latencyMs !== undefined) {
    if (typeof raw.latencyMs !== 'number' || !(raw.latencyMs >= 0)) throw bad('latencyMs must be ≥ 0');
    config.latencyMs = raw.latencyMs;
  }
  if (raw.seed !== undefined) {
    if (typeof raw.seed !== 'number' || !Number.isInteger(raw.seed)) throw bad('seed must be an integer');
    config.seed = raw.seed;
  }
  if (raw.script !== undefined) {
    if (!Array.isArray(raw.script)) throw bad('script must be a list');
    config.script = raw.script.map((entry: unknown, i) => parseScripted(entry, i));
  }
  return config;
}

function parseScripted(entry: unknown, i: number): ScriptedFault {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  if (!FAULT_KINDS.includes(e.fault as FaultKind))
    throw bad(`script[${i}].fault must be one of ${FAULT_KINDS.join(', ')}`);
  if (typeof e.times !== 'number' || !Number.isInteger(e.times) || e.times < 1) {
    throw bad(`script[${i}].times must be a positive integer`);
  }
  const out: ScriptedFault = { fault: e.fault as FaultKind, times: e.times };
  if (e.endpoint !== undefined) {
    if (typeof e.endpoint !== 'string' || !(e.endpoint in ENDPOINT_PATHS)) {
      throw bad(`script[${i}].endpoint must be one of ${Object.keys(ENDPOINT_PATHS).join(', ')}`);
    }
    out.endpoint = e.endpoint as EndpointName;
  }
  return out;
}

/** mulberry32: small, fast and good enough to spread faults. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class FaultInjector {
  private config: FaultConfig = {};
  private script: ScriptedFault[] = [];
  private random: () => number = prng(1);
  readonly injected: Record<FaultKind, number> = {
    unknown: 0,
    http500: 0,
    timeout: 0,
    'drop-after-commit': 0,
    'unsigned-after-commit': 0,
    'replay-success': 0,
  };

  constructor(config: FaultConfig = {}) {
    this.set(config);
  }

  /** Replace the configuration; the script and the PRNG start over. */
  set(config: FaultConfig): void {
    this.config = { ...config };
    this.script = (config.script ?? []).map((entry) => ({ ...entry }));
    this.random = prng(config.seed ?? 1);
  }

  /** The configuration with what is left of the script. */
  current(): FaultConfig {
    const { script: _, ...rest } = this.config;
    return this.script.length > 0 ? { ...rest, script: this.script.map((e) => ({ ...e })) } : rest;
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  /** The fault for this request, if any (counted as injected). */
  decide(endpoint: EndpointName): FaultKind | undefined {
    const fault = this.fromScript(endpoint) ?? this.fromRates();
    if (fault) this.injected[fault] += 1;
    return fault;
  }

  private fromScript(endpoint: EndpointName): FaultKind | undefined {
    const i = this.script.findIndex((e) => e.endpoint === undefined || e.endpoint === endpoint);
    const entry = this.script[i];
    if (!entry) return undefined;
    entry.times -= 1;
    if (entry.times <= 0) this.script.splice(i, 1);
    return entry.fault;
  }

  private fromRates(): FaultKind | undefined {
    const total = RATES.reduce((sum, [rate]) => sum + (this.config[rate] ?? 0), 0);
    if (total <= 0) return undefined;
    let r = this.random();
    for (const [rate, fault] of RATES) {
      r -= this.config[rate] ?? 0;
      if (r < 0) return fault;
    }
    return undefined;
  }
}
