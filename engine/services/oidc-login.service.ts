import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Logger } from '../log/logger.js';
import type { OidcAccountRepository } from '../repositories/company.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import { identityOf, planLogin, type IdentityProblem, type OrganisationClaimNames } from './oidc-login-plan.js';

/** How long the browser has from the button to coming back from the provider. */
export const OIDC_FLOW_MINUTES = 10;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  claims: OrganisationClaimNames;
}

export type OidcStart = { kind: 'redirect'; url: string; flow: string } | { kind: 'unavailable' };

export type OidcOutcome =
  | { kind: 'ok'; principal: CompanyUserSession; next?: string }
  /** No login under way in this browser, a foreign or old state, a used or forged code, the user cancelled. */
  | { kind: 'badRequest' }
  /** The provider vouched for someone Lotse cannot sign in: claims missing, or the address taken by another account. */
  | { kind: 'refused'; problem: IdentityProblem | 'emailInUse' }
  /** The provider cannot be reached (or answers with a server error). */
  | { kind: 'unavailable' };

/** Login with OpenID Connect for companies (ADR 0028): authorization code flow with PKCE, state and nonce. */
export interface OidcLoginService {
  /** False without OIDC_ISSUER: no button, and the routes answer 404. */
  readonly enabled: boolean;
  /** Where to send the browser, and the sealed flow (state, nonce, PKCE verifier) the browser keeps meanwhile. */
  begin(input: { redirectUri: string; next?: string; reauthenticate?: boolean }): Promise<OidcStart>;
  /** The provider's answer at the callback, checked against the sealed flow of this browser. */
  finish(input: { callbackUrl: string; redirectUri: string; flow: string | undefined }): Promise<OidcOutcome>;
}

export interface OidcLoginServiceDeps {
  settings: OidcSettings | undefined;
  accounts: OidcAccountRepository;
  /** The session secret: the flow is sealed with a key derived from it. */
  secret: string;
  logger: Logger;
  clock?: () => Date;
}

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  next?: string;
  expiresAt: number;
}

/** Seals the flow for the browser to carry: AES-256-GCM, so it can be neither read (the verifier) nor changed. */
function flowSealer(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'lotse', 'oidc-flow', 32));
  return {
    seal(flow: Flow): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
    },
    open(text: string | undefined): Flow | undefined {
      const [iv, tag, sealed] = (text ?? '').split('.').map((part) => Buffer.from(part, 'base64url'));
      if (!iv || !tag || !sealed || iv.length !== 12 || tag.length !== 16) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        const flow: unknown = JSON.parse(Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8'));
        return isFlow(flow) ? flow : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function isFlow(value: unknown): value is Flow {
  if (typeof value !== 'object' || value === null) return false;
  const flow = value as Record<string, unknown>;
  return (
    typeof flow.state === 'string' &&
    typeof flow.nonce === 'string' &&
    typeof flow.verifier === 'string' &&
    typeof flow.expiresAt === 'number' &&
    (flow.next === undefined || typeof flow.next === 'string')
  );
}

/** A provider that cannot be reached or fails itself, as opposed to one that refuses this browser's request. */
function providerDown(error: unknown): boolean {
  if (error instanceof oidc.ResponseBodyError) return error.status >= 500;
  if (error instanceof oidc.AuthorizationResponseError) return false;
  // fetch() failing (connection refused, DNS, timeout) surfaces as a TypeError or as the cause of one.
  const cause = error instanceof Error ? error.cause : undefined;
  return (
    error instanceof TypeError ||
    cause instanceof TypeError ||
    (error instanceof Error && error.name === 'TimeoutError')
  );
}

/** What may be logged of an error: its kind and code, never tokens or a response body. */
const errorSummary = (error: unknown) => ({
  error: error instanceof Error ? error.name : typeof error,
  code: error instanceof oidc.ClientError || error instanceof oidc.ResponseBodyError ? error.code : undefined,
  reason: error instanceof oidc.ResponseBodyError ? error.error : undefined,
});

export function createOidcLoginService(deps: OidcLoginServiceDeps): OidcLoginService {
  const { settings, accounts, logger } = deps;
  const now = deps.clock ?? (() => new Date());
  const sealer = flowSealer(deps.secret);
  let discovered: Promise<oidc.Configuration> | undefined;

  /**
   * Discovery on first use, not at start: a provider that is down must not stop Lotse, and the password login
   * keeps working. A failed discovery is forgotten, so the next attempt tries again.
   */
  function configuration(active: OidcSettings): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(
        new URL(active.issuer),
        active.clientId,
        active.clientSecret,
        undefined,
        // Plain http only for a provider on this machine (tests, development): config.ts refuses it in production.
        active.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      )
      .then(
        (found) => {
          logger.info({ issuer: active.issuer }, 'OpenID Connect: discovered the issuer');
          return found;
        },
        (error: unknown) => {
          discovered = undefined;
          logger.warn({ issuer: active.issuer, ...errorSummary(error) }, 'OpenID Connect: discovery failed');
          throw error;
        },
      );
    return discovered;
  }

  return {
    enabled: settings !== undefined,

    async begin({ redirectUri, next, reauthenticate }) {
      if (!settings) return { kind: 'unavailable' };
      let config: oidc.Configuration;
      try {
        config = await configuration(settings);
      } catch {
        return { kind: 'unavailable' };
      }
      const flow: Flow = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        ...(next && { next }),
        expiresAt: now().getTime() + OIDC_FLOW_MINUTES * 60_000,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
        // Confirming a deletion: the provider asks again, even when its own session is still open.
        ...(reauthenticate && { prompt: 'login', max_age: '0' }),
      });
      return { kind: 'redirect', url: url.href, flow: sealer.seal(flow) };
    },

    async finish({ callbackUrl, redirectUri, flow: sealed }) {
      if (!settings) return { kind: 'badRequest' };
      const flow = sealer.open(sealed);
      if (!flow || flow.expiresAt < now().getTime()) return { kind: 'badRequest' };
      let claims: Record<string, unknown>;
      try {
        const config = await configuration(settings);
        const tokens = await oidc.authorizationCodeGrant(
          config,
          new URL(callbackUrl),
          {
            pkceCodeVerifier: flow.verifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
            idTokenExpected: true,
          },
          { redirect_uri: redirectUri },
        );
        const idClaims = tokens.claims();
        if (!idClaims) return { kind: 'badRequest' };
        // Providers put the profile (e-mail, organisation) in the ID token or only in userinfo: both are read.
        const userInfo = config.serverMetadata().userinfo_endpoint
          ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
          : {};
        claims = { ...userInfo, ...idClaims };
      } catch (error) {
        const down = providerDown(error);
        logger.warn({ ...errorSummary(error), down }, 'OpenID Connect: the callback was refused');
        return { kind: down ? 'unavailable' : 'badRequest' };
      }
      const read = identityOf(settings.issuer, claims, settings.claims);
      if (!read.ok) {
        logger.warn({ problem: read.problem }, 'OpenID Connect: the claims do not name a company user');
        return { kind: 'refused', problem: read.problem };
      }
      const { identity } = read;
      const plan = planLogin(identity, await accounts.known(identity, identity.organisationId));
      if (!plan.ok) return { kind: 'refused', problem: plan.problem };
      const signedIn = await accounts.apply(
        {
          identity,
          organisation: { externalId: identity.organisationId, name: identity.organisationName },
          user: plan.user,
          company: plan.company,
        },
        now(),
      );
      // Another login took the address or the identity at the same moment.
      if (!signedIn) return { kind: 'refused', problem: 'emailInUse' };
      const { passwordless, ...account } = signedIn;
      return {
        kind: 'ok',
        principal: { kind: 'applicant', ...account, ...(passwordless && { passwordless: true }) },
        ...(flow.next && { next: flow.next }),
      };
    },
  };
}
