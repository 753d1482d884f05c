/**
 * Colleagues (`/account/colleagues`): the members of a company and their roles. Owners invite by e-mail
 * (a single-use, expiring link whose secret is stored hashed — the ADR 0016 pattern), change roles and
 * remove members; a company always keeps an owner. Decision (ADR 0027): an invite makes a new account —
 * an e-mail that already has one is refused, as a user belongs to exactly one company.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Mailer } from '../mail/mailer.js';
import type {
  CompanyInviteRow,
  CompanyMember,
  CompanyRepository,
  MemberRole,
} from '../repositories/company.repository.js';
import type { Locale } from '../../forms/model.js';
import { hashPassword, type CompanyUserSession } from './auth.service.js';
import { newPasswordProblems, parsePasswordToken, type FieldProblem } from './staff-rules.js';

export const INVITE_DAYS = 7;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_TEXT = 200;
const ROLES: readonly MemberRole[] = ['owner', 'member'];

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export type Outcome<T = undefined> =
  | { ok: true; value: T }
  | { ok: false; problems: FieldProblem[] }
  | { ok: false; notFound: true }
  | { ok: false; forbidden: true };

export interface Colleagues {
  members: (CompanyMember & { self: boolean })[];
  invites: CompanyInviteRow[];
  mayManage: boolean;
}

/** The invite mail, in the inviter's language (the invitee has no account, so no language of their own yet). */
export function inviteMail(locale: Locale, params: { inviter: string; company: string; link: string }) {
  const { inviter, company, link } = params;
  if (locale === 'en')
    return {
      subject: `Invitation to ${company} on Lotse`,
      body: [
        'Hello,',
        '',
        `${inviter} invites you to work for ${company} in the business portal Lotse: you will see the company's cases and tasks.`,
        'Choose your name and password through this link:',
        link,
        '',
        `The link works once, for ${INVITE_DAYS} days. If you did not expect this invitation, ignore this mail.`,
      ].join('\n'),
    };
  return {
    subject: `Einladung zu ${company} bei Lotse`,
    body: [
      'Guten Tag,',
      '',
      `${inviter} lädt Sie ein, im Unternehmensportal Lotse für ${company} tätig zu werden: Sie sehen dann die Vorgänge und Aufgaben des Unternehmens.`,
      'Legen Sie über diesen Link Ihren Namen und Ihr Passwort fest:',
      link,
      '',
      `Der Link gilt ${INVITE_DAYS} Tage und nur einmal. Haben Sie diese Einladung nicht erwartet, ignorieren Sie diese E-Mail.`,
    ].join('\n'),
  };
}

export interface ColleaguesService {
  colleaguesOf(user: CompanyUserSession): Promise<Colleagues | undefined>;
  invite(user: CompanyUserSession, form: Record<string, unknown>, locale: Locale, origin: string): Promise<Outcome>;
  withdrawInvite(user: CompanyUserSession, inviteId: string): Promise<Outcome>;
  setRole(user: CompanyUserSession, memberId: string, form: Record<string, unknown>): Promise<Outcome>;
  /** Removes the member and ends their sessions; removing oneself is allowed (not as the last owner). */
  remove(user: CompanyUserSession, memberId: string): Promise<Outcome>;
  /** The open invite a link names (for the accept page), or undefined for a wrong, used or expired link. */
  inviteOf(token: unknown): Promise<{ email: string; companyName: string } | undefined>;
  accept(token: unknown, form: Record<string, unknown>): Promise<Outcome<Omit<CompanyUserSession, 'kind'>>>;
}

export interface ColleaguesDeps {
  companies: CompanyRepository;
  mailer: Mailer;
  /** PUBLIC_URL: where mailed links point; unset, the origin of the owner's request. */
  publicUrl?: string;
  now?: () => Date;
}

export function createColleaguesService(deps: ColleaguesDeps): ColleaguesService {
  const { companies, mailer } = deps;
  const now = deps.now ?? (() => new Date());
  const forbidden = { ok: false, forbidden: true } as const;
  const notFound = { ok: false, notFound: true } as const;
  const done = { ok: true, value: undefined } as const;
  const problem = (field: string, key: string): Outcome => ({
    ok: false,
    problems: [{ field, messageKey: `colleagues.error.${key}` }],
  });
  const isOwner = async (user: CompanyUserSession) => (await companies.roleOf(user.companyId, user.userId)) === 'owner';

  /** The open invite behind a link, its secret checked in constant time. */
  async function openInvite(token: unknown): Promise<CompanyInviteRow | undefined> {
    const parsed = parsePasswordToken(token);
    if (!parsed) return undefined;
    const stored = await companies.findInvite(parsed.id);
    if (!stored || stored.usedAt || stored.expiresAt.getTime() <= now().getTime()) return undefined;
    const expected = Buffer.from(stored.secretHash, 'hex');
    const given = sha256(parsed.secret);
    return expected.length === given.length && timingSafeEqual(expected, given) ? stored : undefined;
  }

  return {
    async colleaguesOf(user) {
      const members = await companies.members(user.companyId);
      const me = members.find((member) => member.userId === user.userId);
      if (!me) return undefined;
      const mayManage = me.role === 'owner';
      return {
        members: members.map((member) => ({ ...member, self: member.userId === user.userId })),
        invites: mayManage ? await companies.openInvites(user.companyId, now()) : [],
        mayManage,
      };
    },

    async invite(user, form, locale, origin) {
      if (!(await isOwner(user))) return forbidden;
      const email = typeof form.email === 'string' ? form.email.trim().toLowerCase() : '';
      const role = form.role === 'owner' ? 'owner' : 'member';
      if (!EMAIL.test(email) || email.length > MAX_TEXT) return problem('email', 'emailInvalid');
      if (await companies.emailTaken(email)) return problem('email', 'emailTaken');
      const secret = randomBytes(32).toString('base64url');
      const invite = await companies.createInvite({
        companyId: user.companyId,
        email,
        role,
        secretHash: sha256(secret).toString('hex'),
        invitedByUserId: user.userId,
        expiresAt: new Date(now().getTime() + INVITE_DAYS * 24 * 60 * 60 * 1000),
      });
      const link = `${(deps.publicUrl ?? origin).replace(/\/$/, '')}/invite?token=${invite.id}.${secret}`;
      const company = await companies.profile(user.companyId);
      const { subject, body } = inviteMail(locale, { inviter: user.name, company: company?.name ?? '', link });
      // The link appears only in the mail, never in a log or a page.
      await mailer.send({ idempotencyKey: `company-invite:${invite.id}`, to: email, subject, body });
      return done;
    },

    async withdrawInvite(user, inviteId) {
      if (!(await isOwner(user))) return forbidden;
      return (await companies.withdrawInvite(user.companyId, inviteId, now())) ? done : notFound;
    },

    async setRole(user, memberId, form) {
      if (!(await isOwner(user))) return forbidden;
      const role = ROLES.find((candidate) => candidate === form.role);
      if (!role) return problem('role', 'roleInvalid');
      const outcome = await companies.changeMembership(user.companyId, memberId, { role });
      if (outcome === 'notFound') return notFound;
      if (outcome === 'lastOwner') return problem('role', 'lastOwner');
      return done;
    },

    async remove(user, memberId) {
      if (memberId !== user.userId && !(await isOwner(user))) return forbidden;
      const outcome = await companies.changeMembership(user.companyId, memberId, 'remove');
      if (outcome === 'notFound') return notFound;
      if (outcome === 'lastOwner') return problem('remove', 'lastOwner');
      await companies.endSessionsOfUser(memberId);
      return done;
    },

    async inviteOf(token) {
      const invite = await openInvite(token);
      if (!invite) return undefined;
      const company = await companies.profile(invite.companyId);
      return { email: invite.email, companyName: company?.name ?? '' };
    },

    async accept(token, form) {
      const invite = await openInvite(token);
      if (!invite) return notFound;
      const name = typeof form.name === 'string' ? form.name.trim() : '';
      const password = typeof form.password === 'string' ? form.password : '';
      const repeat = typeof form.repeat === 'string' ? form.repeat : '';
      const problems: FieldProblem[] = [];
      if (!name) problems.push({ field: 'name', messageKey: 'colleagues.error.nameRequired' });
      else if (name.length > MAX_TEXT) problems.push({ field: 'name', messageKey: 'colleagues.error.tooLong' });
      problems.push(...newPasswordProblems({ password, repeat, email: invite.email }));
      if (problems.length > 0) return { ok: false, problems };
      const joined = await companies.acceptInvite(
        invite.id,
        { name, passwordHash: await hashPassword(password), language: form.language === 'en' ? 'en' : 'de' },
        now(),
      );
      if (!joined) return notFound;
      return {
        ok: true,
        value: {
          userId: joined.userId,
          name,
          email: joined.email,
          companyId: joined.companyId,
          companyName: joined.companyName,
        },
      };
    },
  };
}
