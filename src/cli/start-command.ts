import type { Command } from 'commander';

/** `shopdesk start`: the long-running service. SIGINT/SIGTERM stop it cleanly. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start shopdesk (HTTP server, channels and workers)')
    .option('--role <role>', 'web (HTTP + channels), worker (queue consumers) or all', process.env.ROLE ?? 'all')
    .option('--port <port>', 'HTTP port (overrides PORT)')
    .action(async (opts: { role: string; port?: string }) => {
      const { startShopdesk } = await import('../main.js');
      const app = await startShopdesk({
        env: { ROLE: opts.role, ...(opts.port ? { PORT: opts.port } : {}) },
        onProgress: (m) => console.log(m),
      });
      await new Promise<void>((resolveStop) => {
        const shutdown = () => {
          console.log('stopping…');
          void app.stop().then(resolveStop);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
    });
}
