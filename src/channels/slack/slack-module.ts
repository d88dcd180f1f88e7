import type express from 'express';
import { ASSISTANT_NOT_ENABLED, type AssistantPort } from '../../shared/assistant-port.js';
import { logger } from '../../shared/logger.js';
import type { MediaStore } from '../../shared/media-types.js';
import type { StaffActionSink } from '../../shared/staff-notifier.js';
import { createSlackClient } from './slack-api.js';
import { createSlackEventsRouter } from './slack-events-router.js';
import { SlackStaffNotifier, type ContactLookup } from './slack-staff-notifier.js';

export interface SlackToolSettings {
  botToken: string;
  signingSecret: string;
  channelId: string;
  apiUrl: string;
  showContact: boolean;
}

/**
 * Slack as a staff tool, in two halves wired at different times by the composition root: the
 * notifier goes into the desk's notifier registry (before the engine, which writes outbox rows per
 * target), the events router onto the HTTP app once the desk — the StaffActionSink — exists.
 */
export function createSlackStaffTool(settings: SlackToolSettings, deps: { publicUrl?: string; media?: MediaStore; contacts?: ContactLookup } = {}) {
  const client = createSlackClient({ token: settings.botToken, apiUrl: settings.apiUrl, log: logger('slack.web-api') });
  const notifier = new SlackStaffNotifier({ client, channelId: settings.channelId, publicUrl: deps.publicUrl, showContact: settings.showContact, contacts: deps.contacts, media: deps.media });
  return {
    notifier,
    /** POST /slack/events. `assistant` answers staff questions (a stand-in says it is not enabled until wired). */
    router(sink: StaffActionSink, assistant: AssistantPort = ASSISTANT_NOT_ENABLED): express.Router {
      return createSlackEventsRouter({ ...settings, client, sink, assistant }).router;
    },
  };
}

export type SlackStaffTool = ReturnType<typeof createSlackStaffTool>;
