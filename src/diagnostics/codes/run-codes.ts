// Codes of running ipass: the command line, the config and credentials, the API client, planning
// and applying (errors, plan diagnostics and notices, and the outcomes ipass gives a request itself).
import { diagnostic, type ErrorCodeInfo, error, notice, outcome } from './code-info.js';

export const RUN_CODES = {
  BAD_FLAG: error('cli', 'A command-line flag has a value it does not take.'),
  BAD_DURATION: error(
    'cli',
    'A duration flag (such as --lock-timeout) is not a duration or has no unit (30 → 30s).',
  ),
  APPLY_NEEDS_APPROVAL: error(
    'cli',
    'apply has no terminal to confirm on, and neither --auto-approve nor a plan file.',
  ),
  APPLY_JSON_NEEDS_APPROVAL: error(
    'cli',
    '`apply --format json` cannot ask for confirmation (stdout carries only the report): it needs --auto-approve or a plan file.',
  ),
  CAMPAIGNS_INVALID: error('cli', 'The campaign files have errors (listed before it), so nothing was done.'),
  KEYS_EXIST: error('cli', '`ipass keys generate` would overwrite a key file; it never does.'),
  INIT_WRITE_FAILED: error('cli', '`ipass init` could not write one of its files.'),
  INIT_INSIDE_PROJECT: error(
    'cli',
    '`ipass init` was run inside an existing ipass project; it starts none there.',
  ),
  PREVIEW_WRITE_FAILED: error('preview', 'The preview pages could not be written to their folder.'),

  CONFIG_INVALID: error('config', 'The config file has problems (listed before it), so nothing was done.'),
  CONFIG_UNREADABLE: diagnostic('config', 'The config file cannot be read or is not valid YAML.'),
  CONFIG_MISSING_FIELD: diagnostic('config', 'The config lacks a required field.'),
  CONFIG_UNKNOWN_FIELD: diagnostic('config', 'The config has a field ipass does not know (often a typo).'),
  CONFIG_INVALID_VALUE: diagnostic('config', 'A config value is not one of those allowed.'),
  CONFIG_WRONG_TYPE: diagnostic('config', 'A config value has the wrong type.'),
  CONFIG_OUT_OF_RANGE: diagnostic('config', 'A config value is too small, too large, too long or too short.'),
  CONFIG_BAD_FORMAT: diagnostic('config', 'A config value is not in the expected format.'),
  CONFIG_BAD_NAME: diagnostic('config', 'A name in the config (an environment) is not allowed.'),
  CONFIG_UNKNOWN_ENVIRONMENT: diagnostic(
    'config',
    '`ipass validate` was pointed at an environment the config lacks.',
  ),
  ENVIRONMENT_UNKNOWN: error(
    'config',
    'The environment chosen (--env, IPASS_ENV, defaultEnvironment) is not in the config.',
  ),
  CONFIG_ENV_MISSING: error('config', 'A setting reads an environment variable (env:NAME) that is not set.'),
  CONFIG_FILE_MISSING: error('config', 'A setting reads a file (file:PATH) that cannot be read.'),
  CONFIG_IMPORT_REFUSED: diagnostic(
    'config',
    'The config has an `$import` key: ipass merges no other file into it.',
  ),
  PATH_OUTSIDE_PROJECT: diagnostic(
    'config',
    'A path a config or campaign file names resolves (links followed) outside the project: never opened.',
  ),
  CONFIG_MISSING_CREDENTIAL: error(
    'config',
    'An environment lacks a credential its endpoint needs (clientId, key …).',
  ),
  CONFIG_NO_RESPONSE_KEY: error(
    'config',
    'A remote environment has no `alipayPublicKey` to verify answers with.',
  ),
  CONFIG_BAD_PRIVATE_KEY: error(
    'config',
    "An environment's `privateKey` is not a usable RSA private key (RSA-2048 or larger; the pair of `publicKey` when one is given).",
  ),
  CONFIG_BAD_PUBLIC_KEY: error(
    'config',
    "An environment's `alipayPublicKey` (or `publicKey`) is not a usable public key.",
  ),

  CLIENT_OPTIONS_INVALID: error(
    'client',
    'A client setting (endpoint, concurrency, rate, timeout, retries) is out of range.',
  ),
  CLIENT_NO_RESPONSE_KEY: error('client', 'The API client was made without a key to verify answers with.'),
  CLIENT_NO_BASE_URL: error(
    'client',
    'The client of the embedded sandbox was made before the sandbox started (a bug).',
  ),
  CLIENT_CLOSED: error('client', 'A request was made after the API client was closed (a bug).'),
  API_REQUEST_INVALID: error(
    'client',
    'An HTTP request could not be built from the settings (a stray character).',
  ),

  PLAN_UNREADABLE: error(
    'plan',
    'The plan file cannot be read, or is not an ipass plan of this format version.',
  ),
  PLAN_HAS_ERRORS: error('plan', 'The saved plan has errors, so it cannot be applied.'),
  PLAN_WRONG_ENVIRONMENT: error('plan', 'The saved plan was made for another environment.'),
  PLAN_INPUTS_CHANGED: error('plan', 'The campaign files changed since the saved plan was made.'),
  PLAN_FOREIGN: error('plan', 'The saved plan was made against another state (another lineage).'),
  PLAN_STALE: error('plan', 'The state changed since the saved plan was made (another serial).'),
  PLAN_UNSETTLED: error(
    'plan',
    'An interrupted apply left requests in doubt, so a saved plan cannot run now.',
  ),
  PLAN_DIVERGED: error('plan', 'The saved plan is not what the files, the state (and the API) give now.'),
  REFRESH_FAILED: error('plan', 'Templates could not be read from the API to refresh the plan.'),
  POLICY_DENIED: diagnostic('plan', 'A change breaks a `deny` business rule of the config (`policies:`).'),
  POLICY_WARNING: diagnostic('plan', 'A change breaks a `warn` business rule of the config (`policies:`).'),
  POLICY_OVERRIDDEN: diagnostic(
    'plan',
    'A `deny` business rule broken on purpose, allowed with --allow-policy.',
  ),
  IMPORT_CODE_MANAGED: diagnostic(
    'plan',
    'An `import` entry names a template the state manages at another address.',
  ),
  IMPORT_ADDRESS_MANAGED: diagnostic(
    'plan',
    'An `import` entry names an address that manages another template already.',
  ),
  IMPORT_UNKNOWN_CODE: diagnostic(
    'plan',
    'An `import` entry names a template the API does not know (or another merchant’s).',
  ),
  IMPORT_CANNOT_CHANGE: diagnostic(
    'plan',
    'An imported template differs from the files in a field that cannot be updated (type, product, codeType, codeStandard), or is closed while the files want it open.',
  ),
  IMPORT_GENERATE_EXISTS: error('cli', '`ipass import generate` would overwrite a file; it never does.'),
  IMPORT_GENERATE_UNKNOWN: error(
    'cli',
    '`ipass import generate` was given a code the API does not know (or another merchant’s).',
  ),
  IMPORT_GENERATE_NO_CODES: error(
    'cli',
    '`ipass import generate` was given no template code, or a code that is not one.',
  ),
  MOVE_TARGET_EXISTS: diagnostic(
    'plan',
    'A rename would move a template onto an address that has one already.',
  ),
  TEMPLATE_STATUS_TRANSITION: diagnostic(
    'plan',
    'A template cannot change from its status to the one asked for.',
  ),
  TEMPLATE_PROTECTED: diagnostic(
    'plan',
    'A change would close or replace a template marked `protect: true`.',
  ),
  TEMPLATE_MISSING_FROM_FILES: diagnostic(
    'plan',
    'A template in the state is in no campaign file; it is not closed.',
  ),
  TEMPLATE_START_MOVED_INTO_PAST: diagnostic(
    'plan',
    "An existing template's startDate would change to a past moment.",
  ),
  TEMPLATE_STOCK_BELOW_ISSUED: diagnostic(
    'plan',
    'A stock would go below the passes already issued from the template.',
  ),
  REMOVED_NOT_IN_STATE: diagnostic('plan', 'An address under `removed` has no template in this environment.'),
  PASS_TEMPLATE_NOT_VALID: diagnostic(
    'plan',
    'A pass batch would issue from a template that is not valid (paused, closed …).',
  ),
  PASS_TEMPLATE_UNMANAGED: diagnostic(
    'plan',
    "A pass batch's templateCode is not in this environment's state.",
  ),
  PASS_TYPE_MISMATCH: diagnostic(
    'plan',
    "A pass batch's type/product differ from its template's in the state.",
  ),
  PASS_STOCK_EXCEEDED: diagnostic('plan', "A pass batch would issue more passes than its template's stock."),
  PASS_IN_DOUBT_TEMPLATE_CHANGE: diagnostic(
    'plan',
    'Passes in doubt were sent to another template than this plan sends to.',
  ),
  PASS_IN_DOUBT_ON_CLOSED_TEMPLATE: diagnostic(
    'plan',
    'Passes in doubt were sent to a template that is closed now.',
  ),
  PLAN_IRREVERSIBLE: notice(
    'plan',
    'A change cannot be undone (a close, or a replace that closes the old template).',
  ),
  PLAN_CUSTOMER_IMPACT: notice(
    'plan',
    'A change touches what customers holding passes see (a pause, a rename).',
  ),

  APPLY_OLDER_COMMIT: error(
    'apply',
    'apply was run from a commit that is not a descendant of the last one applied (a rollback); nothing was sent.',
  ),
  APPLY_COMMIT_UNKNOWN: error(
    'apply',
    'A shallow clone lacks the last applied commit even after fetching more, so apply cannot rule out a rollback.',
  ),
  RESUME_INCOMPLETE: error(
    'apply',
    'Requests an earlier apply left in doubt are still unsettled; nothing new is sent.',
  ),
  RECIPIENTS_CHANGED: error('apply', 'A recipients file changed after it was checked, so its batch stopped.'),
  STATE_NOT_RECORDED: outcome(
    'apply',
    'The API answered, but the answer could not be recorded; the next apply settles it.',
  ),
  STOCK_NOT_REPORTED: outcome(
    'apply',
    "The API's detail did not report a template's stock, so no stock change was sent.",
  ),
} satisfies Record<string, ErrorCodeInfo>;
