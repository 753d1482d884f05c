import type { Request, Response } from 'express';
import { hasRole, type StaffRole, type StaffSession } from '../engine/services/auth.service.js';
import { NotFoundError } from '../engine/web/http.js';
import { guardOf, type SignInArea } from '../engine/web/sign-in.js';

/** The staff area's sign-in: its login page, where a login returns, its home. */
export const STAFF_AREA: SignInArea<'staff'> = {
  kind: 'staff',
  loginPath: '/staff/login',
  returnBelow: '/staff/',
  home: '/staff/tasks',
  afterLogout: '/staff/login',
  view: 'admin/login',
  titleKey: 'login.staffTitle',
};

/** The signed-in staff member, or undefined after redirecting to the login (which comes back here). */
export const staffMember = guardOf(STAFF_AREA);

/**
 * A guard for pages of some roles: the member if they hold any of `roles`; a member without one gets 404
 * (ADR 0003: a page one may not see does not exist for them); logged out, the login.
 * Use in every staff router: `const administrator = requireRole('administrator')`, then
 * `const member = administrator(req, res); if (!member) return;`.
 */
export function requireRole(...roles: [StaffRole, ...StaffRole[]]) {
  return (req: Request, res: Response): StaffSession | undefined => {
    const member = staffMember(req, res);
    if (member && !roles.some((role) => hasRole(member, role))) throw new NotFoundError();
    return member;
  };
}
