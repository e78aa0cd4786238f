import type { PostwireProcess } from './postwire-process';

/**
 * A browser's view of the console API: it keeps the `pw_session` cookie it is given, as a browser
 * does, and the CSRF token from the sign-in answer, which the console sends on writes.
 */
export class ConsoleSession {
  cookie?: string;
  csrfToken?: string;

  constructor(private readonly app: PostwireProcess) {}

  async signIn(email: string, password: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const res = await this.request('POST', '/api/auth/login', { email, password });
    if (res.status === 200) this.csrfToken = (res.body as { csrfToken: string }).csrfToken;
    return res;
  }

  /** A request with the cookie; writes carry the CSRF token unless `csrf: false` (or another token) is given. */
  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: string | false } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = `pw_session=${this.cookie}`;
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    const res = await fetch(`${this.app.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('pw_session='));
    if (set) this.cookie = /^pw_session=([^;]*)/.exec(set)![1] || undefined;
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }
}
