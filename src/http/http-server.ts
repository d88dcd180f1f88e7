import { createServer, type Server } from 'node:http';
import express, { type Router } from 'express';
import { AppError } from '../shared/app-error.js';
import { errorMiddleware } from './error-middleware.js';

export interface ReadinessCheck {
  (): Promise<{
    ready: boolean;
    checks: Record<string, { ok: boolean; detail?: string }>;
    /** Each lifecycle channel's health in this process (shown, not part of `ready`: a mailbox that is down must not take the web chat out of the load balancer). */
    channels?: Record<string, unknown>;
  }>;
}

export interface HttpAppOptions {
  readiness: ReadinessCheck;
  /** Routers mounted at `/` in order (channels, web chat, staff webhooks). */
  routers: Router[];
}

/** The express app: health endpoints, the given routers, then the error middleware. */
export function createHttpApp(opts: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      const r = await opts.readiness();
      res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not_ready', checks: r.checks, ...(r.channels ? { channels: r.channels } : {}) });
    } catch (err) {
      next(err);
    }
  });
  for (const router of opts.routers) app.use(router);
  app.use((_req, _res, next) => next(new AppError('NOT_FOUND', 'No such route')));
  app.use(errorMiddleware);
  return app;
}

/** Listens on host:port; a port in use or a bad host is a clear AppError, not a crash. */
export function listen(app: express.Express, host: string, port: number): Promise<Server> {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use (set PORT)` : err.code === 'EADDRNOTAVAIL' ? `address ${host} is not available (set HOST)` : err.message;
      reject(new AppError('CONFIG_INVALID', `Cannot listen on ${host}:${port}: ${why}`, { cause: err }));
    });
    server.listen(port, host, () => resolve(server));
  });
}
