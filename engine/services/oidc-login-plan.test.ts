import { describe, expect, it } from 'vitest';
import { identityOf, planLogin, type KnownAccounts, type OidcIdentity } from './oidc-login-plan.js';

const ISSUER = 'https://id.example';
const names = { organisationId: 'org_id', organisationName: 'org_name' };
const claims = {
  sub: 'user-1',
  email: 'Anna@Firma.example',
  email_verified: true,
  given_name: 'Anna',
  family_name: 'Schmidt',
  org_id: 'DE123456789',
  org_name: 'Schmidt Metallbau GmbH',
};

const identity: OidcIdentity = {
  issuer: ISSUER,
  subject: 'user-1',
  email: 'anna@firma.example',
  emailVerified: true,
  name: 'Anna Schmidt',
  organisationId: 'DE123456789',
  organisationName: 'Schmidt Metallbau GmbH',
};

describe('identityOf', () => {
  it('reads person and organisation from the configured claims', () => {
    expect(identityOf(ISSUER, claims, names)).toEqual({ ok: true, identity });
  });

  it('takes `name` over given and family name, a numeric organisation id, and the id when the name is missing', () => {
    const result = identityOf(ISSUER, { ...claims, name: ' A. Schmidt ', org_id: 4711, org_name: undefined }, names);
    expect(result).toMatchObject({
      ok: true,
      identity: { name: 'A. Schmidt', organisationId: '4711', organisationName: '4711' },
    });
  });

  it('reads other claim names when configured so', () => {
    const result = identityOf(
      ISSUER,
      { ...claims, 'urn:elster:orgid': 'X1', 'urn:elster:orgname': 'X GmbH' },
      {
        organisationId: 'urn:elster:orgid',
        organisationName: 'urn:elster:orgname',
      },
    );
    expect(result).toMatchObject({ ok: true, identity: { organisationId: 'X1', organisationName: 'X GmbH' } });
  });

  it.each([
    ['no subject', { sub: '' }, 'missingSubject'],
    ['no e-mail', { email: undefined }, 'missingEmail'],
    ['an e-mail that is none', { email: 'anna' }, 'missingEmail'],
    ['no organisation', { org_id: '  ' }, 'missingOrganisation'],
    ['an organisation that is an object', { org_id: { id: 1 } }, 'missingOrganisation'],
  ])('refuses claims with %s', (_what, change, problem) => {
    expect(identityOf(ISSUER, { ...claims, ...change }, names)).toEqual({ ok: false, problem });
  });

  it('counts only a literal true as a verified address', () => {
    const result = identityOf(ISSUER, { ...claims, email_verified: 'true' }, names);
    expect(result).toMatchObject({ ok: true, identity: { emailVerified: false } });
  });
});

describe('planLogin', () => {
  const plan = (known: KnownAccounts, changes: Partial<OidcIdentity> = {}) =>
    planLogin({ ...identity, ...changes }, known);

  it('creates company and user on the first login from an organisation', () => {
    expect(plan({})).toEqual({ ok: true, user: { kind: 'create' }, company: { kind: 'create' } });
  });

  it('lets a colleague of the same organisation join its company', () => {
    expect(plan({ company: { id: 'c1' } })).toEqual({
      ok: true,
      user: { kind: 'create' },
      company: { kind: 'join', companyId: 'c1' },
    });
  });

  it('finds a returning user by issuer and subject, whatever the address says', () => {
    const known = { bySubject: { id: 'u1' }, byEmail: { id: 'u2', emailVerified: false, linkedToOidc: true } };
    expect(plan({ ...known, company: { id: 'c1' } })).toEqual({
      ok: true,
      user: { kind: 'existing', userId: 'u1' },
      company: { kind: 'join', companyId: 'c1' },
    });
  });

  it('links a verified password account when the provider verified the same address', () => {
    expect(plan({ byEmail: { id: 'u2', emailVerified: true, linkedToOidc: false } })).toMatchObject({
      ok: true,
      user: { kind: 'link', userId: 'u2' },
    });
  });

  it.each([
    ['the provider did not verify the address', { emailVerified: false }, { emailVerified: true, linkedToOidc: false }],
    ['the account never verified its address', {}, { emailVerified: false, linkedToOidc: false }],
    ['another identity logs the account in', {}, { emailVerified: true, linkedToOidc: true }],
  ])('refuses to take over an account when %s', (_what, changes, byEmail) => {
    expect(plan({ byEmail: { id: 'u2', ...byEmail } }, changes)).toEqual({ ok: false, problem: 'emailInUse' });
  });
});
