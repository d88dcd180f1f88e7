import type { OutboundMessage } from '../shared/message-types.js';
import type { StaffAssistantPort } from '../shared/staff-assistant.js';
import type { AskService } from './ask-service.js';

/**
 * The assistant behind the conversation engine's staff route: the answer's text, and its chart as
 * an image message when the channel shows images and the installation can give the PNG an
 * address (`storeChart`, e.g. the media store). Without that, text only.
 */
export function staffAssistantPort(service: AskService, opts: { storeChart?: (png: Buffer, where: { channel: string; staffId: number }) => Promise<string | undefined> } = {}): StaffAssistantPort {
  return {
    async answer(input) {
      const withChart = input.images && Boolean(opts.storeChart);
      const answer = await service.ask(input.text, { staff: input.staff, channel: input.channel, now: input.now, chart: withChart });
      const out: OutboundMessage[] = [{ type: 'text', text: answer.text }];
      if (answer.chart && opts.storeChart) {
        const url = await opts.storeChart(answer.chart.png, { channel: input.channel, staffId: input.staff.id });
        if (url) out.push({ type: 'image', url, caption: answer.chart.title });
      }
      return out;
    },
  };
}
