/**
 * A user agent for HTTP tests: keeps cookies, follows nothing by itself, and reads the CSRF and
 * submission tokens out of the last page like a browser submitting the form would.
 */
export class WebClient {
  private cookies = new Map<string, string>();
  lastHtml = '';

  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<Response & { html: string }> {
    return this.request('GET', path);
  }

  async post(path: string, fields: Record<string, string>): Promise<Response & { html: string }> {
    return this.request('POST', path, new URLSearchParams(fields).toString());
  }

  /** Posts the form fields with the `_csrf` (and `_token`, if present) of the last page. */
  async submit(path: string, fields: Record<string, string>, tokens: { csrf?: string; token?: string } = {}) {
    const csrf = tokens.csrf ?? this.hidden('_csrf');
    const token = tokens.token ?? this.hidden('_token');
    return this.post(path, { ...fields, ...(csrf ? { _csrf: csrf } : {}), ...(token ? { _token: token } : {}) });
  }

  hidden(name: string): string | undefined {
    const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(this.lastHtml);
    return match?.[1];
  }

  async login(email: string, password: string, staff = false) {
    const path = staff ? '/staff/login' : '/login';
    await this.get(path);
    const response = await this.submit(path, { email, password });
    if (response.status !== 303) throw new Error(`login as ${email} failed: ${response.status}`);
    return response;
  }

  private async request(method: string, path: string, body?: string) {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    const html = await response.text();
    if (method === 'GET' || response.status >= 400) this.lastHtml = html;
    return Object.assign(response, { html });
  }
}
