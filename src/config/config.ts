import { z } from 'zod';
import { AppError } from '../shared/app-error.js';
import { parseServiceHours } from '../shared/service-hours.js';
import { teamsConfig, type TeamsConfig } from './teams-config.js';
import { wechatOaConfig, type WechatOaConfig } from './wechat-oa-config.js';
import { wecomKfConfig, type WecomKfConfig } from './wecom-kf-config.js';
import { wecomAppConfig, type WecomAppConfig } from './wecom-app-config.js';
import { WECHATY_ENV, wechatyChannelConfig, type WechatyChannelConfig } from './wechaty-config.js';

/**
 * The one typed configuration of shopdesk: read from process.env once, validated at boot.
 * A bad value stops startup with a message that names the variable. `.env.example` documents
 * every variable here; keep the two in step.
 */
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const csv = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const port = z.coerce.number().int().min(0).max(65535);
const regex = z.string().refine((v) => { try { new RegExp(v); return true; } catch { return false; } }, 'not a valid regular expression');
const origins = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).refine(
  (list) => list.every((o) => { try { const u = new URL(o); return ['http:', 'https:'].includes(u.protocol) && u.pathname === '/' && !u.search && !u.username; } catch { return false; } }),
  'must be a comma-separated list of origins like https://shop.example.com (scheme, host and optional port; no path)',
);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// "Get link to channel" gives it URL-encoded: 19%3a…%40thread.tacv2 is accepted too
const teamsChannelId = z.string().transform((v) => { try { return decodeURIComponent(v.trim()); } catch { return v.trim(); } })
  .pipe(z.string().regex(/^19:[^;\s]+$/, 'must be a channel id like 19:abc…@thread.tacv2 (see README, "Microsoft Teams")'));
const timeZone = z.string().refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'not an IANA time zone (e.g. Asia/Shanghai)');

const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATABASE_URL: z.string().default('file:./data/shopdesk.db').refine(
    (v) => v.startsWith('file:') || v.startsWith('postgresql://') || v.startsWith('postgres://'),
    'must start with file: (SQLite) or postgresql:// (PostgreSQL)',
  ),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  SHOP_NAME: z.string().min(1).default('Demo Shop 示例商城'),
  SHOP_TIMEZONE: timeZone.default('Asia/Shanghai'),
  SHOP_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like CNY').default('CNY'),
  SHOP_DEFAULT_LOCALE: z.enum(['zh', 'en']).default('zh'),
  ORDER_NUMBER_PATTERN: regex.default('SD\\d{10}'),
  RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  NON_RETURNABLE_CATEGORIES: csv.default(['food', 'personal_care', 'gift_card']),
  SEED_DEMO: bool.default(true),
  KB_DIR: z.string().default('./knowledge-base'),
  WEBCHAT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  REST_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CUSTOMER_TOKEN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(5 * 1024 * 1024),
  // trust-web (issue 6): token lifetimes, origins, media limits, rate limits, one-time codes
  CUSTOMER_TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(24 * 3600),
  WEBCHAT_ALLOWED_ORIGINS: origins.optional(),
  WEBCHAT_FRAME_ANCESTORS: origins.optional(),
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  MEDIA_MAX_PIXELS: z.coerce.number().int().min(10_000).max(1_000_000_000).default(64_000_000),
  MEDIA_MAX_SIDE_PX: z.coerce.number().int().min(100).max(100_000).default(16_384),
  WEBCHAT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  RATE_LIMIT_IP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  REST_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  SMTP_FROM: z.string().min(3).optional(),
  // one-time codes by SMS through the shop's HTTP gateway (README "Linking a customer's channels")
  SMS_GATEWAY_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  SMS_GATEWAY_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  // the e-mail channel (issue 10): enabled when any of the first three is set, then all three are required
  EMAIL_IMAP_URL: z.string().regex(/^imaps?:\/\/[^\s:@/]+(?::[^\s@/]*)?@[^\s/:]+(?::\d+)?(?:\/\S*)?$/, 'must be imap(s)://user:password@host[:port][/MAILBOX] (URL-encode @ : / in the user or password)').optional(),
  EMAIL_SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'must be smtp(s)://user:password@host[:port]').optional(),
  EMAIL_ADDRESS: z.string().regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be the shop\'s support address, like support@shop.example').optional(),
  EMAIL_AUTOREPLY_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(20),
  EMAIL_POLL_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  EMAIL_MAX_MAIL_MB: z.coerce.number().min(1).max(200).default(25),
  QUEUE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  QUEUE_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(500),
  QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  // issue 6 (trust-ops): leases, the reconciler, readiness
  LOCK_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(5_000),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(5_000),
  RECONCILE_STALE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(15_000),
  READY_MIN_FREE_MB: z.coerce.number().int().min(0).max(1_000_000).default(16),
  // --- staff desk (issue 7) ---
  PUBLIC_URL: z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be the site root like https://help.example.com (no path)').optional(),
  SERVICE_HOURS: z.string().default('09:00-21:00').superRefine((v, ctx) => {
    try { parseServiceHours(v); } catch (err) { ctx.addIssue({ code: 'custom', message: `${(err as Error).message} (e.g. "mon-fri 09:00-18:00; sat 10:00-16:00", or "always")` }); }
  }),
  HANDOFF_REMIND_AFTER_MINUTES: z.coerce.number().min(0.1).max(1440).default(3),
  HANDOFF_ESCALATE_AFTER_MINUTES: z.coerce.number().min(0.1).max(2880).default(10),
  DESK_AUTO_ASSIGN: bool.default(true),
  DESK_MAX_CHATS_PER_AGENT: z.coerce.number().int().min(1).max(100).default(5),
  DESK_SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  DESK_NOTIFY_WEBHOOK_URL: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  // Microsoft Teams as a staff tool: on when any of app id, secret, tenant or channel is set (src/config/teams-config.ts)
  TEAMS_APP_ID: z.string().regex(GUID, 'must be the Azure bot\'s Microsoft App ID (a GUID)').optional(),
  TEAMS_APP_PASSWORD: z.string().min(8, 'must be the client secret of the bot\'s app registration').optional(),
  TEAMS_APP_TENANT_ID: z.string().regex(GUID, 'must be your Microsoft Entra tenant id (a GUID)').optional(),
  TEAMS_APP_TYPE: z.enum(['SingleTenant', 'MultiTenant']).default('SingleTenant'),
  TEAMS_CHANNEL_ID: teamsChannelId.optional(),
  // issue 8 (dialogue): a finished request with no further word from the customer for this long
  // is resolved by the bot, and the satisfaction question goes out once (0 = never by time)
  CONVERSATION_RESOLVE_AFTER_MINUTES: z.coerce.number().min(0).max(7 * 1440).default(10),
  // the `shopdesk desk …` commands: which running shopdesk, and as whom
  SHOPDESK_URL: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL').optional(),
  SHOPDESK_STAFF_TOKEN: z.string().startsWith('sdk_', 'must be a staff API token (npx shopdesk staff token NAME)').optional(),
  // --- managers' assistant (issue 9) ---
  ASK_AGENT_SEES_FIGURES: bool.default(false),
  ASK_DORMANT_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  ASK_CHART_FONT: z.string().min(1).optional(),
  ASK_SUMMARY_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  // Slack as a staff tool (issue 7): enabled when any of the first three is set, then all three are required
  SLACK_BOT_TOKEN: z.string().regex(/^xox[a-z]-\S+$/, 'must be the bot token (xoxb-…) from OAuth & Permissions').optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the signing secret from Basic Information (hex)').optional(),
  SLACK_CHANNEL_ID: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id like C0123ABCD (channel details → About), not its name').optional(),
  SLACK_API_URL: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL like https://slack.com/api/').optional(),
  SLACK_SHOW_CONTACT: bool.default(false),
  // a WeCom group robot (企业微信群机器人) as an alert target; WECOM_ROBOT_API_URL replaces https://qyapi.weixin.qq.com (tests, proxies)
  WECOM_ROBOT_WEBHOOK_URL: z.string().regex(/^https?:\/\/[^\s?]+\/cgi-bin\/webhook\/send\?key=[\w-]+$/, 'must be the robot\'s webhook URL: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…').optional(),
  WECOM_ROBOT_API_URL: z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be a site root like https://qyapi.weixin.qq.com (no path)').optional(),
  // the WeChat Official Account (公众号, issue 10): on when any of the first three is set, then all three are required
  WECHAT_OA_APP_ID: z.string().regex(/^wx[0-9a-f]{16}$/i, 'must be the AppID (开发者ID, "wx" + 16 hex digits) from 设置与开发 → 基本配置').optional(),
  WECHAT_OA_APP_SECRET: z.string().regex(/^[0-9a-zA-Z]{16,64}$/, 'must be the AppSecret (开发者密码) from 设置与开发 → 基本配置').optional(),
  WECHAT_OA_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be the server configuration\'s Token (令牌): 3–32 letters and digits').optional(),
  WECHAT_OA_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the EncodingAESKey (消息加解密密钥): 43 letters and digits').optional(),
  WECHAT_OA_ENCODING: z.enum(['plain', 'safe']).optional(),
  WECHAT_OA_VERIFIED: bool.default(false),
  WECHAT_OA_PATH: z.string().regex(/^\/[\w\-/]*$/, 'must be a path like /wechat/oa/callback').default('/wechat/oa/callback'),
  WECHAT_OA_WELCOME: z.string().min(1).max(600).optional(),
  WECHAT_OA_MENU: z.string().regex(/^\s*([^=,\s]+=[^,]+)(\s*,\s*[^=,\s]+=[^,]+)*\s*$/, 'must be KEY=words or KEY=postback:PAYLOAD, comma-separated').optional(),
  WECHAT_OA_PASSIVE_WAIT_MS: z.coerce.number().int().min(200).max(4500).default(4000),
  WECHAT_OA_MESSAGE_QUOTA: z.coerce.number().int().min(1).max(100).default(5),
  WECHAT_OA_EVENT_QUOTA: z.coerce.number().int().min(1).max(100).default(3),
  // the WeChat (Official Account) server API; https://api.weixin.qq.com unless a proxy or a test stub stands in
  WECHAT_API_BASE: z.string().regex(/^https?:\/\/[^/\s]+\/?$/, 'must be a site root like https://api.weixin.qq.com (no path)').optional(),
  // WeCom customer service (微信客服, src/config/wecom-kf-config.ts): on when any of the four secrets is set, then all four are required
  WECOM_KF_CORP_ID: z.string().regex(/^[\w-]{4,64}$/, 'must be the corp id (企业ID) from My Company, like ww0123456789abcdef').optional(),
  WECOM_KF_SECRET: z.string().min(8).optional(),
  WECOM_KF_TOKEN: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be the callback Token (letters and digits, at most 32)').optional(),
  WECOM_KF_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey of the callback settings').optional(),
  WECOM_API_BASE: z.string().regex(/^https?:\/\/[^/\s]+\/?$/, 'must be a site root like https://qyapi.weixin.qq.com (no path)').optional(),
  WECOM_KF_CALLBACK_PATH: z.string().regex(/^\/[\w/-]*$/, 'must be a path like /wecom/kf/callback').default('/wecom/kf/callback'),
  WECOM_KF_HANDOFF_MODE: z.enum(['shopdesk', 'wecom']).default('shopdesk'),
  WECOM_KF_HANDOFF: z.string().optional(),
  WECOM_KF_SERVICER_USERID: z.string().regex(/^[\w.@-]{1,64}$/, 'must be a WeCom user id (账号)').optional(),
  WECOM_KF_MAX_SKEW_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  // a WeCom self-built app (企业微信自建应用) for staff (issue 10): on when any WECOM_APP_* is set, then all five are required
  // older corps (from 企业号 days) have ids starting with "wx"
  WECOM_APP_CORP_ID: z.string().regex(/^w[wx][0-9a-z]{8,30}$/i, 'must be the corp id (企业ID, "ww…") from My Company → Company Info').optional(),
  WECOM_APP_AGENT_ID: z.string().regex(/^\d{1,12}$/, 'must be the app\'s AgentId (digits) from its page under App Management').optional(),
  WECOM_APP_SECRET: z.string().regex(/^[\w-]{20,}$/, 'must be the app\'s Secret from its page under App Management').optional(),
  WECOM_APP_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be the callback Token (3–32 letters and digits) from the app\'s "Receive messages" settings').optional(),
  WECOM_APP_AES_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}$/, 'must be the callback EncodingAESKey (43 letters and digits)').optional(),
  // an optional LLM (issue 8): any OpenAI-compatible endpoint; on when any of the first three is set, then all three are required
  OPENAI_BASE_URL: z.string().regex(/^https?:\/\/\S+$/, 'must be the API base URL like https://api.openai.com/v1').optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  // the wechaty channel (personal WeChat / WeCom accounts, issue 10): src/config/wechaty-config.ts
  ...WECHATY_ENV,
}).refine((e) => e.HANDOFF_ESCALATE_AFTER_MINUTES > e.HANDOFF_REMIND_AFTER_MINUTES, { path: ['HANDOFF_ESCALATE_AFTER_MINUTES'], message: 'must be longer than HANDOFF_REMIND_AFTER_MINUTES (the reminder comes first)' });

export type Env = z.infer<typeof EnvSchema>;
/** Every variable shopdesk reads (kept in step with .env.example by a test). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape);

export interface Config {
  host: string;
  port: number;
  database: { provider: 'sqlite' | 'postgres'; url: string };
  redisUrl?: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  shop: {
    name: string;
    timeZone: string;
    currency: string;
    defaultLocale: 'zh' | 'en';
    orderNumberPattern: string;
    returnWindowDays: number;
    nonReturnableCategories: string[];
  };
  seedDemo: boolean;
  kbDir: string;
  webchatSecret?: string;
  customerTokenSecret?: string;
  /** Bearer token of the REST channel; without it only loopback clients may use it. */
  restApiToken?: string;
  uploadMaxBytes: number;
  /** Customer tokens valid for longer than this from now are refused. */
  customerTokenMaxTtlS: number;
  webchat: { allowedOrigins: string[]; frameAncestors: string[]; messagesPerMinute: number; ipMessagesPerMinute: number };
  media: { maxBytes: number; maxPixels: number; maxSidePx: number };
  rest: { messagesPerMinute: number };
  /** Sends one-time codes by e-mail when both are set. */
  smtp?: { url: string; from: string };
  /** Sends one-time codes by SMS through the shop's HTTP gateway; absent = no phone codes. */
  sms?: { url: string; token: string };
  /** The e-mail channel (IMAP in, SMTP out); absent when not configured. */
  email?: EmailChannelConfig;
  /** WeCom customer service (微信客服); absent when not configured. */
  wecomKf?: WecomKfConfig;
  /** The wechaty channel (a personal WeChat or WeCom account through a puppet); absent when not configured. */
  wechaty?: WechatyChannelConfig;
  queue: { attempts: number; backoffMs: number; concurrency: number; lockTtlMs: number };
  /** The periodic reconciler: how often, and after how long unfinished work counts as lost. */
  reconcile: { intervalMs: number; staleMs: number };
  /** /readyz says not ready when DATA_DIR or the SQLite file's disk has less free space than this. */
  readyMinFreeBytes: number;
  role: Env['ROLE'];
  /** The staff desk: service hours, handoff timing, assignment, sessions, notification targets. */
  desk: {
    publicUrl?: string;
    serviceHours: string;
    remindAfterMs: number;
    escalateAfterMs: number;
    autoAssign: boolean;
    maxChatsPerAgent: number;
    sessionHours: number;
    notifyWebhookUrl?: string;
  };
  /** Microsoft Teams as a staff tool (absent unless configured). */
  teams?: TeamsConfig;
  /** The WeChat Official Account channel; absent when not configured. */
  wechatOa?: WechatOaConfig;
  /** What `shopdesk desk …` talks to: the running server and a staff API token. */
  cli: { url: string; staffToken?: string };
  /** The managers' assistant: what agents may see, dormancy, the chart font. */
  assistant: { agentSeesFigures: boolean; dormantDays: number; chartFont?: string; summaryRefreshMs: number };
  /** Slack as a staff tool (handoff posts with buttons, thread replies to the customer); absent when not configured. */
  slack?: SlackSettings;
  /** A WeCom group robot that gets handoff alerts with a /desk link; absent when not configured. */
  wecomRobot?: { webhookUrl: string };
  /** A WeCom self-built app where staff get handoff cards and act on them; absent when not configured. */
  wecomApp?: WecomAppConfig;
  /** Conversations: a finished request is resolved after this much quiet (0 = only when the customer confirms). */
  conversation: { resolveAfterMs: number };
  /** An OpenAI-compatible model for low-confidence messages; absent = deterministic only. */
  llm?: LlmSettings;
}

export interface LlmSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

const LLM_REQUIRED = ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'OPENAI_MODEL'] as const;

/** The LLM is on when any of its three settings is given; then all three must be. The key never reaches a message. */
function llmSettings(e: Env): LlmSettings | undefined {
  const given = LLM_REQUIRED.filter((k) => e[k]);
  if (!given.length) return undefined;
  const missing = LLM_REQUIRED.filter((k) => !e[k]);
  if (missing.length) throw invalid(missing.map((k) => `${k}: required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (the LLM needs the base URL, an API key and the model name)`));
  return { baseUrl: e.OPENAI_BASE_URL!.replace(/\/+$/, ''), apiKey: e.OPENAI_API_KEY!, model: e.OPENAI_MODEL!, timeoutMs: e.OPENAI_TIMEOUT_MS };
}

export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  channelId: string;
  /** The Web API base (always ending in "/"); Slack's own unless SLACK_API_URL says otherwise. */
  apiUrl: string;
  /** Show customers' phone and e-mail unmasked in Slack (default: masked). */
  showContact: boolean;
}

const SLACK_REQUIRED = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_CHANNEL_ID'] as const;
const WECOM_API = 'https://qyapi.weixin.qq.com';

function invalid(lines: string[]): AppError {
  const msg = `Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`;
  return new AppError('CONFIG_INVALID', msg, { userMessage: `${msg}\nSee .env.example for every variable.` });
}

/** Slack is on when any of its three settings is given; then all three must be. */
function slackSettings(e: Env): SlackSettings | undefined {
  const given = SLACK_REQUIRED.filter((k) => e[k]);
  if (!given.length) return undefined;
  const missing = SLACK_REQUIRED.filter((k) => !e[k]);
  if (missing.length) throw invalid(missing.map((k) => `${k}: required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (Slack needs the bot token, the signing secret and the channel id)`));
  const apiUrl = e.SLACK_API_URL ? e.SLACK_API_URL.replace(/\/*$/, '/') : 'https://slack.com/api/';
  return { botToken: e.SLACK_BOT_TOKEN!, signingSecret: e.SLACK_SIGNING_SECRET!, channelId: e.SLACK_CHANNEL_ID!, apiUrl, showContact: e.SLACK_SHOW_CONTACT };
}

/** The robot's URL must point at WeCom (or the configured stand-in), so its key goes nowhere else; its alerts link into /desk. */
function wecomRobotSettings(e: Env): { webhookUrl: string } | undefined {
  if (!e.WECOM_ROBOT_WEBHOOK_URL) return undefined;
  const base = e.WECOM_ROBOT_API_URL ?? WECOM_API;
  if (!e.WECOM_ROBOT_WEBHOOK_URL.startsWith(`${base}/cgi-bin/webhook/send?key=`)) {
    throw invalid([`WECOM_ROBOT_WEBHOOK_URL: must start with ${base}/cgi-bin/webhook/send?key=${e.WECOM_ROBOT_API_URL ? ' (WECOM_ROBOT_API_URL)' : ''}`]);
  }
  if (!e.PUBLIC_URL) throw invalid(['PUBLIC_URL: required when WECOM_ROBOT_WEBHOOK_URL is set (each alert links to the conversation in /desk)']);
  return { webhookUrl: e.WECOM_ROBOT_WEBHOOK_URL };
}

/** Parses an environment (default: process.env). Throws AppError('CONFIG_INVALID') naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n${lines.join('\n')}`, {
      userMessage: `Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`,
    });
  }
  const e = parsed.data;
  if (Boolean(e.SMTP_URL) !== Boolean(e.SMTP_FROM)) {
    const msg = `Invalid configuration:\n  ${e.SMTP_URL ? 'SMTP_FROM' : 'SMTP_URL'}: required when ${e.SMTP_URL ? 'SMTP_URL' : 'SMTP_FROM'} is set (one-time codes by e-mail need both)`;
    throw new AppError('CONFIG_INVALID', msg, { userMessage: msg });
  }
  if (e.SMS_GATEWAY_URL && !e.SMS_GATEWAY_TOKEN) {
    const msg = 'Invalid configuration:\n  SMS_GATEWAY_TOKEN: required when SMS_GATEWAY_URL is set (the gateway must know it is us)';
    throw new AppError('CONFIG_INVALID', msg, { userMessage: msg });
  }
  return {
    host: e.HOST,
    port: e.PORT,
    database: { provider: e.DATABASE_URL.startsWith('file:') ? 'sqlite' : 'postgres', url: e.DATABASE_URL },
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    shop: {
      name: e.SHOP_NAME,
      timeZone: e.SHOP_TIMEZONE,
      currency: e.SHOP_CURRENCY,
      defaultLocale: e.SHOP_DEFAULT_LOCALE,
      orderNumberPattern: e.ORDER_NUMBER_PATTERN,
      returnWindowDays: e.RETURN_WINDOW_DAYS,
      nonReturnableCategories: e.NON_RETURNABLE_CATEGORIES,
    },
    seedDemo: e.SEED_DEMO,
    kbDir: e.KB_DIR,
    webchatSecret: e.WEBCHAT_SECRET,
    customerTokenSecret: e.CUSTOMER_TOKEN_SECRET,
    restApiToken: e.REST_API_TOKEN,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    customerTokenMaxTtlS: e.CUSTOMER_TOKEN_MAX_TTL_SECONDS,
    webchat: {
      allowedOrigins: e.WEBCHAT_ALLOWED_ORIGINS ?? [], frameAncestors: e.WEBCHAT_FRAME_ANCESTORS ?? [],
      messagesPerMinute: e.WEBCHAT_MESSAGES_PER_MINUTE, ipMessagesPerMinute: e.RATE_LIMIT_IP_MESSAGES_PER_MINUTE,
    },
    media: { maxBytes: Math.max(e.MEDIA_MAX_BYTES, e.UPLOAD_MAX_BYTES), maxPixels: e.MEDIA_MAX_PIXELS, maxSidePx: e.MEDIA_MAX_SIDE_PX },
    rest: { messagesPerMinute: e.REST_MESSAGES_PER_MINUTE },
    smtp: e.SMTP_URL && e.SMTP_FROM ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
    sms: e.SMS_GATEWAY_URL && e.SMS_GATEWAY_TOKEN ? { url: e.SMS_GATEWAY_URL, token: e.SMS_GATEWAY_TOKEN } : undefined,
    email: emailChannelConfig(e),
    wecomKf: wecomKfConfig(e),
    wechaty: wechatyChannelConfig(e),
    queue: { attempts: e.QUEUE_ATTEMPTS, backoffMs: e.QUEUE_BACKOFF_MS, concurrency: e.QUEUE_CONCURRENCY, lockTtlMs: e.LOCK_TTL_MS },
    reconcile: { intervalMs: e.RECONCILE_INTERVAL_MS, staleMs: e.RECONCILE_STALE_MS },
    readyMinFreeBytes: e.READY_MIN_FREE_MB * 1024 * 1024,
    role: e.ROLE,
    desk: {
      publicUrl: e.PUBLIC_URL,
      serviceHours: e.SERVICE_HOURS,
      remindAfterMs: Math.round(e.HANDOFF_REMIND_AFTER_MINUTES * 60_000),
      escalateAfterMs: Math.round(e.HANDOFF_ESCALATE_AFTER_MINUTES * 60_000),
      autoAssign: e.DESK_AUTO_ASSIGN,
      maxChatsPerAgent: e.DESK_MAX_CHATS_PER_AGENT,
      sessionHours: e.DESK_SESSION_HOURS,
      notifyWebhookUrl: e.DESK_NOTIFY_WEBHOOK_URL,
    },
    teams: teamsConfig(e),
    wechatOa: wechatOaConfig(e, e.SHOP_NAME),
    cli: {
      url: (e.SHOPDESK_URL ?? e.PUBLIC_URL ?? `http://${['0.0.0.0', '::'].includes(e.HOST) ? '127.0.0.1' : e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/$/, ''),
      staffToken: e.SHOPDESK_STAFF_TOKEN,
    },
    assistant: { agentSeesFigures: e.ASK_AGENT_SEES_FIGURES, dormantDays: e.ASK_DORMANT_DAYS, chartFont: e.ASK_CHART_FONT, summaryRefreshMs: e.ASK_SUMMARY_REFRESH_SECONDS * 1000 },
    slack: slackSettings(e),
    wecomRobot: wecomRobotSettings(e),
    wecomApp: wecomAppConfig(e),
    conversation: { resolveAfterMs: Math.round(e.CONVERSATION_RESOLVE_AFTER_MINUTES * 60_000) },
    llm: llmSettings(e),
  };
}

/** What the e-mail channel is built from (src/channels/email/email-channel.ts adds the shop name). */
export interface EmailChannelConfig {
  address: string;
  imap: { host: string; port: number; secure: boolean; user: string; pass: string; mailbox: string; pollIntervalMs: number; maxMailBytes: number };
  smtpUrl: string;
  autoreplyPerHour: number;
}

const EMAIL_REQUIRED = ['EMAIL_IMAP_URL', 'EMAIL_SMTP_URL', 'EMAIL_ADDRESS'] as const;

/** The e-mail channel is on when any of its three settings is given; then all three must be. Values never reach a message. */
function emailChannelConfig(e: Env): EmailChannelConfig | undefined {
  const given = EMAIL_REQUIRED.filter((k) => e[k]);
  if (!given.length) return undefined;
  const missing = EMAIL_REQUIRED.filter((k) => !e[k]);
  if (missing.length) {
    const msg = `Invalid configuration:\n${missing.map((k) => `  ${k}: required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (the e-mail channel needs IMAP, SMTP and its address)`).join('\n')}`;
    throw new AppError('CONFIG_INVALID', msg, { userMessage: `${msg}\nSee .env.example for every variable.` });
  }
  const url = new URL(e.EMAIL_IMAP_URL!);
  const secure = url.protocol === 'imaps:';
  let parts: { user: string; pass: string; mailbox: string };
  try {
    parts = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password), mailbox: decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX' };
  } catch {
    const msg = 'Invalid configuration:\n  EMAIL_IMAP_URL: a %-escape in the user, password or mailbox is malformed';
    throw new AppError('CONFIG_INVALID', msg, { userMessage: msg });
  }
  return {
    address: e.EMAIL_ADDRESS!.toLowerCase(),
    imap: {
      host: url.hostname, port: url.port ? Number(url.port) : secure ? 993 : 143, secure,
      ...parts,
      pollIntervalMs: Math.round(e.EMAIL_POLL_SECONDS * 1000), maxMailBytes: Math.round(e.EMAIL_MAX_MAIL_MB * 1024 * 1024),
    },
    smtpUrl: e.EMAIL_SMTP_URL!,
    autoreplyPerHour: e.EMAIL_AUTOREPLY_PER_HOUR,
  };
}
