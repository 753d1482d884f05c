/**
 * What a login with OpenID Connect does (pure, ADR 0028): which person and which company the provider's claims
 * name, and — given what Lotse already knows — whether the login creates, links or joins them.
 */

/** Which claims carry the organisation (configurable: providers name them differently). */
export interface OrganisationClaimNames {
  organisationId: string;
  organisationName: string;
}

/** The person and the organisation a provider vouches for. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  /** The provider says it checked the address (`email_verified: true`); only then may an account be linked. */
  emailVerified: boolean;
  name: string;
  organisationId: string;
  organisationName: string;
}

export type IdentityProblem = 'missingSubject' | 'missingEmail' | 'missingOrganisation';

const MAX_TEXT = 200;
// Deliberately loose, as for registration: the provider owns the address.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A claim as a trimmed, bounded string; numbers count (some providers send organisation ids as numbers). */
function claimText(claims: Record<string, unknown>, name: string): string {
  const value = claims[name];
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

/** The identity in the claims, or what is missing for Lotse to act on them. */
export function identityOf(
  issuer: string,
  claims: Record<string, unknown>,
  names: OrganisationClaimNames,
): { ok: true; identity: OidcIdentity } | { ok: false; problem: IdentityProblem } {
  const subject = claimText(claims, 'sub');
  if (!subject || subject.length > 255) return { ok: false, problem: 'missingSubject' };
  const email = claimText(claims, 'email').toLowerCase();
  if (!EMAIL.test(email) || email.length > MAX_TEXT) return { ok: false, problem: 'missingEmail' };
  const organisationId = claimText(claims, names.organisationId);
  if (!organisationId || organisationId.length > 255) return { ok: false, problem: 'missingOrganisation' };
  const organisationName = claimText(claims, names.organisationName).slice(0, MAX_TEXT) || organisationId;
  const given = [claimText(claims, 'given_name'), claimText(claims, 'family_name')].filter(Boolean).join(' ');
  const name = (claimText(claims, 'name') || given || email).slice(0, MAX_TEXT);
  return {
    ok: true,
    identity: {
      issuer,
      subject,
      email,
      emailVerified: claims.email_verified === true,
      name,
      organisationId,
      organisationName,
    },
  };
}

/** What Lotse already has for an identity (the service looks it up). */
export interface KnownAccounts {
  /** The user this issuer and subject logged in before. */
  bySubject?: { id: string };
  /** A user with the identity's e-mail address (and no OpenID identity of its own, or another one). */
  byEmail?: { id: string; emailVerified: boolean; linkedToOidc: boolean };
  /** The company with the organisation id. */
  company?: { id: string };
}

export type UserPlan =
  | { kind: 'existing'; userId: string }
  /** A password account of the same, verified address: from now on the provider logs it in too. */
  | { kind: 'link'; userId: string }
  | { kind: 'create' };

export type CompanyPlan = { kind: 'join'; companyId: string } | { kind: 'create' };

export type LoginPlan =
  | { ok: true; user: UserPlan; company: CompanyPlan }
  /**
   * The address has an account the provider may not take over: the provider did not confirm the address, the
   * account never confirmed it, or another identity already logs it in.
   */
  | { ok: false; problem: 'emailInUse' };

/**
 * The first login from an organisation creates its company, with the user as owner; later logins from it join
 * that company as members. A user is found by issuer and subject; failing that, an existing account with the same
 * address is linked only when both the provider and Lotse have confirmed the address (ADR 0028).
 */
export function planLogin(identity: OidcIdentity, known: KnownAccounts): LoginPlan {
  const company: CompanyPlan = known.company ? { kind: 'join', companyId: known.company.id } : { kind: 'create' };
  if (known.bySubject) return { ok: true, user: { kind: 'existing', userId: known.bySubject.id }, company };
  if (!known.byEmail) return { ok: true, user: { kind: 'create' }, company };
  const linkable = identity.emailVerified && known.byEmail.emailVerified && !known.byEmail.linkedToOidc;
  return linkable
    ? { ok: true, user: { kind: 'link', userId: known.byEmail.id }, company }
    : { ok: false, problem: 'emailInUse' };
}
