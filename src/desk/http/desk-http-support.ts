import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import type { DeskOutcome } from '../service/desk-service.js';

/** The desk's browser files, served from the source folder both under tsx and from dist/. */
export function deskPublicDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'desk', 'public');
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (package.json) above the desk module');
    dir = up;
  }
}

/** Only the desk's own files run; images may come from our own uploads and data: URLs. */
export const DESK_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** An async route whose errors reach the error middleware. */
export function route(fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
}

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError('VALIDATION_FAILED', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return r.data;
}

export function idParam(req: Request, name = 'id'): number {
  const v = Number(req.params[name]);
  if (!Number.isInteger(v) || v <= 0 || v > 2 ** 31) throw new AppError('VALIDATION_FAILED', `${name} must be a positive whole number`);
  return v;
}

/** A desk outcome as the HTTP answer: success as JSON, an expected failure as its status and message. */
export function sendOutcome(res: Response, o: DeskOutcome): void {
  if (o.ok) {
    res.json(o);
    return;
  }
  const code = o.code === 'not_found' ? 'NOT_FOUND' : o.code === 'illegal' ? 'ILLEGAL_TRANSITION' : o.code === 'channel_gone' ? 'CHANNEL_GONE' : o.code === 'invalid' ? 'VALIDATION_FAILED' : o.code === 'forbidden' ? 'FORBIDDEN' : 'CONFLICT';
  throw new AppError(code, o.message, { userMessage: o.message });
}
