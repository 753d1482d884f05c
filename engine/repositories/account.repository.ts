import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { companies, memberships, staff, staffGroups, users } from '../db/schema.js';

export function createAccountRepository(db: Database) {
  return {
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

export type AccountRepository = ReturnType<typeof createAccountRepository>;
