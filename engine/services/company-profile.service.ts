/**
 * The company profile (`/account/company`): owners edit it, every member reads it, and every form's
 * prefill reads it (prefill.ts). Validation is pure (`profileInputOf`, `profileProblems`).
 */
import type { CompanyProfileInput, CompanyProfileRow, CompanyRepository } from '../repositories/company.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import type { FieldProblem } from './staff-rules.js';

/** The sections of the German classification of economic activities (WZ 2008), A–U. */
export const WZ_SECTIONS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  'P',
  'Q',
  'R',
  'S',
  'T',
  'U',
] as const;

/** The profile form's fields, in the order the page shows them (and the error summary lists them). */
export const PROFILE_FIELDS = [
  'name',
  'legalForm',
  'registerCourt',
  'registerNumber',
  'street',
  'postalCode',
  'city',
  'sector',
  'employees',
  'phone',
  'contactEmail',
  'website',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
/** The form as typed: every field a trimmed string. */
export type ProfileForm = Record<ProfileField, string>;

const MAX_TEXT = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const POSTAL_CODE = /^\d{5}$/;
const PHONE = /^\+?[0-9][0-9 ()/-]{4,29}$/;
const EMPLOYEES = /^\d{1,7}$/;

export function profileInputOf(form: Record<string, unknown>): ProfileForm {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  return Object.fromEntries(PROFILE_FIELDS.map((field) => [field, text(form[field])])) as ProfileForm;
}

/** The stored profile as the form shows it. */
export function profileFormOf(row: CompanyProfileRow): ProfileForm {
  return Object.fromEntries(
    PROFILE_FIELDS.map((field) => [field, row[field] === null || row[field] === undefined ? '' : String(row[field])]),
  ) as ProfileForm;
}

function isWebsite(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

export function profileProblems(input: ProfileForm): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: ProfileField, key: string) =>
    problems.push({ field, messageKey: `colleagues.profile.error.${key}` });
  if (!input.name) problem('name', 'nameRequired');
  for (const field of PROFILE_FIELDS) {
    if (input[field].length > MAX_TEXT && !problems.some((p) => p.field === field)) problem(field, 'tooLong');
  }
  const has = (field: ProfileField) => input[field] !== '' && !problems.some((p) => p.field === field);
  if (has('postalCode') && !POSTAL_CODE.test(input.postalCode)) problem('postalCode', 'postalCode');
  if (has('sector') && !(WZ_SECTIONS as readonly string[]).includes(input.sector)) problem('sector', 'sector');
  if (has('employees') && !EMPLOYEES.test(input.employees)) problem('employees', 'employees');
  if (has('phone') && !PHONE.test(input.phone)) problem('phone', 'phone');
  if (has('contactEmail') && !EMAIL.test(input.contactEmail)) problem('contactEmail', 'email');
  if (has('website') && !isWebsite(input.website)) problem('website', 'website');
  if (has('registerNumber') && !input.registerCourt) problem('registerCourt', 'registerCourtRequired');
  return problems;
}

/** The validated form as stored: empty fields become null, the number of employees a number. */
export function profileRowOf(input: ProfileForm): CompanyProfileInput {
  const orNull = (value: string) => (value === '' ? null : value);
  return {
    name: input.name,
    legalForm: orNull(input.legalForm),
    registerCourt: orNull(input.registerCourt),
    registerNumber: orNull(input.registerNumber),
    street: orNull(input.street),
    postalCode: orNull(input.postalCode),
    city: orNull(input.city),
    sector: orNull(input.sector),
    employees: input.employees === '' ? null : Number(input.employees),
    phone: orNull(input.phone),
    contactEmail: orNull(input.contactEmail),
    website: orNull(input.website),
  };
}

export type ProfileOutcome = { ok: true } | { ok: false; problems: FieldProblem[] } | { ok: false; forbidden: true };

export interface CompanyProfileService {
  /** The user's company's profile and whether the user may edit it (owners only). */
  profileOf(user: CompanyUserSession): Promise<{ profile: CompanyProfileRow; mayEdit: boolean } | undefined>;
  save(user: CompanyUserSession, form: Record<string, unknown>): Promise<ProfileOutcome>;
}

export function createCompanyProfileService(deps: { companies: CompanyRepository }): CompanyProfileService {
  const { companies } = deps;
  return {
    async profileOf(user) {
      const [profile, role] = await Promise.all([
        companies.profile(user.companyId),
        companies.roleOf(user.companyId, user.userId),
      ]);
      if (!profile || !role) return undefined;
      return { profile, mayEdit: role === 'owner' };
    },
    async save(user, form) {
      // The role is read now, not from the session: an owner demoted a minute ago edits no more.
      if ((await companies.roleOf(user.companyId, user.userId)) !== 'owner') return { ok: false, forbidden: true };
      const input = profileInputOf(form);
      const problems = profileProblems(input);
      if (problems.length > 0) return { ok: false, problems };
      await companies.saveProfile(user.companyId, profileRowOf(input));
      return { ok: true };
    },
  };
}
