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
export function identityKindOf(channel: string, scope?: string): ChannelIdentityKind {
  const base = baseKindOf(channel);
  // a scope only narrows a channel's own kind (never names another, verified one such as `email`)
  if (scope && SCOPED_KINDS.has(base) && SCOPE.test(scope)) return `${base}:${scope}` as ChannelIdentityKind;
  // a wechaty sender without its account still never shares a kind with the web chat
  return base === 'wechaty' ? 'wechaty:unknown' : base;
}

type BaseKind = 'web' | 'rest' | 'terminal' | 'wechat_openid' | 'wechat_oa' | 'wecom_kf' | 'wechaty' | 'email_from' | 'slack' | 'teams';
export type ChannelIdentityKind = Exclude<BaseKind, 'wechaty'> | `${'wechat_openid' | 'wechat_oa' | 'wecom_kf' | 'wechaty'}:${string}`;
/** Kinds whose ids are unique only within a platform account (InboundSender.scope). */
const SCOPED_KINDS: ReadonlySet<BaseKind> = new Set(['wechat_openid', 'wechat_oa', 'wecom_kf', 'wechaty']);
const SCOPE = /^[A-Za-z0-9_.:@-]{1,64}$/;

function baseKindOf(channel: string): BaseKind {
  switch (channel) {
    case 'wecom_kf': return 'wecom_kf';
    case 'wechat': return 'wechat_openid';
    case 'wechat_oa': return 'wechat_oa';
    case 'email': return 'email_from';
    case 'slack': return 'slack';
    case 'teams': return 'teams';
    case 'rest': return 'rest';
    case 'terminal': return 'terminal';
    case 'wechaty': return 'wechaty';
    default: return 'web';
  }
}

