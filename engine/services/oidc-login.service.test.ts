import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import type { OidcAccountRepository } from '../repositories/company.repository.js';
import { createOidcLoginService } from './oidc-login.service.js';

const settings = {
  // Nothing listens here: a callback that reached the provider would answer 'unavailable', not 'badRequest'.
  issuer: 'http://127.0.0.1:9',
  clientId: 'lotse',
  clientSecret: 'secret',
  scopes: 'openid',
  claims: { organisationId: 'org_id', organisationName: 'org_name' },
};
const untouched = new Proxy({} as OidcAccountRepository, {
  get: () => {
    throw new Error('the accounts must not be read');
  },
});
const service = (withSettings = true) =>
  createOidcLoginService({
    settings: withSettings ? settings : undefined,
    accounts: untouched,
    secret: 'test-secret-test-secret-test-secret-42',
    logger: createLogger({ level: 'silent' }),
  });
const callback = { callbackUrl: 'http://lotse.example/login/oidc/callback?code=c&state=s', redirectUri: 'x' };

describe('the OpenID Connect login service', () => {
  it('is off without an issuer: no button, no flow', async () => {
    const off = service(false);
    expect(off.enabled).toBe(false);
    expect(await off.begin({ redirectUri: 'x' })).toEqual({ kind: 'unavailable' });
    expect(await off.finish({ ...callback, flow: 'anything' })).toEqual({ kind: 'badRequest' });
  });

  it.each([
    ['no flow cookie', undefined],
    ['a made-up flow', 'abc.def.ghi'],
    ['a flow sealed with another secret', 'AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
    ['an empty flow', ''],
  ])('refuses a callback with %s before asking the provider anything', async (_what, flow) => {
    expect(await service().finish({ ...callback, flow })).toEqual({ kind: 'badRequest' });
  });
});
