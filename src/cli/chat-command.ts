import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';

/** `shopdesk chat`: talk to the engine from a terminal, as a guest or as a known customer. */
export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('chat with the bot in this terminal (try the knowledge base and flows)')
    .option('--as <phoneOrEmail>', 'chat as the customer with this phone or e-mail (e.g. 13800138000 from the demo shop)')
    .action(async (opts: { as?: string }) => {
      const [{ TerminalAdapter }, { startShopdesk }] = await Promise.all([import('../channels/terminal/terminal-adapter.js'), import('../main.js')]);
      const app = await startShopdesk({ http: false, recover: false, adapters: [new TerminalAdapter(process.stdout)], env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, onProgress: () => undefined });
      const as = opts.as?.trim();
      const verified = as ? (as.includes('@') ? { email: as } : { phone: as }) : undefined;
      // a known customer keeps one identity across sessions; each guest session is a new visitor
      const senderId = as ?? `guest-${randomUUID()}`;
      const threadId = `${senderId}:${Date.now()}`;
      console.log(`shopdesk chat — ${as ? `as ${as}` : 'as a guest'}. Type a message; Ctrl+D to quit.`);
      const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
      rl.prompt();
      try {
        for await (const line of rl) {
          if (line.trim()) {
            const { messageId } = await app.engine.accept({
              channel: 'terminal', platformMessageId: randomUUID(), threadId, sender: { id: senderId, verified }, receivedAt: new Date(),
              content: { type: 'text', text: line },
            });
            await app.engine.waitForReplies(messageId, 15_000);
            await app.queue.drain(15_000);
          }
          rl.prompt();
        }
      } finally {
        rl.close();
        await app.stop();
      }
    });
}
