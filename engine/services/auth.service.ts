import argon2 from 'argon2';
import type { AccountRepository } from '../repositories/account.repository.js';

export interface CompanyUserSession {
  kind: 'applicant';
  userId: string;
  name: string;
  email: string;
  companyId: string;
  companyName: string;
}

export interface StaffSession {
  kind: 'staff';
  staffId: string;
  name: string;
  email: string;
  groups: string[];
  isAdmin: boolean;
}

export type SessionPrincipal = CompanyUserSession | StaffSession;

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export function createAuthService(accounts: AccountRepository) {
  // Verifying against a fixed hash when the account is unknown keeps both answers equally slow.
  const dummyHash = hashPassword('not-a-real-password');

  async function verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      const ok = await argon2.verify(hash ?? (await dummyHash), password);
      return ok && hash !== undefined;
    } catch {
      return false;
    }
  }

  return {
    async loginCompanyUser(email: string, password: string): Promise<CompanyUserSession | undefined> {
      const found = await accounts.findUserByEmail(email.trim());
      if (!(await verify(found?.user.passwordHash, password)) || !found) return undefined;
      return {
        kind: 'applicant',
        userId: found.user.id,
        name: found.user.name,
        email: found.user.email,
        companyId: found.companyId,
        companyName: found.companyName,
      };
    },
    async loginStaff(email: string, password: string): Promise<StaffSession | undefined> {
      const found = await accounts.findStaffByEmail(email.trim());
      if (!(await verify(found?.passwordHash, password)) || !found) return undefined;
      return {
        kind: 'staff',
        staffId: found.id,
        name: found.name,
        email: found.email,
        groups: found.groups,
        isAdmin: found.isAdmin,
      };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
