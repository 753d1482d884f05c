/**
 * The rules of staff administration and the profile, pure: what an account, a group, a password and an
 * out-of-office period must look like, and who is away today. No I/O, no clock — the caller passes today.
 * `staff-admin.service.ts` applies them; the inbox uses `isAway` to show an away person's tasks to their substitute.
 */
import type { StaffRole } from '../db/schema.js';

// A record, so that a role added to the schema fails to compile here until forms list it.
const ROLES: Record<StaffRole, true> = {
  caseworker: true,
  team_lead: true,
  service_designer: true,
  administrator: true,
};

export const isStaffRole = (value: string): value is StaffRole => Object.hasOwn(ROLES, value);

/** Every role, in the order forms list them. */
export const STAFF_ROLE_ORDER: readonly StaffRole[] = Object.keys(ROLES).filter(isStaffRole);

/** A problem with one field of a form: the field's name and the i18n key of the message. */
export interface FieldProblem {
  field: string;
  messageKey: string;
}

/** Out of office: within [awayFrom, awayUntil] (dates, YYYY-MM-DD, both inclusive) the member is away. */
export interface AwayPeriod {
  awayFrom: string | null;
  awayUntil: string | null;
}

/** Whether the member is out of office on `today` (YYYY-MM-DD in the agency's time zone, `agencyToday()`). */
export function isAway(member: AwayPeriod, today: string): boolean {
  if (!member.awayFrom || !member.awayUntil) return false;
  // ISO dates compare as strings.
  return member.awayFrom <= today && today <= member.awayUntil;
}

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 200;
const MAX_NAME_LENGTH = 200;
// Deliberately loose: one @, something on both sides, a dot in the domain. The mail itself proves the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Group ids are candidate groups in BPMN models (`zeebe:candidateGroups`): lower-case slugs. */
const GROUP_ID = /^[a-z0-9][a-z0-9_-]{1,63}$/;
/** The company side's candidate group: never a staff group. */
const RESERVED_GROUP_IDS = new Set(['applicant']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface AccountInput {
  name: string;
  email: string;
  roles: StaffRole[];
  groups: string[];
}

/** Text of a form field; anything else (a repeated field, a missing one) counts as empty. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The values of a checkbox group: one string, several, or none. */
export function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** An account form's input as typed (unknown roles and groups are kept out and reported). */
export function accountInputOf(form: Record<string, unknown>): AccountInput {
  return {
    name: textOf(form.name),
    email: textOf(form.email).toLowerCase(),
    roles: listOf(form.roles).filter(isStaffRole),
    groups: listOf(form.groups),
  };
}

/**
 * What is wrong with an account: `knownGroups` are the groups that exist, `emailTaken` whether another
 * account has the address. `self`: the administrator is editing their own account, whose administrator role
 * they may not remove (someone must be left to administer, and it is never the one who locks themselves out).
 */
export function accountProblems(
  input: AccountInput,
  context: { knownGroups: readonly string[]; emailTaken: boolean; self?: boolean },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.name) problems.push({ field: 'name', messageKey: 'staffAdmin.error.nameRequired' });
  else if (input.name.length > MAX_NAME_LENGTH)
    problems.push({ field: 'name', messageKey: 'staffAdmin.error.tooLong' });
  if (!EMAIL.test(input.email) || input.email.length > MAX_NAME_LENGTH)
    problems.push({ field: 'email', messageKey: 'staffAdmin.error.emailInvalid' });
  else if (context.emailTaken) problems.push({ field: 'email', messageKey: 'staffAdmin.error.emailTaken' });
  if (input.roles.length === 0) problems.push({ field: 'roles', messageKey: 'staffAdmin.error.roleRequired' });
  else if (context.self && !input.roles.includes('administrator'))
    problems.push({ field: 'roles', messageKey: 'staffAdmin.error.ownAdministratorRole' });
  if (input.groups.some((group) => !context.knownGroups.includes(group)))
    problems.push({ field: 'groups', messageKey: 'staffAdmin.error.unknownGroup' });
  return problems;
}

/** What is wrong with a new group's id and name (`idTaken`: a group with this id exists). */
export function groupProblems(input: { id: string; name: string }, context: { idTaken: boolean }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!GROUP_ID.test(input.id)) problems.push({ field: 'id', messageKey: 'staffAdmin.error.groupIdInvalid' });
  else if (RESERVED_GROUP_IDS.has(input.id) || context.idTaken)
    problems.push({ field: 'id', messageKey: 'staffAdmin.error.groupIdTaken' });
  problems.push(...groupNameProblems(input.name));
  return problems;
}

export function groupNameProblems(name: string): FieldProblem[] {
  if (!name) return [{ field: 'name', messageKey: 'staffAdmin.error.nameRequired' }];
  if (name.length > MAX_NAME_LENGTH) return [{ field: 'name', messageKey: 'staffAdmin.error.tooLong' }];
  return [];
}

/** Whether a string can be a group id at all (a path segment that is not one is answered 404 unasked). */
export const isGroupId = (value: string) => GROUP_ID.test(value);

/** What is wrong with a new password typed twice (`email`: the account's, which is no password). */
export function newPasswordProblems(input: { password: string; repeat: string; email: string }): FieldProblem[] {
  if (input.password.length < MIN_PASSWORD_LENGTH)
    return [{ field: 'password', messageKey: 'password.error.tooShort' }];
  if (input.password.length > MAX_PASSWORD_LENGTH) return [{ field: 'password', messageKey: 'password.error.tooLong' }];
  if (input.password.toLowerCase() === input.email.toLowerCase())
    return [{ field: 'password', messageKey: 'password.error.isEmail' }];
  if (input.password !== input.repeat) return [{ field: 'repeat', messageKey: 'password.error.mismatch' }];
  return [];
}

export interface AwayInput {
  awayFrom: string;
  awayUntil: string;
  substituteId: string;
}

/**
 * What is wrong with an out-of-office period: two real dates in order, not wholly past, and a substitute
 * among `colleagues` (active staff sharing a group with the member, never the member themselves).
 */
export function awayProblems(
  input: AwayInput,
  context: { today: string; colleagues: readonly string[] },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const fromOk = isIsoDate(input.awayFrom);
  const untilOk = isIsoDate(input.awayUntil);
  if (!fromOk) problems.push({ field: 'awayFrom', messageKey: 'profile.error.dateInvalid' });
  if (!untilOk) problems.push({ field: 'awayUntil', messageKey: 'profile.error.dateInvalid' });
  if (fromOk && untilOk && input.awayUntil < input.awayFrom)
    problems.push({ field: 'awayUntil', messageKey: 'profile.error.untilBeforeFrom' });
  else if (untilOk && input.awayUntil < context.today)
    problems.push({ field: 'awayUntil', messageKey: 'profile.error.untilPast' });
  if (!context.colleagues.includes(input.substituteId))
    problems.push({ field: 'substituteId', messageKey: 'profile.error.substituteRequired' });
  return problems;
}

/** A calendar date in ISO form that exists (no 31 February). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** How long a set-password link works. */
export const PASSWORD_LINK_HOURS = 24;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * A set-password link's token is `<row id>.<secret>`: the id finds the row without comparing secrets in a
 * query, the secret (32 random bytes, base64url) is then compared with the stored hash in constant time.
 */
export function parsePasswordToken(token: unknown): { id: string; secret: string } | undefined {
  if (typeof token !== 'string') return undefined;
  const [id, secret, ...rest] = token.split('.');
  if (rest.length > 0 || !id || !secret || !UUID.test(id) || !SECRET.test(secret)) return undefined;
  return { id, secret };
}

/** Whether a stored token can still set a password at `now`. */
export function passwordTokenUsable(token: { expiresAt: Date; usedAt: Date | null }, now: Date): boolean {
  return token.usedAt === null && token.expiresAt.getTime() > now.getTime();
}

/** The idempotency key of a set-password mail starts with this (staff-admin.service.ts). */
export const PASSWORD_LINK_MAIL = 'password-link:';

/**
 * A set-password mail as the outbox page shows it: once delivered (SMTP), its link is masked, so that an
 * administrator reading the outbox cannot take over the account. Undelivered (no SMTP: the outbox is where
 * mail ends) it stays readable, or nobody could pass the link on.
 */
export function maskDeliveredPasswordLink<Mail extends { idempotencyKey: string; body: string; sentAt: Date | null }>(
  mail: Mail,
): Mail {
  if (!mail.idempotencyKey.startsWith(PASSWORD_LINK_MAIL) || mail.sentAt === null) return mail;
  return { ...mail, body: mail.body.replace(/([?&]token=)\S+/g, '$1…') };
}
