import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';

/** `shopdesk flows`: every registered flow's states and transitions as Markdown (`--write` saves docs/flows.md). */
export function registerFlowsCommand(program: Command): void {
  program.command('flows')
    .description('print the conversation flows\' state/transition tables as Markdown')
    .option('--write <file>', 'write the tables to this file instead (docs/flows.md)')
    .action(async (opts: { write?: string }) => {
      const [{ renderFlowDocs }, { registeredFlows }] = await Promise.all([import('../conversation/flows/flow-docs.js'), import('../conversation/flows/flow-registry.js')]);
      const text = renderFlowDocs(registeredFlows());
      if (opts.write) {
        await writeFile(opts.write, text);
        console.log(`wrote ${opts.write}`);
      } else console.log(text);
    });
}
