import type { Crm } from '../../crm/index.js';
import type { ChannelCapabilities, OutboundMessage } from '../../shared/message-types.js';
import { renderForChannel } from '../../shared/render-for-channel.js';
import type { StaffAssistantPort } from '../../shared/staff-assistant.js';

/**
 * The staff route (issue 9, item 3). A sender is staff only when the platform vouches for their
 * id (a signed Slack or Teams event, a WeChat/WeCom openid) and that id is linked to an active
 * StaffMember (`shopdesk staff link`). Web chat, REST, e-mail and the terminal chat never qualify:
 * their sender ids are a browser's cookie, a shared API token's say-so or a From: line, which a
 * customer controls — so a customer is never routed to the assistant, whatever they type.
 */
export const STAFF_IDENTITY_CHANNELS: ReadonlySet<string> = new Set(['slack', 'teams', 'wechat', 'wecom']);

export interface StaffSender { id: number; name: string; role: 'agent' | 'manager' | 'admin' }

export async function staffSenderOf(crm: Crm, channel: string, senderId: string): Promise<StaffSender | undefined> {
  if (!STAFF_IDENTITY_CHANNELS.has(channel)) return undefined;
  const s = await crm.staff.byIdentity(channel, senderId);
  if (!s || !s.active) return undefined;
  return { id: s.id, name: s.displayName ?? s.name, role: s.role as StaffSender['role'] };
}

const UNAVAILABLE = '管理助手在这里还没有开通。/ The managers\' assistant is not set up here.';

/** The assistant's answer to a staff member, rendered for the channel. */
export async function staffTurn(a: { assistant?: StaffAssistantPort; staff: StaffSender; text: string; channel: string; capabilities: ChannelCapabilities; now: Date }): Promise<OutboundMessage[]> {
  const messages: OutboundMessage[] = a.assistant
    ? await a.assistant.answer({ staff: a.staff, text: a.text, channel: a.channel, now: a.now, images: a.capabilities.attachments })
    : [{ type: 'text', text: UNAVAILABLE }];
  return messages.flatMap((m) => renderForChannel(m, a.capabilities));
}
