import type { Database } from '../db/database.js';
import { createAccountRepository } from '../repositories/account.repository.js';
import { createSiteRepository } from '../repositories/site.repository.js';
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
    roles: ['caseworker'],
  },
  administrator: {
    email: 'petra.berg@wirtschaftsfoerderung.example',
    name: 'Petra Berg',
    groups: ['wirtschaftsfoerderung', 'teamleitung'],
    roles: ['caseworker', 'team_lead', 'service_designer', 'administrator'],
  },
  buildingAuthority: {
    email: 'lena.koch@bauamt.example',
    name: 'Lena Koch',
    groups: ['bauamt'],
    roles: ['caseworker'],
  },
  environmentAgency: {
    email: 'max.huber@umweltamt.example',
    name: 'Max Huber',
    groups: ['umweltamt'],
    roles: ['caseworker'],
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
  await createAccountRepository(db).ensureGroups(STAFF_GROUPS);
}

/** Demo company, company user and caseworker; applying it twice changes nothing. */
export async function seedDemoAccounts(db: Database) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { companyUser, ...staffAccounts } = DEMO_ACCOUNTS;
  await createAccountRepository(db).ensureAccounts({
    companyUsers: [
      {
        company: {
          name: companyUser.company,
          legalForm: 'GmbH',
          registerNumber: 'HRB 12345',
          street: 'Industriestraße 7',
          postalCode: '12345',
          city: 'Musterstadt',
          sector: 'Metallverarbeitung',
          size: '10–49',
        },
        user: { email: companyUser.email, name: companyUser.name, passwordHash },
      },
    ],
    staff: Object.values(staffAccounts).map((account) => ({
      member: { email: account.email, name: account.name, passwordHash, roles: [...account.roles] },
      groups: [...account.groups],
    })),
  });
}

/** The demo site catalog; sites already there keep their data (staff may have edited them). */
export async function seedDemoSites(db: Database) {
  await createSiteRepository(db).insertMissing(DEMO_SITES);
}

/** A second company, for tests and demos of tenant isolation. */
export async function createCompanyWithUser(
  db: Database,
  input: { company: string; email: string; name: string; password: string },
) {
  const passwordHash = await hashPassword(input.password);
  return createAccountRepository(db).createCompanyWithUser(
    { name: input.company },
    { email: input.email.toLowerCase(), name: input.name, passwordHash },
  );
}
