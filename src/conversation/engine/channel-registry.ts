import type { ChannelAdapter, ChannelCapabilities, ChannelName } from '../../shared/message-types.js';

/** Text-only capabilities for a channel this process has no adapter for (it cannot deliver either). */
export const TEXT_ONLY: ChannelCapabilities = { choices: false, cards: false, attachments: false, maxTextLength: 2000 };

export class ChannelRegistry {
  private readonly adapters = new Map<ChannelName, ChannelAdapter>();

  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.name, adapter);
  }

  get(name: string): ChannelAdapter | undefined {
    return this.adapters.get(name as ChannelName);
  }

  capabilities(name: string): ChannelCapabilities {
    return this.get(name)?.capabilities ?? TEXT_ONLY;
  }
}

/**
 * Which CRM identity kind a channel's sender id is. An e-mail sender's address is its own kind,
 * `email_from`, not the verified contact kind `email`: a `From:` line is only asserted (anyone can
 * write it), so it must never find the customer who proved that address (identity trust model).
 */
export function identityKindOf(channel: string, senderKind?: string): 'web' | 'rest' | 'terminal' | 'wechat_openid' | 'email_from' | 'slack' | 'teams' | `wechaty:${string}` {
  // a channel of several accounts names the account's kind; only inside its own namespace, so no
  // channel can make its senders' ids count as another channel's (or a verified contact kind)
  if (senderKind && senderKind.startsWith(`${channel}:`) && senderKind.length > channel.length + 1 && channel === 'wechaty') return senderKind as `wechaty:${string}`;
  switch (channel) {
    case 'wechat': return 'wechat_openid';
    case 'email': return 'email_from';
    case 'slack': return 'slack';
    case 'teams': return 'teams';
    case 'rest': return 'rest';
    case 'terminal': return 'terminal';
    // a wechaty sender without an account kind still never shares a kind with the web chat
    case 'wechaty': return 'wechaty:unknown';
    default: return 'web';
  }
}
