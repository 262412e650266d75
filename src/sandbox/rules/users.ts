// Which AlipayHK users exist in the sandbox: a userId of the shape AlipayHK user ids have (16 digits,
// see src/api/api-limits.ts) not starting 2999, an openId of 1–32 of [A-Za-z0-9_-] not starting
// "unknown". Anything else is a user that does not exist.
import { API_LIMITS, userIdProblem } from '../../api/api-limits.js';
import type { JsonObject } from './fields.js';

/** The longest userId or openId a request may carry (API_LIMITS: createPass String(32)). */
const MAX = API_LIMITS.userIdLength.value;
const OPEN_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX}}$`);

/** The refusal of a request without a usable userId or openId. */
export const USER_REQUIRED = `userId or openId is required (at most ${MAX} characters)`;

export function userIdExists(userId: string): boolean {
  return userIdProblem(userId) === undefined && !userId.startsWith('2999');
}

export function openIdExists(openId: string): boolean {
  return OPEN_ID.test(openId) && !openId.startsWith('unknown');
}

export interface UserRef {
  userId?: string;
  openId?: string;
}

/** The user ids of a request: undefined when neither is a string of 1–MAX characters. */
export function readUser(body: JsonObject): UserRef | undefined {
  const user: UserRef = {};
  for (const field of ['userId', 'openId'] as const) {
    const v = body[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v === '' || v.length > MAX) return undefined;
    user[field] = v;
  }
  return user.userId === undefined && user.openId === undefined ? undefined : user;
}

export function userExists(user: UserRef): boolean {
  return (
    (user.userId === undefined || userIdExists(user.userId)) &&
    (user.openId === undefined || openIdExists(user.openId))
  );
}
