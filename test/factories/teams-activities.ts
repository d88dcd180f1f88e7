import { randomUUID } from 'node:crypto';

/**
 * Bot Framework activities as Teams sends them (shapes as in src/channels/teams/__fixtures__/),
 * built for one bot, tenant and team.
 */
export interface TeamsWorld {
  serviceUrl: string;
  appId: string;
  tenantId: string;
  teamId: string;
  /** The channel handoffs go to (TEAMS_CHANNEL_ID). */
  channelId: string;
}

export interface TeamsPerson { id: string; aadObjectId: string; name: string }

export function teamsPerson(name: string): TeamsPerson {
  return { id: `29:1${randomUUID().replace(/-/g, '')}`, aadObjectId: randomUUID(), name };
}

export function teamsActivities(w: TeamsWorld) {
  const bot = { id: `28:${w.appId}`, name: 'shopdesk' };
  const common = (conversationId: string, conversationType: 'channel' | 'personal', channelId?: string) => ({
    channelId: 'msteams', serviceUrl: w.serviceUrl, recipient: bot, timestamp: new Date().toISOString(), locale: 'zh-CN',
    conversation: { id: conversationId, conversationType, isGroup: conversationType === 'channel' ? true : undefined, tenantId: w.tenantId },
    channelData: { tenant: { id: w.tenantId }, ...(channelId ? { team: { id: w.teamId }, channel: { id: channelId } } : {}) },
  });
  return {
    bot,
    /** The app installed in the team: Teams says the bot joined, in the General channel (id = team id). */
    installed(by: TeamsPerson) {
      const c = common(w.teamId, 'channel');
      return { ...c, type: 'conversationUpdate', id: `f:${randomUUID()}`, from: { id: by.id, aadObjectId: by.aadObjectId }, membersAdded: [{ id: bot.id }], channelData: { ...c.channelData, team: { id: w.teamId, name: '客服 Support' }, eventType: 'teamMemberAdded' } };
    },
    /** An @mention of the bot in the thread of the post with id `rootId`. */
    threadMention(by: TeamsPerson, rootId: string, text: string, id = String(Date.now()) + Math.floor(Math.random() * 1000)) {
      return {
        ...common(`${w.channelId};messageid=${rootId}`, 'channel', w.channelId), type: 'message', id, from: by,
        text: `<at>${bot.name}</at> ${text}`, textFormat: 'plain',
        entities: [{ type: 'mention', text: `<at>${bot.name}</at>`, mentioned: bot }],
      };
    },
    /** A click on an Action.Submit button of the card with id `rootId`. */
    cardSubmit(by: TeamsPerson, rootId: string, value: Record<string, unknown>, id = `f:${randomUUID()}`) {
      return { ...common(`${w.channelId};messageid=${rootId}`, 'channel', w.channelId), type: 'message', id, from: by, replyToId: rootId, value };
    },
    /** A direct message to the bot. */
    personal(by: TeamsPerson, text: string, id = String(Date.now())) {
      return { ...common(`a:1${by.id.slice(4, 20)}`, 'personal'), type: 'message', id, from: by, text, textFormat: 'plain' };
    },
  };
}
