import type { Crm } from '../../crm/index.js';
import type { OutboundMessage } from '../../shared/message-types.js';

/** The media-store id of an image the customer sent, from the stored inbound payload. */
function mediaIdOf(payload: string | null): string | undefined {
  if (!payload) return undefined;
  try {
    const p = JSON.parse(payload) as { content?: { type?: string; mediaId?: unknown } };
    return p.content?.type === 'attachment' && typeof p.content.mediaId === 'string' ? p.content.mediaId : undefined;
  } catch {
    return undefined;
  }
}

/** A thread's past messages as a channel shows them on reconnect (customer text and images, bot messages). */
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
    const mediaId = r.direction === 'in' ? mediaIdOf(r.payload) : undefined;
    return { id: String(r.id), direction: r.direction as 'in' | 'out', message, at: r.createdAt.toISOString(), ...(mediaId ? { mediaId } : {}) };
  });
}
