/**
 * A real OpenID Connect provider (`oidc-provider`) on 127.0.0.1 for the OIDC login tests: its own development
 * login and consent pages, accounts with organisation claims as "Mein Unternehmenskonto" sends them.
 *
 * The port is taken before Lotse starts (Lotse needs the issuer), the provider is made afterwards (it needs
 * Lotse's callback address); until then, and after `down()`, every connection is dropped as by a provider
 * that is down.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { WebClient } from './browserless-client.js';

export const OIDC_CLIENT = { id: 'lotse-portal', secret: 'a-client-secret-for-tests-only-0123456789' };
/** The scopes Lotse asks for in the tests: the organisation claims come with their own scope. */
export const OIDC_SCOPES = 'openid email profile organisation';

export interface ProviderAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  org_id: string;
  org_name: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const dropConnection: Handler = (req) => req.socket.destroy();

export async function startOidcProvider() {
  const accounts = new Map<string, ProviderAccount>();
  let handler: Handler = dropConnection;
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let provider: Provider | undefined;

  return {
    issuer,
    /** Lotse's environment for this provider. */
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT.id,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
      OIDC_SCOPES,
    },
    addAccount(account: ProviderAccount) {
      accounts.set(account.sub, account);
    },
    /** Makes the provider answer, with the client registered for Lotse's callback. */
    up(lotseUrl: string) {
      provider ??= new Provider(issuer, {
        clients: [
          {
            client_id: OIDC_CLIENT.id,
            client_secret: OIDC_CLIENT.secret,
            redirect_uris: [`${lotseUrl}/login/oidc/callback`],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name'],
          organisation: ['org_id', 'org_name'],
        },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ['a-cookie-key-for-tests-only-0123456789'] },
        async findAccount(_ctx, sub) {
          const account = accounts.get(sub);
          return account && { accountId: sub, claims: () => ({ ...account }) };
        },
      });
      handler = provider.callback();
    },
    down() {
      handler = dropConnection;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type OidcTestProvider = Awaited<ReturnType<typeof startOidcProvider>>;

/**
 * Logs in at the provider as a browser would, from Lotse's redirect to the provider until the provider sends
 * the browser back: the development login page (any password), then the consent page. Answers the callback
 * address with code and state, not yet opened.
 */
export async function signInAtProvider(client: WebClient, authorizationUrl: string, sub: string): Promise<string> {
  let location = authorizationUrl;
  for (let step = 0; step < 10; step++) {
    if (location.includes('/login/oidc/callback')) return location;
    const page = await client.get(location);
    if (page.status === 303 || page.status === 302) {
      location = new URL(page.headers.get('location') ?? '', location).href;
      continue;
    }
    const form = /<form[^>]*action="([^"]+)"/.exec(page.html)?.[1];
    if (page.status !== 200 || !form)
      throw new Error(`the provider answered ${page.status}: ${page.html.slice(0, 300)}`);
    const action = new URL(form, location).href;
    const answer = page.html.includes('name="login"')
      ? await client.post(action, { prompt: 'login', login: sub, password: 'any' })
      : await client.post(action, { prompt: 'consent' });
    location = new URL(answer.headers.get('location') ?? '', action).href;
  }
  throw new Error('the provider did not send the browser back');
}
