import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { DESK_VIEWS, STAFF_PRESENCE, type Crm } from '../../crm/index.js';
import { AppError } from '../../shared/app-error.js';
import type { StaffAuth } from '../auth/staff-auth.js';
import { DESK_COOKIE, sessionOf, staffAuthMiddleware, staffOf } from '../auth/staff-auth-middleware.js';
import type { DeskSettings, StaffImageStore } from '../service/desk-ports.js';
import type { DeskService } from '../service/desk-service.js';
import { registerDeskAdminRoutes } from './desk-admin-routes.js';
import { DESK_CSP, deskPublicDir, idParam, parseBody, route, sendOutcome } from './desk-http-support.js';

export interface DeskRouterDeps {
  crm: Crm;
  auth: StaffAuth;
  service: DeskService;
  settings: DeskSettings;
  shop: { name: string; currency: string };
  images?: StaffImageStore;
  uploadMaxBytes: number;
  /** Origins besides this server's own that may call the desk (PUBLIC_URL's). */
  allowedOrigins: string[];
  /** Process figures for GET /desk/api/health (the outbox's counters). */
  health: () => Promise<Record<string, unknown>>;
}

const Login = z.object({ name: z.string().min(1).max(200), password: z.string().min(1).max(1000) });
const PasswordChange = z.object({ current: z.string().min(1).max(1000), next: z.string().min(1).max(1000) });
const Reply = z.object({ text: z.string().max(20_000), clientId: z.string().regex(/^[A-Za-z0-9_:.-]{8,100}$/).optional() });
const Note = z.object({ text: z.string().max(20_000) });
const Transfer = z.object({ staffId: z.number().int().positive() });
const Presence = z.object({ presence: z.enum(STAFF_PRESENCE) });
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/**
 * /desk: the staff inbox page and its JSON API under /desk/api. Every API route except sign-in
 * goes through the staff middleware (session cookie + CSRF token, or a staff bearer token).
 */
export function createDeskRouter(deps: DeskRouterDeps): express.Router {
  const router = express.Router();
  const publicDir = deskPublicDir();
  const json = express.json({ limit: '64kb' });
  const authed = staffAuthMiddleware(deps.auth, { allowedOrigins: deps.allowedOrigins });
  const authedAllowingPasswordChange = staffAuthMiddleware(deps.auth, { allowedOrigins: deps.allowedOrigins, allowPasswordChange: true });
  let page: Promise<string> | undefined;

  router.get('/desk', route(async (_req, res) => {
    page ??= readFile(join(publicDir, 'desk.html'), 'utf8');
    res.setHeader('Content-Security-Policy', DESK_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(await page);
  }));
  router.use('/desk/assets', express.static(publicDir, { index: false, maxAge: '5m', setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff') }));

  router.post('/desk/api/login', json, route(async (req, res) => {
    const body = parseBody(Login, req.body);
    const r = await deps.auth.login(body.name, body.password, req.ip ?? 'unknown');
    if (!r.ok && r.code === 'RATE_LIMITED') {
      const minutes = Math.max(1, Math.ceil(r.retryAfterMs / 60_000));
      res.setHeader('Retry-After', String(Math.ceil(r.retryAfterMs / 1000)));
      throw new AppError('RATE_LIMITED', 'too many sign-in attempts', { userMessage: `Too many sign-in attempts; try again in ${minutes} min / 尝试次数过多，请 ${minutes} 分钟后再试` });
    }
    if (!r.ok) {
      throw new AppError('UNAUTHORIZED', `sign-in refused: ${r.code}`, {
        userMessage: r.code === 'INACTIVE' ? 'This account is deactivated; ask an admin / 此账号已停用，请联系管理员' : 'Wrong name or password / 用户名或密码错误',
      });
    }
    res.cookie(DESK_COOKIE, r.cookieValue, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', expires: r.session.expiresAt });
    res.json({ staff: r.staff, csrfToken: r.session.csrfToken, mustChangePassword: r.session.mustChangePassword });
  }));

  router.get('/desk/api/me', authedAllowingPasswordChange, route(async (_req, res) => {
    const me = staffOf(res);
    const s = sessionOf(res);
    const view = await deps.crm.staff.get(me.staffId);
    res.json({
      staff: { ...me, loginName: view?.loginName ?? null, presence: view?.presence ?? 'away' },
      csrfToken: s?.session.csrfToken ?? null, mustChangePassword: s?.session.mustChangePassword ?? false,
      shop: { name: deps.shop.name, currency: deps.shop.currency, serviceHours: { zh: deps.settings.serviceHours.describe('zh'), en: deps.settings.serviceHours.describe('en') }, open: deps.settings.serviceHours.isOpen(new Date()) },
    });
  }));
  router.post('/desk/api/logout', authedAllowingPasswordChange, route(async (_req, res) => {
    const s = sessionOf(res);
    if (s) await deps.auth.logout(s.session.id, s.principal.staffId);
    res.clearCookie(DESK_COOKIE, { path: '/' });
    res.json({ ok: true });
  }));
  router.post('/desk/api/password', authedAllowingPasswordChange, json, route(async (req, res) => {
    const body = parseBody(PasswordChange, req.body);
    await deps.auth.changePassword(staffOf(res).staffId, body.current, body.next, sessionOf(res)?.session.id);
    res.json({ ok: true });
  }));
  router.post('/desk/api/presence', authed, json, route(async (req, res) => {
    const body = parseBody(Presence, req.body);
    await deps.crm.staff.setPresence(staffOf(res).staffId, body.presence);
    res.json({ ok: true, presence: body.presence });
  }));

  router.get('/desk/api/conversations', authed, route(async (req, res) => {
    const me = staffOf(res);
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const view = typeof req.query.view === 'string' && (DESK_VIEWS as readonly string[]).includes(req.query.view) ? (req.query.view as (typeof DESK_VIEWS)[number]) : 'waiting';
    const items = q ? await deps.crm.desk.search(q) : await deps.crm.desk.list({ view, staffId: me.staffId });
    if (q) await deps.crm.desk.audit(me.staffId, 'desk.search', 'Conversation', '-', { results: items.length });
    res.json({ items, counts: await deps.crm.desk.counts(me.staffId) });
  }));
  router.get('/desk/api/conversations/:id', authed, route(async (req, res) => {
    const id = idParam(req);
    const detail = await deps.crm.desk.detail(id);
    if (!detail) throw new AppError('NOT_FOUND', `Conversation ${id} not found`);
    await deps.crm.desk.audit(staffOf(res).staffId, 'desk.view', 'Conversation', id);
    res.json(detail);
  }));
  const action = (name: 'claim' | 'release' | 'resolve') => route(async (req, res) => sendOutcome(res, await deps.service[name](staffOf(res), idParam(req))));
  router.post('/desk/api/conversations/:id/claim', authed, action('claim'));
  router.post('/desk/api/conversations/:id/release', authed, action('release'));
  router.post('/desk/api/conversations/:id/resolve', authed, action('resolve'));
  router.post('/desk/api/conversations/:id/transfer', authed, json, route(async (req, res) => {
    sendOutcome(res, await deps.service.transfer(staffOf(res), idParam(req), parseBody(Transfer, req.body).staffId));
  }));
  router.post('/desk/api/conversations/:id/messages', authed, json, route(async (req, res) => {
    const body = parseBody(Reply, req.body);
    sendOutcome(res, await deps.service.reply(staffOf(res), idParam(req), body));
  }));
  router.post('/desk/api/conversations/:id/notes', authed, json, route(async (req, res) => {
    sendOutcome(res, await deps.service.note(staffOf(res), idParam(req), parseBody(Note, req.body).text));
  }));
  router.post('/desk/api/conversations/:id/images', authed, express.raw({ type: IMAGE_TYPES, limit: deps.uploadMaxBytes }), route(async (req, res) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!IMAGE_TYPES.includes(type) || !Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `image type ${type || 'missing'}`, { userMessage: 'Send a JPEG, PNG, GIF or WebP image' });
    const caption = typeof req.query.caption === 'string' ? req.query.caption : undefined;
    const clientId = typeof req.query.clientId === 'string' && /^[A-Za-z0-9_:.-]{8,100}$/.test(req.query.clientId) ? req.query.clientId : undefined;
    sendOutcome(res, await deps.service.image(staffOf(res), idParam(req), { bytes: req.body, type, caption, clientId }));
  }));
  router.get('/desk/api/media', authed, route(async (req: Request, res: Response) => {
    const url = typeof req.query.url === 'string' ? req.query.url : '';
    const found = url && deps.images ? await deps.images.open(url) : undefined;
    if (!found) throw new AppError('NOT_FOUND', 'no such image', { userMessage: 'No such image' });
    await deps.crm.desk.audit(staffOf(res).staffId, 'desk.view_media', 'Media', url.slice(-40));
    res.setHeader('Content-Type', found.mimeType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(found.bytes);
  }));

  registerDeskAdminRoutes(router, { ...deps, authed, json });
  return router;
}
