import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { companies, companyInvites, memberships, users } from '../db/schema.js';
import type { Executor } from './executor.js';
import { createSessionRepository } from './session.repository.js';

export type CompanyProfileRow = typeof companies.$inferSelect;
/** What the owner edits on the profile page (everything but the id and creation time). */
export type CompanyProfileInput = Omit<typeof companies.$inferInsert, 'id' | 'createdAt'>;
export type CompanyInviteRow = typeof companyInvites.$inferSelect;
export type MemberRole = 'owner' | 'member';

export interface CompanyMember {
  userId: string;
  name: string;
  email: string;
  role: MemberRole;
  since: Date;
}

/** The company side's profile, members and invites; every query is scoped by the company id it is given. */
export function createCompanyRepository(db: Executor) {
  return {
    async profile(companyId: string): Promise<CompanyProfileRow | undefined> {
      const [row] = await db.select().from(companies).where(eq(companies.id, companyId));
      return row;
    },
    async saveProfile(companyId: string, profile: CompanyProfileInput) {
      await db.update(companies).set(profile).where(eq(companies.id, companyId));
    },
    async members(companyId: string): Promise<CompanyMember[]> {
      return db
        .select({
          userId: users.id,
          name: users.name,
          email: users.email,
          role: memberships.role,
          since: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.companyId, companyId))
        .orderBy(asc(users.name));
    },
    async roleOf(companyId: string, userId: string): Promise<MemberRole | undefined> {
      const [row] = await db
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
      return row?.role;
    },
    /**
     * Changes a member's role or removes them, unless that leaves the company without an owner; in one
     * transaction that locks the company's memberships, so two owners demoting each other cannot both win.
     * Answers 'notFound' for a user who is no member of this company.
     */
    async changeMembership(
      companyId: string,
      userId: string,
      change: { role: MemberRole } | 'remove',
    ): Promise<'done' | 'notFound' | 'lastOwner'> {
      return db.transaction(async (tx) => {
        const rows = await tx
          .select({ userId: memberships.userId, role: memberships.role })
          .from(memberships)
          .where(eq(memberships.companyId, companyId))
          .for('update');
        const member = rows.find((row) => row.userId === userId);
        if (!member) return 'notFound';
        const ownersAfter = rows.filter((row) =>
          row.userId === userId ? change !== 'remove' && change.role === 'owner' : row.role === 'owner',
        ).length;
        if (ownersAfter === 0) return 'lastOwner';
        if (change === 'remove') {
          // Signing in needs a membership (account.repository.ts findUserByEmail): the account cannot any more.
          await tx.delete(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
        } else {
          await tx
            .update(memberships)
            .set({ role: change.role })
            .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)));
        }
        return 'done';
      });
    },
    /** Ends every session of the company user (their next request meets the login page). */
    endSessionsOfUser(userId: string): Promise<number> {
      return createSessionRepository(db).endSessionsOfUser(userId);
    },
    async emailTaken(email: string): Promise<boolean> {
      const [row] = await db
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = lower(${email})`);
      return row !== undefined;
    },
    async createInvite(invite: Omit<typeof companyInvites.$inferInsert, 'id' | 'usedAt' | 'createdAt'>) {
      const [row] = await db.insert(companyInvites).values(invite).returning();
      if (!row) throw new Error('the invite was not stored');
      return row;
    },
    /** The company's invites that can still be accepted at `now`. */
    async openInvites(companyId: string, now: Date): Promise<CompanyInviteRow[]> {
      return db
        .select()
        .from(companyInvites)
        .where(
          and(
            eq(companyInvites.companyId, companyId),
            isNull(companyInvites.usedAt),
            gt(companyInvites.expiresAt, now),
          ),
        )
        .orderBy(asc(companyInvites.createdAt));
    },
    async findInvite(inviteId: string): Promise<CompanyInviteRow | undefined> {
      const [row] = await db.select().from(companyInvites).where(eq(companyInvites.id, inviteId));
      return row;
    },
    /** Withdraws an open invite of this company; false for another company's or a used one. */
    async withdrawInvite(companyId: string, inviteId: string, now: Date): Promise<boolean> {
      const rows = await db
        .update(companyInvites)
        .set({ usedAt: now })
        .where(
          and(eq(companyInvites.id, inviteId), eq(companyInvites.companyId, companyId), isNull(companyInvites.usedAt)),
        )
        .returning({ id: companyInvites.id });
      return rows.length === 1;
    },
    /**
     * Uses the invite (if still usable at `now`) and creates the user as a member of its company, in one
     * transaction; undefined when another request used it first or the e-mail got taken meanwhile.
     */
    async acceptInvite(
      inviteId: string,
      user: { name: string; passwordHash: string; language: 'de' | 'en' },
      now: Date,
    ): Promise<{ userId: string; companyId: string; email: string; companyName: string } | undefined> {
      return db.transaction(async (tx) => {
        const [invite] = await tx
          .update(companyInvites)
          .set({ usedAt: now })
          .where(and(eq(companyInvites.id, inviteId), isNull(companyInvites.usedAt), gt(companyInvites.expiresAt, now)))
          .returning();
        if (!invite) return undefined;
        const [taken] = await tx
          .select({ id: users.id })
          .from(users)
          .where(sql`lower(${users.email}) = lower(${invite.email})`);
        if (taken) return undefined;
        const [created] = await tx
          .insert(users)
          .values({ email: invite.email, name: user.name, passwordHash: user.passwordHash, language: user.language })
          .returning({ id: users.id });
        if (!created) throw new Error('the invited user was not stored');
        await tx.insert(memberships).values({ userId: created.id, companyId: invite.companyId, role: invite.role });
        const [company] = await tx
          .select({ name: companies.name })
          .from(companies)
          .where(eq(companies.id, invite.companyId));
        return {
          userId: created.id,
          companyId: invite.companyId,
          email: invite.email,
          companyName: company?.name ?? '',
        };
      });
    },
  };
}

export type CompanyRepository = ReturnType<typeof createCompanyRepository>;

/** A company with its first user as owner, in one go (the seed, scenario companies, the trial's company). */
export async function insertCompanyWithUser(
  db: Executor,
  company: typeof companies.$inferInsert,
  user: typeof users.$inferInsert,
) {
  const [companyRow] = await db.insert(companies).values(company).returning();
  const [userRow] = await db.insert(users).values(user).returning();
  if (!companyRow || !userRow) throw new Error('could not create company');
  await db.insert(memberships).values({ userId: userRow.id, companyId: companyRow.id, role: 'owner' });
  return { companyId: companyRow.id, userId: userRow.id };
}

export interface CompanyUserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  emailVerifiedAt: Date | null;
}

/** A company user's own account: registration, verification, password, sessions and deletion. */
export function createCompanyUserRepository(db: Executor) {
  return {
    async findByEmail(email: string): Promise<CompanyUserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
      return row;
    },
    async find(userId: string): Promise<CompanyUserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, userId));
      return row;
    },
    /**
     * A new company with its first user as owner, not yet verified; undefined when the e-mail address was taken
     * meanwhile (the unique index decides, so two registrations at once make one account).
     */
    async register(
      company: { name: string },
      user: { email: string; name: string; passwordHash: string; language: 'de' | 'en' },
    ) {
      return db.transaction(async (tx) => {
        const [userRow] = await tx
          .insert(users)
          .values({ ...user, email: user.email.toLowerCase(), emailVerifiedAt: null })
          .onConflictDoNothing()
          .returning({ id: users.id });
        if (!userRow) return undefined;
        const [companyRow] = await tx.insert(companies).values(company).returning({ id: companies.id });
        if (!companyRow) throw new Error('the company was not stored');
        await tx.insert(memberships).values({ userId: userRow.id, companyId: companyRow.id, role: 'owner' });
        return { userId: userRow.id, companyId: companyRow.id };
      });
    },
    async markVerified(userId: string, at: Date) {
      await db.update(users).set({ emailVerifiedAt: at }).where(eq(users.id, userId));
    },
    async setPasswordHash(userId: string, passwordHash: string) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    },
    /** Ends every session of the user, or every one but `exceptSessionId` (the browser changing its own password). */
    endSessions(userId: string, exceptSessionId?: string): Promise<number> {
      return createSessionRepository(db).endSessionsOfUser(userId, exceptSessionId);
    },
    /** The user's role in the company and how many other members and other owners it has. */
    async standing(userId: string, companyId: string) {
      const rows = await db
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(eq(memberships.companyId, companyId));
      const own = rows.find((row) => row.userId === userId);
      const others = rows.filter((row) => row.userId !== userId);
      return (
        own && {
          role: own.role,
          otherMembers: others.length,
          otherOwners: others.filter((row) => row.role === 'owner').length,
        }
      );
    },
    /**
     * Deletes the person, not their traces: the membership goes, the user row is emptied of name, e-mail and
     * password (cases, documents and timeline entries refer to it and stay with the company).
     */
    async erase(userId: string, companyId: string) {
      await db.transaction(async (tx) => {
        await tx.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.companyId, companyId)));
        await tx
          .update(users)
          .set({
            email: `deleted-${userId}@invalid`,
            name: '—',
            passwordHash: '!deleted',
            emailVerifiedAt: null,
            // A deleted account must not come back with the next login at the provider.
            oidcIssuer: null,
            oidcSubject: null,
          })
          .where(eq(users.id, userId));
        await createSessionRepository(tx).endSessionsOfUser(userId);
      });
    },
  };
}

export type CompanyUserRepository = ReturnType<typeof createCompanyUserRepository>;

/** The password hash of users made by an OpenID Connect login: no argon2 hash, so no password ever matches it. */
export const NO_PASSWORD = '!oidc';

/** What an OpenID Connect login does, as decided by engine/services/oidc-login-plan.ts. */
export interface OidcLoginWrite {
  identity: { issuer: string; subject: string; email: string; emailVerified: boolean; name: string };
  organisation: { externalId: string; name: string };
  user: { kind: 'existing' | 'link'; userId: string } | { kind: 'create' };
  company: { kind: 'join'; companyId: string } | { kind: 'create' };
}

/** Company users' OpenID Connect identities (ADR 0028). */
export function createOidcAccountRepository(db: Executor) {
  return {
    /** What Lotse already has for an identity: its user, a user with its address, its organisation's company. */
    async known(identity: { issuer: string; subject: string; email: string }, externalId: string) {
      const [bySubject] = await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.oidcIssuer, identity.issuer), eq(users.oidcSubject, identity.subject)));
      const [byEmail] = await db
        .select({ id: users.id, emailVerifiedAt: users.emailVerifiedAt, oidcSubject: users.oidcSubject })
        .from(users)
        .where(eq(users.email, identity.email.toLowerCase()));
      const [company] = await db
        .select({ id: companies.id })
        .from(companies)
        .where(eq(companies.externalId, externalId));
      return {
        ...(bySubject && { bySubject }),
        ...(byEmail && {
          byEmail: {
            id: byEmail.id,
            emailVerified: byEmail.emailVerifiedAt !== null,
            linkedToOidc: byEmail.oidcSubject !== null,
          },
        }),
        ...(company && { company }),
      };
    },

    /**
     * Carries out a login's plan in one transaction and answers who is signed in for which company; undefined when
     * a concurrent login took the address or the identity first (the unique indexes decide).
     */
    async apply(write: OidcLoginWrite, now: Date) {
      return db.transaction(async (tx) => {
        const { identity, organisation } = write;
        let userId: string;
        if (write.user.kind === 'create') {
          const [created] = await tx
            .insert(users)
            .values({
              email: identity.email.toLowerCase(),
              name: identity.name,
              passwordHash: NO_PASSWORD,
              emailVerifiedAt: identity.emailVerified ? now : null,
              oidcIssuer: identity.issuer,
              oidcSubject: identity.subject,
            })
            .onConflictDoNothing()
            .returning({ id: users.id });
          if (!created) return undefined;
          userId = created.id;
        } else if (write.user.kind === 'link') {
          const [linked] = await tx
            .update(users)
            .set({ oidcIssuer: identity.issuer, oidcSubject: identity.subject })
            .where(and(eq(users.id, write.user.userId), isNull(users.oidcSubject)))
            .returning({ id: users.id });
          if (!linked) return undefined;
          userId = linked.id;
        } else userId = write.user.userId;

        let companyId: string;
        let role: MemberRole = 'member';
        if (write.company.kind === 'create') {
          const [created] = await tx
            .insert(companies)
            .values({ name: organisation.name, externalId: organisation.externalId })
            .onConflictDoNothing({ target: companies.externalId })
            .returning({ id: companies.id });
          if (created) role = 'owner';
          const [row] = created
            ? [created]
            : await tx
                .select({ id: companies.id })
                .from(companies)
                .where(eq(companies.externalId, organisation.externalId));
          if (!row) throw new Error('the company of the organisation was not stored');
          companyId = row.id;
        } else companyId = write.company.companyId;

        // A returning member keeps the role an owner gave them.
        await tx.insert(memberships).values({ userId, companyId, role }).onConflictDoNothing();
        const [account] = await tx
          .select({
            name: users.name,
            email: users.email,
            companyName: companies.name,
            passwordless: sql<boolean>`${users.passwordHash} = ${NO_PASSWORD}`,
          })
          .from(users)
          .innerJoin(memberships, eq(memberships.userId, users.id))
          .innerJoin(companies, eq(companies.id, memberships.companyId))
          .where(and(eq(users.id, userId), eq(companies.id, companyId)));
        if (!account) throw new Error('the signed-in membership was not stored');
        return { userId, companyId, ...account };
      });
    },
  };
}

export type OidcAccountRepository = ReturnType<typeof createOidcAccountRepository>;

/** A company user's mail language and the notifications they switched off (issue 11, ADR 0030). */
export interface NotificationSettings {
  language: 'de' | 'en';
  optOuts: string[];
}

/** Who of a company gets its notifications, and each user's own settings for them. */
export function createNotificationSettingsRepository(db: Executor) {
  return {
    /** Every member of the company with the language and opt-outs the notifications are sent by. */
    membersOf: (companyId: string) =>
      db
        .select({
          userId: users.id,
          email: users.email,
          name: users.name,
          language: users.language,
          optOuts: users.notificationOptOuts,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.companyId, companyId))
        .orderBy(asc(users.email)),
    async settingsOf(userId: string): Promise<NotificationSettings | undefined> {
      const [row] = await db
        .select({ language: users.language, optOuts: users.notificationOptOuts })
        .from(users)
        .where(eq(users.id, userId));
      return row;
    },
    async save(userId: string, settings: NotificationSettings) {
      await db
        .update(users)
        .set({ language: settings.language, notificationOptOuts: settings.optOuts })
        .where(eq(users.id, userId));
    },
  };
}

export type NotificationSettingsRepository = ReturnType<typeof createNotificationSettingsRepository>;
