import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { companies, groups, memberships, staff, staffGroups, users, type StaffRole } from '../db/schema.js';
import { insertCompanyWithUser } from './company.repository.js';
import type { Executor } from './executor.js';

export type NewCompany = typeof companies.$inferInsert;
export type NewUser = typeof users.$inferInsert;
export type NewStaff = typeof staff.$inferInsert;

/** A staff account as administration and the profile show it: never its password hash. */
export interface StaffAccount {
  id: string;
  email: string;
  name: string;
  roles: StaffRole[];
  groups: string[];
  disabledAt: Date | null;
  awayFrom: string | null;
  awayUntil: string | null;
  substituteId: string | null;
  createdAt: Date;
}

export interface StaffGroup {
  id: string;
  name: string;
  memberCount: number;
}

const staffAccountColumns = {
  id: staff.id,
  email: staff.email,
  name: staff.name,
  roles: staff.roles,
  disabledAt: staff.disabledAt,
  awayFrom: staff.awayFrom,
  awayUntil: staff.awayUntil,
  substituteId: staff.substituteId,
  createdAt: staff.createdAt,
  // Sorted, so lists and comparisons do not depend on insertion order.
  groups: sql<
    string[]
  >`coalesce((select array_agg(${staffGroups.groupId} order by ${staffGroups.groupId}) from ${staffGroups} where ${staffGroups.staffId} = ${staff.id}), '{}')`,
};

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
    // Staff administration (admin/staff-admin.routes.ts through engine/services/staff-admin.service.ts).
    listStaff(): Promise<StaffAccount[]> {
      return db.select(staffAccountColumns).from(staff).orderBy(asc(staff.name), asc(staff.email));
    },
    async findStaff(staffId: string): Promise<StaffAccount | undefined> {
      const [row] = await db.select(staffAccountColumns).from(staff).where(eq(staff.id, staffId));
      return row;
    },
    async staffPasswordHash(staffId: string): Promise<string | undefined> {
      const [row] = await db.select({ passwordHash: staff.passwordHash }).from(staff).where(eq(staff.id, staffId));
      return row?.passwordHash;
    },
    /** Whether an account other than `exceptStaffId` has this e-mail address. */
    async staffEmailTaken(email: string, exceptStaffId?: string): Promise<boolean> {
      const [row] = await db
        .select({ id: staff.id })
        .from(staff)
        .where(exceptStaffId ? and(eq(staff.email, email), ne(staff.id, exceptStaffId)) : eq(staff.email, email));
      return row !== undefined;
    },
    /** A new account with its groups; undefined when the e-mail address was taken meanwhile. */
    async createStaff(
      member: { email: string; name: string; roles: StaffRole[]; passwordHash: string },
      groupIds: string[],
    ) {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(staff).values(member).onConflictDoNothing().returning({ id: staff.id });
        if (!row) return undefined;
        if (groupIds.length > 0)
          await tx.insert(staffGroups).values(groupIds.map((groupId) => ({ staffId: row.id, groupId })));
        return row.id;
      });
    },
    /** Name, e-mail, roles and the complete set of groups, in one transaction; false when the e-mail was taken. */
    async updateStaff(
      staffId: string,
      changes: { email: string; name: string; roles: StaffRole[] },
      groupIds: string[],
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [taken] = await tx
          .select({ id: staff.id })
          .from(staff)
          .where(and(eq(staff.email, changes.email), ne(staff.id, staffId)));
        if (taken) return false;
        await tx.update(staff).set(changes).where(eq(staff.id, staffId));
        await tx.delete(staffGroups).where(eq(staffGroups.staffId, staffId));
        if (groupIds.length > 0) await tx.insert(staffGroups).values(groupIds.map((groupId) => ({ staffId, groupId })));
        return true;
      });
    },
    async setStaffDisabled(staffId: string, disabledAt: Date | null) {
      await db.update(staff).set({ disabledAt }).where(eq(staff.id, staffId));
    },
    async setStaffPasswordHash(staffId: string, passwordHash: string) {
      await db.update(staff).set({ passwordHash }).where(eq(staff.id, staffId));
    },
    async setStaffAway(
      staffId: string,
      away: { awayFrom: string | null; awayUntil: string | null; substituteId: string | null },
    ) {
      await db.update(staff).set(away).where(eq(staff.id, staffId));
    },
    /** Active accounts that share at least one group with the member (not the member): who may substitute. */
    colleaguesOf(staffId: string): Promise<{ id: string; name: string; email: string }[]> {
      const ownGroups = db
        .select({ groupId: staffGroups.groupId })
        .from(staffGroups)
        .where(eq(staffGroups.staffId, staffId));
      return db
        .selectDistinct({ id: staff.id, name: staff.name, email: staff.email })
        .from(staff)
        .innerJoin(staffGroups, eq(staffGroups.staffId, staff.id))
        .where(and(inArray(staffGroups.groupId, ownGroups), ne(staff.id, staffId), isNull(staff.disabledAt)))
        .orderBy(asc(staff.name), asc(staff.email));
    },
    listGroups(): Promise<StaffGroup[]> {
      return db
        .select({
          id: groups.id,
          name: groups.name,
          memberCount: sql<number>`(select count(*)::int from ${staffGroups} where ${staffGroups.groupId} = ${groups.id})`,
        })
        .from(groups)
        .orderBy(asc(groups.name));
    },
    async findGroup(groupId: string) {
      const [row] = await db.select().from(groups).where(eq(groups.id, groupId));
      return row;
    },
    /** False when a group with this id exists. */
    async createGroup(group: { id: string; name: string }): Promise<boolean> {
      const created = await db.insert(groups).values(group).onConflictDoNothing().returning({ id: groups.id });
      return created.length === 1;
    },
    async renameGroup(groupId: string, name: string) {
      await db.update(groups).set({ name }).where(eq(groups.id, groupId));
    },
    /** Makes exactly `staffIds` the group's members; answers who joined and who left. */
    async setGroupMembers(groupId: string, staffIds: string[]) {
      return db.transaction(async (tx) => {
        const before = (
          await tx.select({ staffId: staffGroups.staffId }).from(staffGroups).where(eq(staffGroups.groupId, groupId))
        ).map((row) => row.staffId);
        const joined = staffIds.filter((id) => !before.includes(id));
        const left = before.filter((id) => !staffIds.includes(id));
        if (left.length > 0)
          await tx.delete(staffGroups).where(and(eq(staffGroups.groupId, groupId), inArray(staffGroups.staffId, left)));
        if (joined.length > 0) await tx.insert(staffGroups).values(joined.map((staffId) => ({ staffId, groupId })));
        return { joined, left };
      });
    },
    async findCompany(companyId: string) {
      const [row] = await db.select().from(companies).where(eq(companies.id, companyId));
      return row;
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
