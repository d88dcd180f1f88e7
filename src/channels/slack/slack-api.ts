import { LogLevel, webApi, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import { AppError } from '../../shared/app-error.js';

export type SlackClient = InstanceType<typeof webApi.WebClient>;

/**
 * The Slack Web API client shopdesk posts with. It never waits or retries on its own: a 429 or an
 * outage becomes a retryable AppError at once, and the staff outbox retries the row with its
 * backoff (honouring Retry-After), so a slow Slack never holds a queue worker.
 */
export function createSlackClient(opts: { token: string; apiUrl: string; log: Logger; timeoutMs?: number }): SlackClient {
  return new webApi.WebClient(opts.token, {
    slackApiUrl: opts.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: opts.timeoutMs ?? 10_000,
    logger: slackLogger(opts.log), logLevel: LogLevel.WARN,
  });
}

/** Bolt's and the Web API's logging, into pino (their debug lines can carry payloads: debug only). */
export function slackLogger(log: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ').slice(0, 500);
  return {
    debug: (...m: unknown[]) => log.debug(line(m)),
    // bolt's info lines are routine (a listener finished); keep them out of the info log
    info: (...m: unknown[]) => log.debug(line(m)),
    warn: (...m: unknown[]) => log.warn(line(m)),
    error: (...m: unknown[]) => log.error(line(m)),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Platform errors an operator must fix (scopes, channel, token): retrying will not help. */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked',
  'token_expired', 'missing_scope', 'no_permission', 'invalid_blocks', 'invalid_arguments', 'msg_too_long', 'restricted_action',
  'ekm_access_denied', 'team_access_not_granted', 'user_not_in_channel',
]);

/** The platform's error name (`not_in_channel`), when Slack answered with ok:false. */
export function platformError(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: unknown } };
  return e?.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined;
}

/**
 * A Web API failure as shopdesk's error: 429 → retryable with `details.retryAfterMs`; HTTP 5xx,
 * network errors and Slack's own transient errors → retryable; configuration errors → not.
 */
export function toSendError(err: unknown, method: string): AppError {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; message?: string };
  if (e?.code === webApi.ErrorCode.RateLimitedError) {
    return new AppError('CHANNEL_SEND_FAILED', `Slack ${method}: rate limited for ${e.retryAfter}s`, { retryable: true, cause: err, details: { retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 } });
  }
  if (e?.code === webApi.ErrorCode.HTTPError) {
    const status = e.statusCode ?? 0;
    return new AppError('CHANNEL_SEND_FAILED', `Slack ${method}: HTTP ${status}`, { retryable: status >= 500 || status === 408 || status === 429, cause: err });
  }
  const platform = platformError(err);
  if (platform) {
    const fix = platform === 'not_in_channel' ? ' (invite the bot to SLACK_CHANNEL_ID: /invite @your-app)' : platform === 'missing_scope' ? ' (add the scope in OAuth & Permissions and reinstall the app)' : '';
    return new AppError('CHANNEL_SEND_FAILED', `Slack ${method}: ${platform}${fix}`, { retryable: !PERMANENT.has(platform), cause: err });
  }
  // network errors, timeouts, a failed file upload: try again later
  return new AppError('CHANNEL_SEND_FAILED', `Slack ${method}: ${(e?.message ?? String(err)).slice(0, 200)}`, { retryable: true, cause: err });
}

/** Runs one Web API call, turning its failure into shopdesk's error. */
export async function slackCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toSendError(err, method);
  }
}
