// Failure codes the client makes up itself when there is no trustworthy API result: timeouts,
// socket errors, non-200 HTTP, unsigned / badly signed / unreadable responses. Text only, no logic.
import type { FailureKind } from './api-result.js';

export interface ClientCodeInfo {
  kind: FailureKind;
  meaning: string;
  action: string;
}

const CHECK_ENDPOINT =
  'Check `endpoint` of this environment and the network; then run apply again (the same ids are re-sent).';

export const CLIENT_CODES = {
  TIMEOUT: {
    kind: 'unknown',
    meaning: 'AlipayHK did not answer in time; the request may or may not have been applied.',
    action: `Run apply again later (the same ids are re-sent, so nothing is created twice); raise \`timeoutMs\` if the API is slow.`,
  },
  CONNECTION_ERROR: {
    kind: 'unknown',
    meaning: 'The connection to AlipayHK failed.',
    action: CHECK_ENDPOINT,
  },
  HTTP_5XX: {
    kind: 'unknown',
    meaning: 'AlipayHK answered with an HTTP server error; the request may or may not have been applied.',
    action: 'Run apply again later (the same ids are re-sent, so nothing is created twice).',
  },
  HTTP_OTHER: {
    kind: 'unknown',
    meaning: 'AlipayHK answered with an HTTP status other than 200, so the request was not processed.',
    action: `${CHECK_ENDPOINT} A proxy between ipass and AlipayHK can cause this too.`,
  },
  RESPONSE_UNSIGNED: {
    kind: 'verification',
    meaning:
      'The response carried no Signature or Response-Time, so it cannot be trusted; the request may or may not have been applied.',
    action:
      'Check that `endpoint` is AlipayHK and not a proxy that strips headers; run apply again later (the same ids are re-sent).',
  },
  RESPONSE_SIGNATURE_INVALID: {
    kind: 'verification',
    meaning:
      'The response signature does not verify with `alipayPublicKey`, so it cannot be trusted; the request may or may not have been applied.',
    action:
      "Check that `alipayPublicKey` is AlipayHK's public key for this environment (test and production differ); then run apply again.",
  },
  RESPONSE_OUT_OF_PLACE: {
    kind: 'verification',
    meaning:
      'The response is signed, but not an answer to this request: its Response-Time is far from when the request was sent, or its id already belongs to another recipient or address (a replayed answer). The request may or may not have been applied.',
    action:
      "Check this machine's clock; run apply again (the same ids are re-sent, so nothing is done twice). If it persists, report it to AlipayHK with the Tracer-Id.",
  },
  RESPONSE_MALFORMED: {
    kind: 'verification',
    meaning:
      'The response is not the JSON the API documents (no result object, or a success without its id); the request may or may not have been applied.',
    action:
      'Run apply again later (the same ids are re-sent); if it persists, report it to AlipayHK with the Tracer-Id.',
  },
} as const satisfies Record<string, ClientCodeInfo>;

export type ClientCode = keyof typeof CLIENT_CODES;
