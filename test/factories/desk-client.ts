import type { Crm } from '../../src/crm/index.js';
import { hashPassword } from '../../src/desk/auth/password-hashing.js';

/** A staff member with a known password (not one-time), for signing in from tests. */
export async function addStaff(crm: Crm, name: string, role: 'agent' | 'manager' | 'admin', password = `${name}-password-123`): Promise<{ id: number; name: string; password: string }> {
  const s = await crm.staff.create({ loginName: name, role, passwordHash: await hashPassword(password), actor: 'test' });
  await crm.staff.setPassword(s.id, await hashPassword(password), { oneTime: false, actor: 'test' });
  return { id: s.id, name, password };
}

export interface DeskResponse<T = unknown> { status: number; body: T; headers: Headers }

/** A browser-like client of /desk: keeps the session cookie and sends the CSRF token. */
export class DeskClient {
  cookie = '';
  csrf = '';
  constructor(readonly base: string, private readonly origin = base) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, opts: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<DeskResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', Origin: this.origin, ...(this.cookie ? { Cookie: this.cookie } : {}), ...opts.headers };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && opts.csrf !== false && this.csrf && !opts.headers?.['X-CSRF-Token']) headers['X-CSRF-Token'] = this.csrf;
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const setCookie = res.headers.get('set-cookie');
    if (setCookie?.startsWith('sd_desk=')) this.cookie = setCookie.split(';')[0];
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown = {}, opts: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    return this.request<T>('POST', path, body, opts);
  }

  async login(name: string, password: string): Promise<DeskResponse<{ csrfToken: string; mustChangePassword: boolean; error?: { message: string } }>> {
    const r = await this.request<{ csrfToken: string; mustChangePassword: boolean; error?: { message: string } }>('POST', '/desk/api/login', { name, password });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}
