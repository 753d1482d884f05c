import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { companies, groups, memberships, sites, staff, staffGroups, users } from '../db/schema.js';
import { DEMO_SITES } from '../sites/demo-sites.js';
import { hashPassword } from './auth.service.js';

export const DEMO_PASSWORD = 'Lotse-Demo-2026';

export const DEMO_ACCOUNTS = {
  companyUser: {
    email: 'anna.schmidt@schmidt-metallbau.example',
    name: 'Anna Schmidt',
    company: 'Schmidt Metallbau GmbH',
  },
  caseworker: {
    email: 'jonas.weber@wirtschaftsfoerderung.example',
    name: 'Jonas Weber',
    groups: ['wirtschaftsfoerderung'],
    isAdmin: false,
  },
  administrator: {
    email: 'petra.berg@wirtschaftsfoerderung.example',
    name: 'Petra Berg',
    groups: ['wirtschaftsfoerderung', 'teamleitung'],
    isAdmin: true,
  },
  buildingAuthority: {
    email: 'lena.koch@bauamt.example',
    name: 'Lena Koch',
    groups: ['bauamt'],
    isAdmin: false,
  },
  environmentAgency: {
    email: 'max.huber@umweltamt.example',
    name: 'Max Huber',
    groups: ['umweltamt'],
    isAdmin: false,
  },
} as const;

/**
 * Groups every installation has: the agency and the departments whose statements permit guidance
 * asks for. `applicant` is reserved for the company side and is no staff group.
 */
const STAFF_GROUPS = [
  { id: 'wirtschaftsfoerderung', name: 'Wirtschaftsförderung' },
  { id: 'teamleitung', name: 'Teamleitung Wirtschaftsförderung' },
  { id: 'bauamt', name: 'Bauamt' },
  { id: 'umweltamt', name: 'Umweltamt' },
];

export async function seedGroups(db: Database) {
  await db.insert(groups).values(STAFF_GROUPS).onConflictDoNothing();
}

/** Demo company, company user and caseworker; applying it twice changes nothing. */
export async function seedDemoAccounts(db: Database) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { companyUser, ...staffAccounts } = DEMO_ACCOUNTS;
  await db.transaction(async (tx) => {
    const [existingUser] = await tx.select().from(users).where(eq(users.email, companyUser.email));
    if (!existingUser) {
      const [company] = await tx
        .insert(companies)
        .values({
          name: companyUser.company,
          legalForm: 'GmbH',
          registerNumber: 'HRB 12345',
          street: 'Industriestraße 7',
          postalCode: '12345',
          city: 'Musterstadt',
          sector: 'Metallverarbeitung',
          size: '10–49',
        })
        .returning();
      const [user] = await tx
        .insert(users)
        .values({ email: companyUser.email, name: companyUser.name, passwordHash })
        .returning();
      if (!company || !user) throw new Error('demo seed failed');
      await tx.insert(memberships).values({ userId: user.id, companyId: company.id, role: 'owner' });
    }
    for (const account of Object.values(staffAccounts)) {
      const [existingStaff] = await tx.select().from(staff).where(eq(staff.email, account.email));
      if (existingStaff) continue;
      const [member] = await tx
        .insert(staff)
        .values({ email: account.email, name: account.name, passwordHash, isAdmin: account.isAdmin })
        .returning();
      if (!member) throw new Error('demo seed failed');
      await tx.insert(staffGroups).values(account.groups.map((groupId) => ({ staffId: member.id, groupId })));
    }
  });
}

/** The demo site catalog; sites already there keep their data (staff may have edited them). */
export async function seedDemoSites(db: Database) {
  await db.insert(sites).values(DEMO_SITES).onConflictDoNothing();
}

/** A second company, for tests and demos of tenant isolation. */
export async function createCompanyWithUser(
  db: Database,
  input: { company: string; email: string; name: string; password: string },
) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [company] = await tx.insert(companies).values({ name: input.company }).returning();
    const [user] = await tx
      .insert(users)
      .values({ email: input.email.toLowerCase(), name: input.name, passwordHash })
      .returning();
    if (!company || !user) throw new Error('could not create company');
    await tx.insert(memberships).values({ userId: user.id, companyId: company.id, role: 'owner' });
    return { companyId: company.id, userId: user.id };
  });
}
