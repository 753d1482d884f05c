import argon2 from 'argon2';
import type { StaffRole } from '../db/schema.js';

export type { StaffRole };
import type { AccountRepository } from '../repositories/account.repository.js';

export interface CompanyUserSession {
  kind: 'applicant';
  userId: string;
  name: string;
  email: string;
  companyId: string;
  companyName: string;
  /** Made by an OpenID Connect login, without password: confirms by logging in at the provider again (ADR 0028). */
  passwordless?: boolean;
}

export interface StaffSession {
  kind: 'staff';
  staffId: string;
  name: string;
  email: string;
  groups: string[];
  /** As at login: changing a member's roles or disabling them ends their sessions (staff administration). */
  roles: StaffRole[];
}

export const hasRole = (member: StaffSession, role: StaffRole): boolean => member.roles.includes(role);

export type SessionPrincipal = CompanyUserSession | StaffSession;

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

/** Password checks for the two kinds of account; each answers a session principal or nothing. */
export interface AuthService {
  /** The company user with this e-mail and password; undefined for a wrong password or an unknown account. */
  loginCompanyUser(email: string, password: string): Promise<CompanyUserSession | undefined>;
  /** The staff member with this e-mail and password; undefined for a wrong password or an unknown account. */
  loginStaff(email: string, password: string): Promise<StaffSession | undefined>;
}

export interface AuthServiceDeps {
  accounts: AccountRepository;
}

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const { accounts } = deps;
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
    async loginCompanyUser(email, password) {
      const found = await accounts.findUserByEmail(email.trim());
      // A self-registered account logs in once its e-mail address is verified (the same answer as a wrong password).
      if (!(await verify(found?.user.passwordHash, password)) || !found || !found.user.emailVerifiedAt)
        return undefined;
      return {
        kind: 'applicant',
        userId: found.user.id,
        name: found.user.name,
        email: found.user.email,
        companyId: found.companyId,
        companyName: found.companyName,
      };
    },
    async loginStaff(email, password) {
      const found = await accounts.findStaffByEmail(email.trim());
      if (!(await verify(found?.passwordHash, password)) || !found || found.disabledAt) return undefined;
      return {
        kind: 'staff',
        staffId: found.id,
        name: found.name,
        email: found.email,
        groups: found.groups,
        roles: found.roles,
      };
    },
  };
}
