import type { Db } from '../../db/database-client.js';
import type { TeamsChannelReference, TeamsReferenceStore } from '../../shared/teams-reference-store.js';

/** The Teams bot's channel references on the database (table TeamsReference): one row per channel, refreshed on every activity. */
export function createTeamsReferenceStore(db: Db): TeamsReferenceStore {
  const toRef = (r: TeamsChannelReference): TeamsChannelReference => ({
    channelId: r.channelId, teamId: r.teamId, tenantId: r.tenantId, serviceUrl: r.serviceUrl, botId: r.botId, botName: r.botName, updatedAt: r.updatedAt,
  });
  return {
    async save(ref) {
      const data = { teamId: ref.teamId, tenantId: ref.tenantId, serviceUrl: ref.serviceUrl, botId: ref.botId, botName: ref.botName };
      // an upsert is one statement on both providers, so two processes saving at once cannot collide
      await db.teamsReference.upsert({ where: { channelId: ref.channelId }, create: { channelId: ref.channelId, ...data }, update: data });
    },
    async get(channelId) {
      const r = await db.teamsReference.findUnique({ where: { channelId } });
      return r ? toRef(r) : undefined;
    },
    async latest() {
      const r = await db.teamsReference.findFirst({ orderBy: { updatedAt: 'desc' } });
      return r ? toRef(r) : undefined;
    },
  };
}
