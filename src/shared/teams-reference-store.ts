/**
 * Where a Teams bot can post without being spoken to first: what Bot Framework told us about a
 * team channel the bot is in (its service URL, tenant and the bot's own id there). The Teams
 * adapter saves one whenever it hears from a channel (installed, added, @mentioned) and reads it
 * to post a handoff card proactively. Backed by the database (crm.teamsReferences).
 */
export interface TeamsChannelReference {
  /** The channel's conversation id, `19:…@thread.tacv2` (no `;messageid=` part). */
  channelId: string;
  teamId: string | null;
  tenantId: string | null;
  /** Bot Framework's service URL for this team (regional, e.g. https://smba.trafficmanager.net/emea/). */
  serviceUrl: string;
  /** The bot's id in this conversation (`28:<app id>`) and its display name. */
  botId: string;
  botName: string | null;
  updatedAt: Date;
}

export interface TeamsReferenceStore {
  /** Inserts or refreshes the reference of one channel. */
  save(ref: Omit<TeamsChannelReference, 'updatedAt'>): Promise<void>;
  get(channelId: string): Promise<TeamsChannelReference | undefined>;
  /** The most recently refreshed reference (any channel): its service URL and tenant serve every channel of the team. */
  latest(): Promise<TeamsChannelReference | undefined>;
}
