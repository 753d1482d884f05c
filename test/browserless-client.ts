/**
 * A user agent for HTTP tests: keeps cookies, follows nothing by itself, and reads the CSRF and
 * submission tokens out of the last page like a browser submitting the form would.
 */
/** A file as a browser's upload form sends it. */
export interface UploadFile {
  field: string;
  name: string;
  content: Uint8Array;
  type?: string;
}

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

  /**
   * Posts a multipart form like a browser's upload form: `_csrf` of the last page first (document
   * order), then the fields, then the files.
   */
  async submitMultipart(
    path: string,
    fields: Record<string, string | string[]>,
    files: UploadFile[] = [],
    tokens: { csrf?: string } = {},
  ) {
    const form = new FormData();
    const csrf = tokens.csrf ?? this.hidden('_csrf');
    if (csrf) form.append('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
    }
    for (const file of files) {
      form.append(
        file.field,
        new Blob([Buffer.from(file.content)], { type: file.type ?? 'application/octet-stream' }),
        file.name,
      );
    }
    return this.request('POST', path, form);
  }

  /** The cookies as this client sends them, for a request it does not make itself (e.g. a binary download). */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
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

  private async request(method: string, path: string, body?: string | FormData) {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        // FormData sets its own multipart content type with the boundary.
        ...(typeof body === 'string' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
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
