import { CloudAdapter } from 'botbuilder';
import type express from 'express';
import type { AssistantPort } from '../../shared/assistant-port.js';
import type { StaffActionSink } from '../../shared/staff-notifier.js';
import type { TeamsReferenceStore } from '../../shared/teams-reference-store.js';
import { TeamsActivityHandler } from './teams-activity-handler.js';
import { createBotAuthentication, type BotFrameworkEndpoints, type TeamsAppCredentials } from './teams-auth.js';
import { createTeamsRouter } from './teams-router.js';
import { TeamsStaffNotifier } from './teams-staff-notifier.js';
import { teamsTexts, type StaffLocale } from './teams-texts.js';

export interface TeamsBotOptions {
  app: TeamsAppCredentials;
  /** TEAMS_CHANNEL_ID: where handoff cards go. */
  channelId: string;
  /** The language the bot speaks to staff (SHOP_DEFAULT_LOCALE). */
  locale: StaffLocale;
  /** PUBLIC_URL, for "Open in /desk" links. */
  publicUrl?: string;
  references: TeamsReferenceStore;
  /** Bot Framework's endpoints (public Azure unless given; tests use local stubs). */
  endpoints?: Partial<BotFrameworkEndpoints>;
}

/**
 * Microsoft Teams as a staff tool: one CloudAdapter, the notifier that posts handoff cards (to be
 * registered with the desk's notifiers before the engine starts) and, once the desk exists, the
 * router for /api/messages that turns what agents do in Teams into desk operations.
 */
export function createTeamsBot(opts: TeamsBotOptions) {
  const adapter = new CloudAdapter(createBotAuthentication(opts.app, opts.endpoints));
  const texts = teamsTexts(opts.locale);
  const notifier = new TeamsStaffNotifier({
    adapter, appId: opts.app.appId, channelId: opts.channelId, references: opts.references, encode: { locale: opts.locale, publicUrl: opts.publicUrl },
  });
  return {
    adapter,
    notifier,
    router(deps: { sink: StaffActionSink; assistant?: AssistantPort }): express.Router {
      const handler = new TeamsActivityHandler({
        sink: deps.sink, assistant: deps.assistant, references: opts.references, texts, channelId: opts.channelId,
        tenantId: opts.app.appType === 'SingleTenant' ? opts.app.tenantId : undefined,
      });
      return createTeamsRouter({ adapter, onTurn: handler.onTurn });
    },
  };
}

export type TeamsBot = ReturnType<typeof createTeamsBot>;
