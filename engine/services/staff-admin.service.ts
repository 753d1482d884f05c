import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { Mailer } from '../mail/mailer.js';
import type { AccountRepository, StaffAccount, StaffGroup } from '../repositories/account.repository.js';
import type { PasswordTokenRepository } from '../repositories/password-token.repository.js';
import type { SessionRepository } from '../repositories/session.repository.js';
import { hashPassword, type StaffSession } from './auth.service.js';
import {
  PASSWORD_LINK_HOURS,
  PASSWORD_LINK_MAIL,
  accountInputOf,
  accountProblems,
  awayProblems,
  groupNameProblems,
  groupProblems,
  listOf,
  newPasswordProblems,
  parsePasswordToken,
  passwordTokenUsable,
  textOf,
  type AccountInput,
  type FieldProblem,
} from './staff-rules.js';
import { agencyToday } from './today.js';

export { isAway } from './staff-rules.js';
export type { StaffAccount, StaffGroup };

/** A stored password that no password matches (argon2 cannot read it): the account waits for its link. */
const NO_PASSWORD_YET = '!no-password-yet';

export type Outcome<T = undefined> =
  { ok: true; value: T } | { ok: false; problems: FieldProblem[] } | { ok: false; notFound: true };

export interface StaffAdminService {
  listStaff(): Promise<StaffAccount[]>;
  findStaff(staffId: string): Promise<StaffAccount | undefined>;
  listGroups(): Promise<StaffGroup[]>;
  /** The group with every account, each marked whether it is a member. */
  group(
    groupId: string,
  ): Promise<
    | { id: string; name: string; staff: (Pick<StaffAccount, 'id' | 'name' | 'email'> & { member: boolean })[] }
    | undefined
  >;
  /** A new account, and a mail to it with a link to set its password. */
  createAccount(actor: StaffSession, form: Record<string, unknown>, origin: string): Promise<Outcome<string>>;
  /**
   * New name, e-mail, roles and groups. The member's sessions end (their session carries roles and groups as
   * at login) — unless the administrator edits themselves: then the answer is their account to refresh with.
   */
  updateAccount(actor: StaffSession, staffId: string, form: Record<string, unknown>): Promise<Outcome<StaffAccount>>;
  /** Disables (ending their sessions at once) or enables an account; never the administrator's own. */
  setDisabled(actor: StaffSession, staffId: string, disabled: boolean): Promise<Outcome>;
  /** The old password stops working, the member's sessions end, and a new set-password link is mailed. */
  resetPassword(actor: StaffSession, staffId: string, origin: string): Promise<Outcome>;
  createGroup(form: Record<string, unknown>): Promise<Outcome<string>>;
  renameGroup(groupId: string, form: Record<string, unknown>): Promise<Outcome>;
  /** Exactly the checked accounts become members; those who joined or left are logged out (not the actor). */
  setGroupMembers(actor: StaffSession, groupId: string, form: Record<string, unknown>): Promise<Outcome<StaffAccount>>;

  /** Who a set-password link is for, while it is usable. */
  passwordLink(token: unknown): Promise<{ name: string; email: string } | undefined>;
  /** Sets the password through a link (once); ends every session of the account. */
  setPasswordWithLink(token: unknown, form: Record<string, unknown>): Promise<Outcome>;

  /** Own account and the colleagues who may substitute. */
  profile(
    member: StaffSession,
  ): Promise<{ account: StaffAccount; colleagues: { id: string; name: string; email: string }[] } | undefined>;
  /** Current password, then the new one twice; the member's other sessions end. */
  changeOwnPassword(member: StaffSession, form: Record<string, unknown>, currentSessionId: string): Promise<Outcome>;
  setAway(member: StaffSession, form: Record<string, unknown>): Promise<Outcome>;
  clearAway(member: StaffSession): Promise<void>;
}

export interface StaffAdminServiceDeps {
  accounts: AccountRepository;
  passwordTokens: PasswordTokenRepository;
  sessions: SessionRepository;
  mailer: Mailer;
  /** PUBLIC_URL: where mailed links point; unset, the origin of the administrator's request. */
  publicUrl?: string;
  clock?: () => Date;
}

const problem = (field: string, messageKey: string): Outcome<never> => ({
  ok: false,
  problems: [{ field, messageKey }],
});
const notFound: Outcome<never> = { ok: false, notFound: true };
const done: Outcome = { ok: true, value: undefined };

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export function createStaffAdminService(deps: StaffAdminServiceDeps): StaffAdminService {
  const { accounts, passwordTokens, sessions, mailer } = deps;
  const now = deps.clock ?? (() => new Date());

  /** Issues a link and mails it; the token appears only in the mail, never in a log or a page. */
  async function mailPasswordLink(
    account: { id: string; name: string; email: string },
    purpose: 'invitation' | 'reset',
    origin: string,
  ) {
    const secret = randomBytes(32).toString('base64url');
    const issuedAt = now();
    const stored = await passwordTokens.issue(
      {
        principalKind: 'staff',
        principalId: account.id,
        secretHash: sha256(secret).toString('hex'),
        purpose,
        expiresAt: new Date(issuedAt.getTime() + PASSWORD_LINK_HOURS * 3_600_000),
      },
      issuedAt,
    );
    const link = `${(deps.publicUrl ?? origin).replace(/\/$/, '')}/staff/password?token=${stored.id}.${secret}`;
    await mailer.send({
      idempotencyKey: `${PASSWORD_LINK_MAIL}${stored.id}`,
      to: account.email,
      ...passwordMail(account.name, purpose, link),
    });
  }

  async function usableToken(token: unknown) {
    const parsed = parsePasswordToken(token);
    const stored = parsed ? await passwordTokens.find(parsed.id) : undefined;
    if (!parsed || !stored || stored.principalKind !== 'staff' || !passwordTokenUsable(stored, now())) return undefined;
    const expected = Buffer.from(stored.secretHash, 'hex');
    const given = sha256(parsed.secret);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const account = await accounts.findStaff(stored.principalId);
    return account && { stored, account };
  }

  async function accountCheck(input: AccountInput, exceptStaffId: string | undefined, self: boolean) {
    const knownGroups = (await accounts.listGroups()).map((group) => group.id);
    const emailTaken = await accounts.staffEmailTaken(input.email, exceptStaffId);
    return accountProblems(input, { knownGroups, emailTaken, self });
  }

  return {
    listStaff: () => accounts.listStaff(),
    findStaff: (staffId) => accounts.findStaff(staffId),
    listGroups: () => accounts.listGroups(),

    async group(groupId) {
      const group = await accounts.findGroup(groupId);
      if (!group) return undefined;
      const everyone = await accounts.listStaff();
      return {
        ...group,
        staff: everyone.map(({ id, name, email, groups }) => ({ id, name, email, member: groups.includes(groupId) })),
      };
    },

    async createAccount(_actor, form, origin) {
      const input = accountInputOf(form);
      const problems = await accountCheck(input, undefined, false);
      if (problems.length > 0) return { ok: false, problems };
      const id = await accounts.createStaff(
        { email: input.email, name: input.name, roles: input.roles, passwordHash: NO_PASSWORD_YET },
        input.groups,
      );
      if (!id) return problem('email', 'staffAdmin.error.emailTaken');
      await mailPasswordLink({ id, name: input.name, email: input.email }, 'invitation', origin);
      return { ok: true, value: id };
    },

    async updateAccount(actor, staffId, form) {
      if (!(await accounts.findStaff(staffId))) return notFound;
      const self = actor.staffId === staffId;
      const input = accountInputOf(form);
      const problems = await accountCheck(input, staffId, self);
      if (problems.length > 0) return { ok: false, problems };
      const saved = await accounts.updateStaff(
        staffId,
        { email: input.email, name: input.name, roles: input.roles },
        input.groups,
      );
      if (!saved) return problem('email', 'staffAdmin.error.emailTaken');
      if (!self) await sessions.endSessionsOfStaff(staffId);
      const account = await accounts.findStaff(staffId);
      return account ? { ok: true, value: account } : notFound;
    },

    async setDisabled(actor, staffId, disabled) {
      if (!(await accounts.findStaff(staffId))) return notFound;
      if (actor.staffId === staffId) return problem('status', 'staffAdmin.error.disableSelf');
      await accounts.setStaffDisabled(staffId, disabled ? now() : null);
      // After the flag, so a login racing with this cannot make a session that survives it.
      if (disabled) await sessions.endSessionsOfStaff(staffId);
      return done;
    },

    async resetPassword(_actor, staffId, origin) {
      const account = await accounts.findStaff(staffId);
      if (!account) return notFound;
      // A reset is often because the password leaked: it stops working now, not when the new one is set.
      await accounts.setStaffPasswordHash(staffId, NO_PASSWORD_YET);
      await sessions.endSessionsOfStaff(staffId);
      await mailPasswordLink(account, 'reset', origin);
      return done;
    },

    async createGroup(form) {
      const input = { id: textOf(form.id).toLowerCase(), name: textOf(form.name) };
      const idTaken = (await accounts.findGroup(input.id)) !== undefined;
      const problems = groupProblems(input, { idTaken });
      if (problems.length > 0) return { ok: false, problems };
      if (!(await accounts.createGroup(input))) return problem('id', 'staffAdmin.error.groupIdTaken');
      return { ok: true, value: input.id };
    },

    async renameGroup(groupId, form) {
      if (!(await accounts.findGroup(groupId))) return notFound;
      const name = textOf(form.name);
      const problems = groupNameProblems(name);
      if (problems.length > 0) return { ok: false, problems };
      await accounts.renameGroup(groupId, name);
      return done;
    },

    async setGroupMembers(actor, groupId, form) {
      if (!(await accounts.findGroup(groupId))) return notFound;
      const known = new Set((await accounts.listStaff()).map((account) => account.id));
      const wanted = [...new Set(listOf(form.members))];
      if (wanted.some((id) => !known.has(id))) return problem('members', 'staffAdmin.error.unknownMember');
      const { joined, left } = await accounts.setGroupMembers(groupId, wanted);
      for (const staffId of [...joined, ...left])
        if (staffId !== actor.staffId) await sessions.endSessionsOfStaff(staffId);
      const self = await accounts.findStaff(actor.staffId);
      return self ? { ok: true, value: self } : notFound;
    },

    async passwordLink(token) {
      const found = await usableToken(token);
      return found && { name: found.account.name, email: found.account.email };
    },

    async setPasswordWithLink(token, form) {
      const found = await usableToken(token);
      if (!found) return notFound;
      const password = typeof form.password === 'string' ? form.password : '';
      const repeat = typeof form.repeat === 'string' ? form.repeat : '';
      const problems = newPasswordProblems({ password, repeat, email: found.account.email });
      if (problems.length > 0) return { ok: false, problems };
      const passwordHash = await hashPassword(password);
      // Single use: of two submissions of the same link, only the one that marks it used sets a password.
      if (!(await passwordTokens.consume(found.stored.id, now()))) return notFound;
      await accounts.setStaffPasswordHash(found.account.id, passwordHash);
      await sessions.endSessionsOfStaff(found.account.id);
      return done;
    },

    async profile(member) {
      const account = await accounts.findStaff(member.staffId);
      if (!account) return undefined;
      return { account, colleagues: await accounts.colleaguesOf(member.staffId) };
    },

    async changeOwnPassword(member, form, currentSessionId) {
      const current = typeof form.current === 'string' ? form.current : '';
      const password = typeof form.password === 'string' ? form.password : '';
      const repeat = typeof form.repeat === 'string' ? form.repeat : '';
      const stored = await accounts.staffPasswordHash(member.staffId);
      if (!stored) return notFound;
      const currentOk = await argon2.verify(stored, current).catch(() => false);
      if (!currentOk) return problem('current', 'password.error.currentWrong');
      const problems = newPasswordProblems({ password, repeat, email: member.email });
      if (problems.length > 0) return { ok: false, problems };
      await accounts.setStaffPasswordHash(member.staffId, await hashPassword(password));
      await sessions.endSessionsOfStaff(member.staffId, currentSessionId);
      return done;
    },

    async setAway(member, form) {
      const input = {
        awayFrom: textOf(form.awayFrom),
        awayUntil: textOf(form.awayUntil),
        substituteId: textOf(form.substituteId),
      };
      const colleagues = (await accounts.colleaguesOf(member.staffId)).map((colleague) => colleague.id);
      const problems = awayProblems(input, { today: agencyToday(now()), colleagues });
      if (problems.length > 0) return { ok: false, problems };
      await accounts.setStaffAway(member.staffId, input);
      return done;
    },

    async clearAway(member) {
      await accounts.setStaffAway(member.staffId, { awayFrom: null, awayUntil: null, substituteId: null });
    },
  };
}

/** The set-password mail: staff have no language setting, so German first with English below. */
export function passwordMail(name: string, purpose: 'invitation' | 'reset', link: string) {
  const subject =
    purpose === 'invitation'
      ? 'Ihr Zugang zu Lotse / Your Lotse account'
      : 'Neues Passwort für Lotse / New password for Lotse';
  const de =
    purpose === 'invitation'
      ? `für Sie wurde ein Zugang für Mitarbeitende eingerichtet. Legen Sie Ihr Passwort über diesen Link fest:`
      : `Ihr Passwort wurde von der Verwaltung zurückgesetzt; Sie wurden abgemeldet. Legen Sie ein neues Passwort über diesen Link fest:`;
  const en =
    purpose === 'invitation'
      ? `a staff account has been set up for you. Set your password through this link:`
      : `your password was reset by an administrator and you have been logged out. Set a new password through this link:`;
  const body = [
    `Guten Tag ${name},`,
    '',
    de,
    link,
    '',
    `Der Link gilt ${PASSWORD_LINK_HOURS} Stunden und nur einmal. Haben Sie das nicht erwartet, wenden Sie sich an die Verwaltung.`,
    '',
    '— English —',
    '',
    `Hello ${name},`,
    '',
    en,
    link,
    '',
    `The link works once, for ${PASSWORD_LINK_HOURS} hours. If you did not expect this, contact your administrator.`,
  ].join('\n');
  return { subject, body };
}
