/* Generated from schemas/config.schema.json by `npm run gen:types`. Do not edit by hand: change the schema and regenerate. */

/**
 * deny: validate and plan stop with POLICY_DENIED (apply --allow-policy RULE overrides it on purpose); warn: POLICY_WARNING, and the plan goes on.
 */
export type PolicyLevel = 'warn' | 'deny';

/**
 * ipass project configuration (ipass.config.yaml or any cosmiconfig name for module "ipass").
 */
export interface IpassConfig {
  /**
   * Editor schema mapping; ignored by ipass.
   */
  $schema?: string;
  /**
   * Folder or glob(s) of campaign files, relative to the config file. Default "campaigns".
   */
  campaigns?: string | [string, ...string[]];
  /**
   * Folder for state; environment E lives at <stateDir>/E.state.json. Default ".ipass".
   */
  stateDir?: string;
  state?: StateConfig;
  policies?: PolicyConfig;
  /**
   * Environment used without --env or IPASS_ENV. Default "sandbox".
   */
  defaultEnvironment?: string;
  /**
   * Named targets. "sandbox" is built in (the embedded emulator).
   */
  environments?: {
    [k: string]: EnvironmentConfig | undefined;
  };
}
/**
 * Where an environment's state, apply journal, pass ledgers and lock live.
 */
export interface StateConfig {
  /**
   * file (default): under stateDir, for one machine or a person at a laptop. postgres: a shared database, so any runner can plan, apply or finish an apply another started.
   */
  backend: 'file' | 'postgres';
  /**
   * postgres only: postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=...], usually env:NAME or file:PATH (it holds the password). Without it, libpq's PG* variables (PGHOST, PGUSER, PGPASSWORD, ...) are used.
   */
  url?: string;
  /**
   * postgres only: schema holding ipass's tables, created on first use. Default "ipass".
   */
  schema?: string;
}
/**
 * Business guardrails checked by validate, plan and apply on what a plan changes (new templates, changed values): `deny` stops with POLICY_DENIED unless apply (or plan) is given --allow-policy RULE; `warn` prints POLICY_WARNING. Global, or under an environment, which wins rule by rule. See docs/policies.md.
 */
export interface PolicyConfig {
  maxDiscountPercent?: MaxDiscountPercentRule;
  maxStock?: MaxStockRule;
  minPriceCent?: MinPriceCentRule;
  maxPriceCent?: MaxPriceCentRule;
  maxPassesPerApply?: MaxPassesPerApplyRule;
  allowedUrlHosts?: AllowedUrlHostsRule;
}
/**
 * The largest discount, (originalAmountCent - currentAmountCent) / originalAmountCent, in percent; e.g. { limit: 50, level: deny }.
 */
export interface MaxDiscountPercentRule {
  /**
   * Percent, 0 to 100.
   */
  limit: number;
  level: PolicyLevel;
}
/**
 * The largest `stock` of a template; e.g. { limit: 100000, level: warn }.
 */
export interface MaxStockRule {
  /**
   * Cards.
   */
  limit: number;
  level: PolicyLevel;
}
/**
 * The lowest currentAmountCent and originalAmountCent, in cents; e.g. { limit: 100, level: warn } (HKD 1.00) catches prices written in dollars.
 */
export interface MinPriceCentRule {
  /**
   * Cents: 100 is HKD 1.00.
   */
  limit: number;
  level: PolicyLevel;
}
/**
 * The highest currentAmountCent and originalAmountCent, in cents; e.g. { limit: 100000, level: deny } (HKD 1,000.00).
 */
export interface MaxPriceCentRule {
  /**
   * Cents: 100000 is HKD 1,000.00.
   */
  limit: number;
  level: PolicyLevel;
}
/**
 * The most passes one apply may issue, across all pass batches; e.g. { limit: 50000, level: deny }.
 */
export interface MaxPassesPerApplyRule {
  /**
   * Passes.
   */
  limit: number;
  level: PolicyLevel;
}
/**
 * The hosts that imageUrl, merchantLogo, button.btnUrl and custom tab addresses may point to; e.g. { hosts: [cdn.example.com, "*.example.com"], level: deny }.
 */
export interface AllowedUrlHostsRule {
  /**
   * Allowed hosts; letters are compared without regard to case.
   *
   * @minItems 1
   */
  hosts: [string, ...string[]];
  level: PolicyLevel;
}
export interface EnvironmentConfig {
  /**
   * "sandbox" for the embedded emulator, or an http(s) base URL; API paths are appended.
   */
  endpoint: string;
  /**
   * Client-Id issued by AlipayHK; a literal, env:NAME or file:PATH.
   */
  clientId?: string;
  /**
   * Merchant id (16 digits, e.g. 2160120041113167); a literal, env:NAME or file:PATH.
   */
  merchantId?: string;
  /**
   * Your RSA-2048 private key: PEM (PKCS#8 or PKCS#1) or bare base64 PKCS#8, usually env:NAME or file:PATH.
   */
  privateKey?: string;
  /**
   * Your public key as registered with AlipayHK (SPKI PEM or bare base64); optional: `ipass doctor` checks that privateKey matches it.
   */
  publicKey?: string;
  /**
   * AlipayHK's public key (SPKI PEM or bare base64), used to verify every response signature.
   */
  alipayPublicKey?: string;
  /**
   * keyVersion sent in the Signature header. Default 1.
   */
  keyVersion?: number;
  /**
   * Requests in flight at once. Default 8 (16 for the embedded sandbox).
   */
  concurrency?: number;
  /**
   * Upper bound on requests started per second. Default 20 (unbounded for the sandbox).
   */
  requestsPerSecond?: number;
  /**
   * Per-request timeout in milliseconds. Default 15000.
   */
  timeoutMs?: number;
  /**
   * Retries of a request whose outcome is unknown (U, timeout, connection error, HTTP 5xx). Default 5.
   */
  maxRetries?: number;
  /**
   * Accept responses without verifying their signature. Only for experiments; never in production.
   */
  insecureSkipResponseVerification?: boolean;
  state?: StateConfig1;
  policies?: PolicyConfig1;
}
/**
 * Where an environment's state, apply journal, pass ledgers and lock live.
 */
export interface StateConfig1 {
  /**
   * file (default): under stateDir, for one machine or a person at a laptop. postgres: a shared database, so any runner can plan, apply or finish an apply another started.
   */
  backend: 'file' | 'postgres';
  /**
   * postgres only: postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=...], usually env:NAME or file:PATH (it holds the password). Without it, libpq's PG* variables (PGHOST, PGUSER, PGPASSWORD, ...) are used.
   */
  url?: string;
  /**
   * postgres only: schema holding ipass's tables, created on first use. Default "ipass".
   */
  schema?: string;
}
/**
 * Business guardrails checked by validate, plan and apply on what a plan changes (new templates, changed values): `deny` stops with POLICY_DENIED unless apply (or plan) is given --allow-policy RULE; `warn` prints POLICY_WARNING. Global, or under an environment, which wins rule by rule. See docs/policies.md.
 */
export interface PolicyConfig1 {
  maxDiscountPercent?: MaxDiscountPercentRule;
  maxStock?: MaxStockRule;
  minPriceCent?: MinPriceCentRule;
  maxPriceCent?: MaxPriceCentRule;
  maxPassesPerApply?: MaxPassesPerApplyRule;
  allowedUrlHosts?: AllowedUrlHostsRule;
}
