import { eq } from 'drizzle-orm';
import { companies, groups, memberships, staff, staffGroups, users } from '../db/schema.js';
import type { Executor } from './executor.js';

export type NewCompany = typeof companies.$inferInsert;
export type NewUser = typeof users.$inferInsert;
export type NewStaff = typeof staff.$inferInsert;

export function createAccountRepository(db: Executor) {
  return {
    /** Adds the staff groups that are missing; existing ones keep their names. */
    async ensureGroups(wanted: { id: string; name: string }[]) {
      await db.insert(groups).values(wanted).onConflictDoNothing();
    },
    /** A company with its first user as owner, in one transaction. */
    createCompanyWithUser: (company: NewCompany, user: NewUser) =>
      db.transaction((tx) => insertCompanyWithUser(tx, company, user)),
    /**
     * Creates the company users (each with its company) and staff members (with their groups) whose
     * e-mail is not taken yet, in one transaction; accounts that exist stay as they are.
     */
    async ensureAccounts(accounts: {
      companyUsers: { company: NewCompany; user: NewUser }[];
      staff: { member: NewStaff; groups: string[] }[];
    }) {
      await db.transaction(async (tx) => {
        for (const { company, user } of accounts.companyUsers) {
          const [existingUser] = await tx.select().from(users).where(eq(users.email, user.email));
          if (!existingUser) await insertCompanyWithUser(tx, company, user);
        }
        for (const { member, groups: groupIds } of accounts.staff) {
          const [existingStaff] = await tx.select().from(staff).where(eq(staff.email, member.email));
          if (existingStaff) continue;
          const [memberRow] = await tx.insert(staff).values(member).returning();
          if (!memberRow) throw new Error('demo seed failed');
          await tx.insert(staffGroups).values(groupIds.map((groupId) => ({ staffId: memberRow.id, groupId })));
        }
      });
    },
    async findUserByEmail(email: string) {
      const [row] = await db
        .select({ user: users, companyId: memberships.companyId, companyName: companies.name })
        .from(users)
        .innerJoin(memberships, eq(memberships.userId, users.id))
        .innerJoin(companies, eq(companies.id, memberships.companyId))
        .where(eq(users.email, email.toLowerCase()))
        .limit(1);
      return row;
    },
    async findStaffByEmail(email: string) {
      const [row] = await db.select().from(staff).where(eq(staff.email, email.toLowerCase()));
      if (!row) return undefined;
      const groupRows = await db
        .select({ groupId: staffGroups.groupId })
        .from(staffGroups)
        .where(eq(staffGroups.staffId, row.id));
      return { ...row, groups: groupRows.map((group) => group.groupId) };
    },
    async findCompany(companyId: string) {
      const [row] = await db.select().from(companies).where(eq(companies.id, companyId));
      return row;
    },
  };
}

async function insertCompanyWithUser(db: Executor, company: NewCompany, user: NewUser) {
  const [companyRow] = await db.insert(companies).values(company).returning();
  const [userRow] = await db.insert(users).values(user).returning();
  if (!companyRow || !userRow) throw new Error('could not create company');
  await db.insert(memberships).values({ userId: userRow.id, companyId: companyRow.id, role: 'owner' });
  return { companyId: companyRow.id, userId: userRow.id };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
