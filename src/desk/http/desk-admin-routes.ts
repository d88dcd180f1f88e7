import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { STAFF_ROLES, type Crm } from '../../crm/index.js';
import { AppError } from '../../shared/app-error.js';
import { hashPassword, oneTimePassword } from '../auth/password-hashing.js';
import type { StaffAuth } from '../auth/staff-auth.js';
import { staffAuthMiddleware, staffOf } from '../auth/staff-auth-middleware.js';
import type { DeskSettings } from '../service/desk-ports.js';
import { idParam, parseBody, route } from './desk-http-support.js';

const NewStaff = z.object({ name: z.string().min(1).max(64), role: z.enum(STAFF_ROLES), displayName: z.string().max(64).optional(), email: z.string().email().max(320).optional() });
const StaffPatch = z.object({ displayName: z.string().max(64).nullable().optional(), maxChats: z.number().int().min(0).max(100).nullable().optional(), role: z.enum(STAFF_ROLES).optional() });
const Canned = z.object({ title: z.string().min(1).max(60), text: z.string().min(1).max(4000), lang: z.enum(['zh', 'en']).nullable().optional() });

/** Staff list, canned replies, health, and the admin's staff management. */
export function registerDeskAdminRoutes(router: express.Router, deps: {
  crm: Crm; auth: StaffAuth; settings: DeskSettings; allowedOrigins: string[]; authed: RequestHandler; json: RequestHandler;
  health: () => Promise<Record<string, unknown>>;
}): void {
  const { crm, authed, json } = deps;
  const admin = staffAuthMiddleware(deps.auth, { roles: ['admin'], allowedOrigins: deps.allowedOrigins });
  const managers = staffAuthMiddleware(deps.auth, { roles: ['manager', 'admin'], allowedOrigins: deps.allowedOrigins });

  router.get('/desk/api/staff', authed, route(async (_req, res) => {
    res.json({ items: await crm.desk.board(new Date(), deps.settings.maxChatsPerAgent) });
  }));
  router.get('/desk/api/canned', authed, route(async (_req, res) => {
    res.json({ items: await crm.desk.canned.list() });
  }));
  router.post('/desk/api/canned', authed, json, route(async (req, res) => {
    const body = parseBody(Canned, req.body);
    res.status(201).json(await crm.desk.canned.create({ ...body, staffId: staffOf(res).staffId }));
  }));
  router.delete('/desk/api/canned/:id', authed, route(async (req, res) => {
    if (!(await crm.desk.canned.remove(idParam(req), staffOf(res).staffId))) throw new AppError('NOT_FOUND', 'No such canned reply');
    res.json({ ok: true });
  }));
  router.get('/desk/api/health', managers, route(async (_req, res) => {
    res.json({ outbox: await crm.outbox.summary(), ...(await deps.health()) });
  }));

  router.get('/desk/api/admin/staff', admin, route(async (_req, res) => {
    const staff = await crm.staff.list();
    const board = new Map((await crm.desk.board(new Date(), deps.settings.maxChatsPerAgent)).map((b) => [b.id, b]));
    res.json({
      items: await Promise.all(staff.map(async (s) => ({
        ...s, online: board.get(s.id)?.online ?? false, load: board.get(s.id)?.load ?? 0, cap: s.maxChats ?? deps.settings.maxChatsPerAgent,
        identities: await crm.staff.identities(s.id),
      }))),
    });
  }));
  router.post('/desk/api/admin/staff', admin, json, route(async (req, res) => {
    const body = parseBody(NewStaff, req.body);
    const password = oneTimePassword();
    const staff = await crm.staff.create({ loginName: body.name, displayName: body.displayName, role: body.role, email: body.email, passwordHash: await hashPassword(password), actor: `staff:${staffOf(res).staffId}` });
    res.status(201).json({ staff, oneTimePassword: password });
  }));
  router.patch('/desk/api/admin/staff/:id', admin, json, route(async (req, res) => {
    await crm.staff.setProfile(idParam(req), parseBody(StaffPatch, req.body), `staff:${staffOf(res).staffId}`);
    res.json({ ok: true });
  }));
  router.post('/desk/api/admin/staff/:id/:op', admin, route(async (req, res) => {
    const id = idParam(req);
    const me = staffOf(res);
    const actor = `staff:${me.staffId}`;
    if (!(await crm.staff.get(id))) throw new AppError('NOT_FOUND', `Staff member ${id} not found`);
    switch (req.params.op) {
      case 'deactivate':
        if (id === me.staffId) throw new AppError('VALIDATION_FAILED', 'cannot deactivate oneself', { userMessage: 'You cannot deactivate your own account' });
        await crm.staff.setActive(id, false, actor);
        return res.json({ ok: true });
      case 'activate':
        await crm.staff.setActive(id, true, actor);
        return res.json({ ok: true });
      case 'reset-password': {
        const password = oneTimePassword();
        await crm.staff.setPassword(id, await hashPassword(password), { oneTime: true, actor });
        await crm.staff.sessions.revokeAll(id, actor);
        return res.json({ ok: true, oneTimePassword: password });
      }
      case 'revoke-sessions':
        return res.json({ ok: true, revoked: await crm.staff.sessions.revokeAll(id, actor) });
      default:
        throw new AppError('NOT_FOUND', `No staff operation "${req.params.op}"`);
    }
  }));
}
