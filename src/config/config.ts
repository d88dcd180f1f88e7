import { z } from 'zod';
import { AppError } from '../shared/app-error.js';

/**
 * The one typed configuration of shopdesk: read from process.env once, validated at boot.
 * A bad value stops startup with a message that names the variable. `.env.example` documents
 * every variable here; keep the two in step.
 */
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const csv = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const port = z.coerce.number().int().min(0).max(65535);
const regex = z.string().refine((v) => { try { new RegExp(v); return true; } catch { return false; } }, 'not a valid regular expression');
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
  QUEUE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  QUEUE_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(500),
  QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  // issue 6 (trust-ops): leases, the reconciler, readiness
  LOCK_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(5_000),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(5_000),
  RECONCILE_STALE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(15_000),
  READY_MIN_FREE_MB: z.coerce.number().int().min(0).max(1_000_000).default(16),
});

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
  queue: { attempts: number; backoffMs: number; concurrency: number; lockTtlMs: number };
  /** The periodic reconciler: how often, and after how long unfinished work counts as lost. */
  reconcile: { intervalMs: number; staleMs: number };
  /** /readyz says not ready when DATA_DIR or the SQLite file's disk has less free space than this. */
  readyMinFreeBytes: number;
  role: Env['ROLE'];
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
    queue: { attempts: e.QUEUE_ATTEMPTS, backoffMs: e.QUEUE_BACKOFF_MS, concurrency: e.QUEUE_CONCURRENCY, lockTtlMs: e.LOCK_TTL_MS },
    reconcile: { intervalMs: e.RECONCILE_INTERVAL_MS, staleMs: e.RECONCILE_STALE_MS },
    readyMinFreeBytes: e.READY_MIN_FREE_MB * 1024 * 1024,
    role: e.ROLE,
  };
}
