import { CLIENT_VIEW_EXTRAS } from '@postwire/core';
import { USER_ROLES, type User } from '@postwire/persistence';
import { z } from 'zod';
import { timestamp, view } from '../schemas/views';

/** Whether the runtime knows this IANA zone (`Europe/Berlin`, `UTC`); offsets and abbreviations are refused. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const email = z.string().trim().max(254).email('must be an e-mail address');
/** Long enough to resist guessing, short enough that hashing it costs nothing extra. */
export const newPassword = z.string().min(12, 'must be at least 12 characters').max(1024, 'must be at most 1024 characters');
export const timeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC');
const role = z.enum(USER_ROLES as [User['role'], ...User['role'][]]);
const clientSees = z
  .array(z.enum(CLIENT_VIEW_EXTRAS))
  .max(CLIENT_VIEW_EXTRAS.length)
  .transform((v) => [...new Set(v)]);
const campaignIds = z.array(z.string().uuid('must be campaign ids')).max(10_000);

export const signInSchema = z.object({ email: z.string().max(254), password: z.string().max(1024) }).strict();
export const changePasswordSchema = z.object({ currentPassword: z.string().max(1024), newPassword }).strict();
export const preferencesSchema = z.object({ timeZone }).strict();

const displayName = z.string().trim().min(1, 'must not be empty (send null to clear it)').max(200).nullable();

export const createUserSchema = z
  .object({
    email,
    password: newPassword,
    role,
    campaignIds: campaignIds.optional(),
    hideProfit: z.boolean().optional(),
    /** What a client sees beyond its default view; applies to the `client` role only. */
    clientSees: clientSees.optional(),
    timeZone: timeZone.optional(),
    name: displayName.optional(),
  })
  .strict();
/** PATCH: any field (role, grants, name…); `version` is the one the user was read with (docs/lifecycle.md). */
export const updateUserSchema = createUserSchema
  .partial()
  .extend({ version: z.number({ invalid_type_error: 'must be the version number the user was read with' }).int().min(1).optional() })
  .strict();

/** A user as the API shows it to that user (`/api/auth/*`). */
export const sessionUserSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  role,
  campaignIds: z.array(z.string().uuid()),
  hideProfit: z.boolean(),
  clientSees: z.array(z.enum(CLIENT_VIEW_EXTRAS)),
  timeZone: z.string(),
});
export const sessionSchema = z.object({ user: sessionUserSchema, csrfToken: z.string() });
export const userSchema = sessionUserSchema
  .extend({
    name: z.string().nullable(),
    /** While set the account cannot sign in (docs/lifecycle.md). */
    disabledAt: timestamp.nullable(),
    status: z.enum(['active', 'disabled']),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .strict();

export function sessionUserView(user: User): z.infer<typeof sessionUserSchema> {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    campaignIds: user.campaignIds,
    hideProfit: user.hideProfit,
    clientSees: user.clientSees,
    timeZone: user.timeZone,
  };
}

/** One of the signed-in user's own sessions, as GET /api/auth/sessions lists it. */
export const ownSessionSchema = view({
  id: z.string(),
  createdAt: timestamp,
  expiresAt: timestamp,
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
