import type { RateRule } from '../../shared/rate-limiter.js';

/**
 * The web chat's limits (issue 6 item 7). Tight limits are per connection and per visitor (one
 * browser); per-IP rules are ceilings high enough for a carrier NAT or an office full of
 * customers, so one abusive visitor behind a shared address never throttles the others.
 */
export interface WebChatLimits {
  /** Messages (text, buttons, images) one socket may send. */
  messagesPerConnection: RateRule;
  /** Messages of one visitor across all their tabs and processes. */
  messagesPerVisitor: RateRule;
  /** Messages from one IP address (all its visitors together). */
  messagesPerIp: RateRule;
  /** Socket opens and sessions of one visitor. */
  socketsPerVisitor: RateRule;
  socketsPerIp: RateRule;
  /** Sockets one visitor may hold open at once in one process. */
  openSocketsPerVisitor: number;
  /** New visitors an IP address may start. */
  newVisitorsPerIp: RateRule;
  /** Upload count and bytes per visitor, and bytes per IP. */
  uploadsPerVisitor: RateRule;
  uploadBytesPerVisitor: RateRule;
  uploadBytesPerIp: RateRule;
}

const MINUTE = 60_000;

export function defaultWebChatLimits(o: { messagesPerMinute?: number; ipMessagesPerMinute?: number } = {}): WebChatLimits {
  const perVisitor = o.messagesPerMinute ?? 30;
  return {
    // bursts of a person clicking through a flow, not a script: 20 frames, then one a second
    messagesPerConnection: { points: Math.max(10, Math.ceil((perVisitor * 2) / 3)), perMs: 20_000 },
    messagesPerVisitor: { points: perVisitor, perMs: MINUTE },
    messagesPerIp: { points: o.ipMessagesPerMinute ?? 600, perMs: MINUTE },
    socketsPerVisitor: { points: 30, perMs: MINUTE },
    socketsPerIp: { points: 600, perMs: MINUTE },
    openSocketsPerVisitor: 8,
    newVisitorsPerIp: { points: 120, perMs: MINUTE },
    uploadsPerVisitor: { points: 10, perMs: 10 * MINUTE },
    uploadBytesPerVisitor: { points: 20 * 1024 * 1024, perMs: 10 * MINUTE },
    uploadBytesPerIp: { points: 200 * 1024 * 1024, perMs: 10 * MINUTE },
  };
}

/** The polite answer to a customer who is going too fast, in their language. */
export function slowDownText(locale: string | undefined, retryAfterMs: number): string {
  const s = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return /^zh/i.test(locale ?? '')
    ? `您发送得有点快，请稍等 ${s} 秒，我们会自动帮您重新发送。`
    : `You're sending messages a little fast. Please wait ${s} second${s === 1 ? '' : 's'}; we'll send it for you then.`;
}

export function uploadSlowDownText(locale: string | undefined, retryAfterMs: number): string {
  const min = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
  return /^zh/i.test(locale ?? '')
    ? `图片发送得太多了，请 ${min} 分钟后再试。`
    : `That's a lot of images at once. Please try again in ${min} minute${min === 1 ? '' : 's'}.`;
}
