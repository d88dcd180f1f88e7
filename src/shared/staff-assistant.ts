import type { OutboundMessage } from './message-types.js';

/**
 * The managers' assistant as the conversation engine sees it (issue 9, item 3): a staff member
 * whose verified channel identity is linked to a StaffMember asks, the assistant answers with
 * messages for that channel. Implemented in src/assistant/, wired in src/main.ts.
 */
export interface StaffAssistantPort {
  answer(input: {
    staff: { id: number; name: string; role: 'agent' | 'manager' | 'admin' };
    text: string;
    channel: string;
    now: Date;
    /** The channel shows images (a chart comes as an image message then). */
    images: boolean;
  }): Promise<OutboundMessage[]>;
}
