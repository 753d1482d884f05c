import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { Mailer } from '../mail/mailer.js';
import { NO_PASSWORD, type CompanyUserRepository } from '../repositories/company.repository.js';
import type { MailQuotaRepository } from '../repositories/mail-quota.repository.js';
import { MAIL_QUOTA_WINDOW_MS, mailQuotaKeys, withinQuota, type MailQuotaLimits } from './mail-quota.js';
import type { PasswordTokenRepository, PasswordTokenRow } from '../repositories/password-token.repository.js';
import { hashPassword, type CompanyUserSession } from './auth.service.js';
import {
  PASSWORD_LINK_MAIL,
  newPasswordProblems,
  parsePasswordToken,
  passwordTokenUsable,
  type FieldProblem,
} from './staff-rules.js';

/** A verification link works for a day, a reset link for an hour (issue 11). */
export const VERIFICATION_LINK_HOURS = 24;
export const RESET_LINK_HOURS = 1;

const MAX_TEXT_LENGTH = 200;
// Deliberately loose, as for staff: the verification mail proves the address.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The mail texts in the user's language (the routes pass their translation): services do not import the web. */
export type MailText = (key: string) => string;

export type AccountOutcome = { ok: true } | { ok: false; problems: FieldProblem[] } | { ok: false; notFound: true };

export interface RegistrationInput {
  companyName: string;
  name: string;
  email: string;
}

export interface CompanyAccountService {
  /**
   * Registers a company with its first user (owner) and mails a verification link — or, when the address has an
   * account, a mail saying so. Both answer the same, so the form tells nobody which addresses exist.
   */
  register(
    form: Record<string, unknown>,
    t: MailText,
    origin: string,
    address: string | undefined,
  ): Promise<AccountOutcome>;
  /** Whether a verification link is usable (the confirm page); the link is only used by `verify`. */
  verificationLink(token: unknown): Promise<boolean>;
  verify(token: unknown): Promise<AccountOutcome>;
  /**
   * Mails a reset link if the address has an account (one made by an OpenID Connect login gets a mail saying it has
   * no password instead); the same answer either way.
   */
  requestReset(form: Record<string, unknown>, t: MailText, origin: string, address: string | undefined): Promise<void>;
  /** The account a reset link is for, or undefined for a used, expired or made-up link. */
  resetLink(token: unknown): Promise<{ email: string } | undefined>;
  resetPassword(token: unknown, form: Record<string, unknown>): Promise<AccountOutcome>;
  /** Needs the current password; ends the user's other sessions. */
  changePassword(
    user: CompanyUserSession,
    form: Record<string, unknown>,
    currentSessionId: string,
  ): Promise<AccountOutcome>;
  /**
   * Deletes the user's own account after the password is confirmed. The last owner of a company with other
   * members must make someone else owner first; cases stay with the company.
   */
  deleteAccount(user: CompanyUserSession, form: Record<string, unknown>, freshLogin: boolean): Promise<AccountOutcome>;
}

export interface CompanyAccountServiceDeps {
  users: CompanyUserRepository;
  passwordTokens: PasswordTokenRepository;
  mailer: Mailer;
  /** Account mails per address and client network (mail-quota.ts): registration and reset mail only within it. */
  mailQuotas: MailQuotaRepository;
  mailQuotaLimits: MailQuotaLimits;
  /** PUBLIC_URL: where mailed links point; unset, the origin of the request. */
  publicUrl?: string;
  clock?: () => Date;
}

const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const rawOf = (value: unknown) => (typeof value === 'string' ? value : '');
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const problem = (field: string, messageKey: string): AccountOutcome => ({
  ok: false,
  problems: [{ field, messageKey }],
});
const done: AccountOutcome = { ok: true };
const notFound: AccountOutcome = { ok: false, notFound: true };

/** What is wrong with a registration form (pure). */
export function registrationProblems(input: RegistrationInput & { password: string; repeat: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.companyName) problems.push({ field: 'companyName', messageKey: 'account.error.companyRequired' });
  else if (input.companyName.length > MAX_TEXT_LENGTH)
    problems.push({ field: 'companyName', messageKey: 'account.error.tooLong' });
  if (!input.name) problems.push({ field: 'name', messageKey: 'account.error.nameRequired' });
  else if (input.name.length > MAX_TEXT_LENGTH) problems.push({ field: 'name', messageKey: 'account.error.tooLong' });
  if (!EMAIL.test(input.email) || input.email.length > MAX_TEXT_LENGTH)
    problems.push({ field: 'email', messageKey: 'account.error.emailInvalid' });
  return [...problems, ...newPasswordProblems(input)];
}

export function createCompanyAccountService(deps: CompanyAccountServiceDeps): CompanyAccountService {
  const { users, passwordTokens, mailer } = deps;
  const now = deps.clock ?? (() => new Date());
  const base = (origin: string) => (deps.publicUrl ?? origin).replace(/\/$/, '');

  /** Counts the request against the address's and the network's quota; true when a mail may go out. */
  async function mayMail(email: string, address: string | undefined) {
    const keys = mailQuotaKeys(email, address, deps.mailQuotaLimits);
    const at = now();
    const counts = await deps.mailQuotas.count(
      keys.map((key) => key.key),
      at,
      new Date(at.getTime() - MAIL_QUOTA_WINDOW_MS),
    );
    return withinQuota(keys, counts);
  }

  /** Issues a link and mails it in the user's language; the secret appears only in the mail. */
  async function mailLink(
    user: { id: string; name: string; email: string },
    purpose: 'verification' | 'reset',
    t: MailText,
    origin: string,
  ) {
    const secret = randomBytes(32).toString('base64url');
    const issuedAt = now();
    const hours = purpose === 'verification' ? VERIFICATION_LINK_HOURS : RESET_LINK_HOURS;
    const stored = await passwordTokens.issue(
      {
        principalKind: 'applicant',
        principalId: user.id,
        secretHash: sha256(secret).toString('hex'),
        purpose,
        expiresAt: new Date(issuedAt.getTime() + hours * 3_600_000),
      },
      issuedAt,
    );
    const path = purpose === 'verification' ? '/register/verify' : '/password/reset';
    const link = `${base(origin)}${path}?token=${stored.id}.${secret}`;
    await mailer.send({
      // The outbox masks delivered links with this prefix, as it does for staff (staff-rules.ts).
      idempotencyKey: `${PASSWORD_LINK_MAIL}${stored.id}`,
      to: user.email,
      subject: t(`account.mail.${purpose}.subject`),
      body: [
        `${t('account.mail.hello')} ${user.name},`,
        '',
        t(`account.mail.${purpose}.text`),
        link,
        '',
        t('account.mail.validFor').replace('{hours}', String(hours)),
        t('account.mail.notYou'),
      ].join('\n'),
    });
  }

  async function usableToken(token: unknown, purpose: PasswordTokenRow['purpose']) {
    const parsed = parsePasswordToken(token);
    const stored = parsed ? await passwordTokens.find(parsed.id) : undefined;
    if (!parsed || !stored || stored.principalKind !== 'applicant' || stored.purpose !== purpose) return undefined;
    if (!passwordTokenUsable(stored, now())) return undefined;
    const expected = Buffer.from(stored.secretHash, 'hex');
    const given = sha256(parsed.secret);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const user = await users.find(stored.principalId);
    return user && { stored, user };
  }

  async function passwordMatches(userId: string, password: unknown) {
    const user = await users.find(userId);
    return user !== undefined && (await argon2.verify(user.passwordHash, rawOf(password)).catch(() => false));
  }

  return {
    async register(form, t, origin, address) {
      const input = {
        companyName: textOf(form.companyName),
        name: textOf(form.name),
        email: textOf(form.email).toLowerCase(),
        password: rawOf(form.password),
        repeat: rawOf(form.repeat),
      };
      const problems = registrationProblems(input);
      if (problems.length > 0) return { ok: false, problems };
      // Hashed in every case, so an existing address answers no faster than a new one.
      const passwordHash = await hashPassword(input.password);
      // Over the quota nothing is made and nothing mailed; the page says the same as always.
      if (!(await mayMail(input.email, address))) return done;
      const existing = await users.findByEmail(input.email);
      if (existing?.emailVerifiedAt === null) {
        // Registered before, never verified: a fresh link (the earlier one stops working).
        await mailLink(existing, 'verification', t, origin);
        return done;
      }
      if (existing) {
        await mailer.send({
          idempotencyKey: `account-exists:${existing.id}:${now().toISOString()}`,
          to: existing.email,
          subject: t('account.mail.exists.subject'),
          body: [
            `${t('account.mail.hello')} ${existing.name},`,
            '',
            t('account.mail.exists.text'),
            `${base(origin)}/login`,
            '',
            t('account.mail.exists.reset'),
            `${base(origin)}/password/forgot`,
            '',
            t('account.mail.notYou'),
          ].join('\n'),
        });
        return done;
      }
      const created = await users.register(
        { name: input.companyName },
        { email: input.email, name: input.name, passwordHash, language: form.language === 'en' ? 'en' : 'de' },
      );
      // Taken between the look-up and the insert: that registration's mail went out; this one says nothing more.
      if (created) await mailLink({ id: created.userId, ...input }, 'verification', t, origin);
      return done;
    },

    async verificationLink(token) {
      return (await usableToken(token, 'verification')) !== undefined;
    },

    async verify(token) {
      const found = await usableToken(token, 'verification');
      if (!found || !(await passwordTokens.consume(found.stored.id, now()))) return notFound;
      await users.markVerified(found.user.id, now());
      return done;
    },

    async requestReset(form, t, origin, address) {
      const email = textOf(form.email).toLowerCase();
      if (!EMAIL.test(email) || email.length > MAX_TEXT_LENGTH || !(await mayMail(email, address))) return;
      const user = await users.findByEmail(email);
      if (!user) return;
      // A link would silently give a password to an account that logs in with its company account: it is told so.
      if (user.passwordHash === NO_PASSWORD) {
        await mailer.send({
          idempotencyKey: `account-no-password:${user.id}:${now().toISOString()}`,
          to: user.email,
          subject: t('oidc.mail.noPassword.subject'),
          body: [
            `${t('account.mail.hello')} ${user.name},`,
            '',
            t('oidc.mail.noPassword.text'),
            `${base(origin)}/login`,
            '',
            t('account.mail.notYou'),
          ].join('\n'),
        });
        return;
      }
      await mailLink(user, 'reset', t, origin);
    },

    async resetLink(token) {
      const found = await usableToken(token, 'reset');
      return found && { email: found.user.email };
    },

    async resetPassword(token, form) {
      const found = await usableToken(token, 'reset');
      if (!found) return notFound;
      const password = rawOf(form.password);
      const problems = newPasswordProblems({ password, repeat: rawOf(form.repeat), email: found.user.email });
      if (problems.length > 0) return { ok: false, problems };
      const passwordHash = await hashPassword(password);
      // Single use: of two submissions of the same link, only the one that marks it used sets a password.
      if (!(await passwordTokens.consume(found.stored.id, now()))) return notFound;
      await users.setPasswordHash(found.user.id, passwordHash);
      // The link reached the mailbox: that proves the address as the verification link would.
      if (found.user.emailVerifiedAt === null) await users.markVerified(found.user.id, now());
      await users.endSessions(found.user.id);
      return done;
    },

    async changePassword(user, form, currentSessionId) {
      if (!(await passwordMatches(user.userId, form.current))) return problem('current', 'password.error.currentWrong');
      const password = rawOf(form.password);
      const problems = newPasswordProblems({ password, repeat: rawOf(form.repeat), email: user.email });
      if (problems.length > 0) return { ok: false, problems };
      await users.setPasswordHash(user.userId, await hashPassword(password));
      await users.endSessions(user.userId, currentSessionId);
      return done;
    },

    async deleteAccount(user, form, freshLogin) {
      // Without a password, a login at the provider a moment ago confirms it is the user (ADR 0028).
      if (user.passwordless && !freshLogin) return problem('password', 'oidc.delete.notConfirmed');
      if (!user.passwordless && !(await passwordMatches(user.userId, form.password)))
        return problem('password', 'password.error.currentWrong');
      const standing = await users.standing(user.userId, user.companyId);
      if (!standing) return notFound;
      if (standing.role === 'owner' && standing.otherMembers > 0 && standing.otherOwners === 0)
        return problem('password', 'account.delete.lastOwner');
      await users.erase(user.userId, user.companyId);
      return done;
    },
  };
}
