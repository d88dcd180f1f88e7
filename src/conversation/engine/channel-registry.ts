import type { IdentityKind } from '../../crm/index.js';
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
export function identityKindOf(channel: string): 'web' | 'rest' | 'terminal' | 'wechat_openid' | 'wechat_oa' | 'email_from' | 'slack' | 'teams' {
  switch (channel) {
    case 'wechat': return 'wechat_openid';
    case 'wechat_oa': return 'wechat_oa';
    case 'email': return 'email_from';
    case 'slack': return 'slack';
    case 'teams': return 'teams';
    case 'rest': return 'rest';
    case 'terminal': return 'terminal';
    default: return 'web';
  }
}

/**
 * The identity kind of a sender: its channel's kind, narrowed to the platform account when the
 * channel names one (`wechat_oa:<appid>`: an openid means nothing outside its Official Account).
 */
export function senderIdentityKind(channel: string, scope?: string): IdentityKind {
  const kind = identityKindOf(channel);
  return kind === 'wechat_oa' && scope ? `wechat_oa:${scope}` : kind;
}
