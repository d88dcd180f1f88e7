import type { Config } from '../config/config.js';
import type { ChannelInstance, ChannelPlacement, ChannelServices } from '../shared/channel-lifecycle.js';
import type { ChannelName } from '../shared/message-types.js';

/** One channel as the runtime sees it: its name, where it runs, and how to build it. */
export interface ChannelDefinition {
  id: ChannelName;
  placement: ChannelPlacement;
  create(services: ChannelServices): ChannelInstance;
}

/**
 * THE list of lifecycle channels (design contract 1): each is on only when config.ts parsed its
 * settings. A new channel adds one entry here; main.ts does not change. (The web chat and REST
 * channel predate the contract and are still wired in main.ts.) A channel's code is imported only
 * when it is on: imapflow and mailparser alone take about a second to load.
 */
export async function channelCatalog(config: Config): Promise<ChannelDefinition[]> {
  const list: ChannelDefinition[] = [];
  const email = config.email;
  if (email) {
    const { createEmailChannel } = await import('../channels/email/email-channel.js');
    list.push({ id: 'email', placement: 'singleton', create: (s) => createEmailChannel({ ...email, fromName: config.shop.name }, s) });
  }
  const oa = config.wechatOa;
  if (oa) {
    const { createWechatOaChannel } = await import('../channels/wechat-oa/wechat-oa-channel.js');
    const { parseMenuSetting } = await import('../channels/wechat-oa/oa-decode.js');
    // webhook: the callback is answered by whichever web process WeChat reaches
    list.push({ id: 'wechat_oa', placement: 'webhook', create: (s) => createWechatOaChannel({ ...oa, menu: parseMenuSetting(oa.menu) }, s) });
  }
  const kf = config.wecomKf;
  if (kf) {
    const { createWecomKfChannel } = await import('../channels/wecom-kf/wecom-kf-channel.js');
    // callbacks in every web process; each account's pull under a lease (kf-puller.ts)
    list.push({ id: 'wecom_kf', placement: 'webhook', create: (s) => createWecomKfChannel(kf, s) });
  }
  const wechaty = config.wechaty;
  if (wechaty) {
    // the channel module is small; wechaty itself (~4 s to load) is imported only when it starts
    const { createWechatyChannel } = await import('../channels/wechaty/wechaty-channel.js');
    list.push({ id: 'wechaty', placement: 'singleton', create: (s) => createWechatyChannel(wechaty, s) });
  }
  return list;
}
