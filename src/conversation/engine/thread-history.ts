import type { Crm } from '../../crm/index.js';
import type { OutboundMessage } from '../../shared/message-types.js';

/** A thread's past messages as a channel shows them on reconnect (customer text, bot messages). */
export async function historyForThread(crm: Crm, channel: string, threadId: string, limit = 50) {
  const rows = await crm.messages.threadHistory(channel, threadId, limit);
  return rows.map((r) => {
    let message: OutboundMessage = { type: 'text', text: r.text };
    if (r.direction === 'out' && r.payload) {
      try {
        message = JSON.parse(r.payload) as OutboundMessage;
      } catch {
        message = { type: 'text', text: r.text };
      }
    }
    return { id: String(r.id), direction: r.direction as 'in' | 'out', message, at: r.createdAt.toISOString() };
  });
}
