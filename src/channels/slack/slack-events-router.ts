import { App, ExpressReceiver, type AuthorizeResult } from '@slack/bolt';
import express, { type Request, type Response, type NextFunction } from 'express';
import type { AssistantPort } from '../../shared/assistant-port.js';
import { logger } from '../../shared/logger.js';
import type { StaffActionSink } from '../../shared/staff-notifier.js';
import { slackLogger, type SlackClient } from './slack-api.js';
import { ACTION_ID_PATTERN } from './slack-blocks.js';
import { decodeBlockAction, decodeMentionEvent, decodeMessageEvent, type SlackInbound } from './slack-decode.js';
import { SlackResponder } from './slack-responder.js';

const log = logger('slack.events');

/** Events and interactivity share one URL (the Slack app's Event Subscriptions and Interactivity settings). */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's replay window: a signed request older (or newer) than this is refused. */
const MAX_SKEW_S = 5 * 60;

export interface SlackEventsDeps {
  signingSecret: string;
  /** SLACK_CHANNEL_ID: handoff threads live here. */
  channelId: string;
  botToken: string;
  apiUrl: string;
  client: SlackClient;
  sink: StaffActionSink;
  assistant: AssistantPort;
}

/**
 * The bot's identity (auth.test), asked once at start and kept. Bolt acks an event only after
 * `authorize`, so it never waits on Slack for long: while Slack cannot say, events are handled
 * without it (shopdesk's own posts are recognised by their bot_id anyway) and it is asked again.
 */
export class BotIdentity {
  private known?: { botId?: string; botUserId?: string; teamId?: string };
  private pending?: Promise<void>;
  constructor(private readonly client: SlackClient, private readonly token: string, private readonly waitMs = 1_000) {}

  get botUserId(): string | undefined {
    return this.known?.botUserId;
  }

  /** Starts (or joins) the auth.test call; never rejects. */
  lookUp(): Promise<void> {
    this.pending ??= this.client.auth.test().then(
      (r) => { this.known = { botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }; },
      (err: unknown) => {
        this.pending = undefined;
        log.warn({ err: (err as Error).message }, 'Slack auth.test failed; events are handled without the bot\'s own ids until it answers');
      },
    );
    return this.pending;
  }

  readonly authorize = async (): Promise<AuthorizeResult> => {
    if (!this.known) await Promise.race([this.lookUp(), new Promise((r) => setTimeout(r, this.waitMs).unref())]);
    return { botToken: this.token, botId: this.known?.botId, botUserId: this.known?.botUserId, teamId: this.known?.teamId };
  };
}

/**
 * Bolt only refuses timestamps in the past; a signed request dated in the future would outlive the
 * window. Both directions are refused here, before bolt checks the signature.
 */
function freshRequestsOnly(req: Request, res: Response, next: NextFunction): void {
  const ts = Number(req.headers['x-slack-request-timestamp']);
  if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > MAX_SKEW_S) {
    log.warn({ skewS: Number.isFinite(ts) ? Math.round(Date.now() / 1000 - ts) : null }, 'refused a Slack request outside the 5-minute window');
    res.status(401).send();
    return;
  }
  next();
}

/**
 * POST /slack/events: bolt's ExpressReceiver (signature check with the signing secret, the
 * 5-minute window, url_verification) on shopdesk's express app. Events are acknowledged before they
 * are handled (bolt acks Events API requests first; buttons ack first thing), so Slack gets its 200
 * within 3 s whatever the database does. A retried event (`x-slack-retry-num`, same event id)
 * changes nothing twice: replies and notes are keyed by the event id in the database (across
 * restarts and processes), and a process drops event ids it has already seen.
 */
export function createSlackEventsRouter(deps: SlackEventsDeps): { router: express.Router; identity: BotIdentity } {
  const router = express.Router();
  router.post(SLACK_EVENTS_PATH, freshRequestsOnly);
  const boltLog = slackLogger(logger('slack.bolt'));
  const receiver = new ExpressReceiver({ signingSecret: deps.signingSecret, endpoints: SLACK_EVENTS_PATH, router, logger: boltLog, bodyLimit: 1024 * 1024 });
  const identity = new BotIdentity(deps.client, deps.botToken);
  void identity.lookUp();
  const app = new App({ receiver, authorize: identity.authorize, logger: boltLog, clientOptions: { slackApiUrl: deps.apiUrl } });
  const responder = new SlackResponder({ client: deps.client, sink: deps.sink, assistant: deps.assistant, channelId: deps.channelId });
  const seen = new RecentIds(5_000);

  const handle = async (inbound: SlackInbound, retryNum: number | undefined): Promise<void> => {
    if (inbound.kind === 'ignore') {
      log.debug({ reason: inbound.reason }, 'Slack event ignored');
      return;
    }
    const id = inbound.kind === 'button' ? inbound.actionId : inbound.eventId;
    if (!seen.add(id)) {
      log.info({ retryNum }, 'Slack delivered an event this process already handled; dropped');
      return;
    }
    await responder.respond(inbound, { retry: (retryNum ?? 0) > 0 });
  };
  const ctx = () => ({ channelId: deps.channelId, botUserId: identity.botUserId });

  app.event('message', async ({ body, context }) => handle(decodeMessageEvent(body, ctx()), context.retryNum));
  app.event('app_mention', async ({ body, context }) => handle(decodeMentionEvent(body, ctx()), context.retryNum));
  app.action(ACTION_ID_PATTERN, async ({ ack, body }) => {
    await ack();
    const inbound = decodeBlockAction(body);
    await handle(inbound.kind === 'button' && inbound.channel !== deps.channelId ? { kind: 'ignore', reason: 'a button outside the handoff channel' } : inbound, undefined);
  });
  // the "Open in /desk" link button sends an action too: it needs its ack and nothing else
  app.action('shopdesk_open', async ({ ack }) => { await ack(); });
  app.error(async (err) => {
    // after the ack there is nobody to answer: the responder already told the staff member what it could
    log.error({ err: err.message.slice(0, 300), code: (err as { code?: string }).code }, 'handling a Slack event failed');
  });
  return { router, identity };
}

/** Ids seen lately, oldest forgotten first: the in-process first line of retry deduplication. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}

  /** False when the id was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
