import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { AppError } from '../../shared/app-error.js';

/**
 * Bot Framework authentication for shopdesk's Teams bot, both ways:
 * - in: every activity POSTed to /api/messages must carry a JWT issued by Bot Framework for our
 *   app id (botbuilder checks signature against the published OpenID keys, issuer, audience and
 *   the `serviceurl` claim; anything else is 401);
 * - out: calls to the Teams connector carry an app token from Microsoft Entra (OAuth2 client
 *   credentials with the app's secret), requested from the app's own tenant when single-tenant.
 */

/** Where Bot Framework lives. Public Azure by default; tests point these at local stubs. */
export interface BotFrameworkEndpoints {
  /** Entra authority host; the tenant is appended (`https://login.microsoftonline.com/<tenant>`). */
  loginHost: string;
  /** The OpenID configuration whose `jwks_uri` lists the keys Bot Framework signs activities with. */
  openIdMetadataUrl: string;
  /** `iss` of the tokens Bot Framework sends. */
  tokenIssuer: string;
  /** Keys of tokens the Bot Framework Emulator sends (Entra app tokens for our app id). */
  emulatorOpenIdMetadataUrl: string;
  /** The audience of the tokens we request for the connector. */
  oAuthScope: string;
}

export const PUBLIC_CLOUD: BotFrameworkEndpoints = {
  loginHost: 'https://login.microsoftonline.com',
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  tokenIssuer: 'https://api.botframework.com',
  emulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  oAuthScope: 'https://api.botframework.com',
};

export interface TeamsAppCredentials {
  appId: string;
  appPassword: string;
  appType: 'SingleTenant' | 'MultiTenant';
  tenantId?: string;
}

/** The multi-tenant bots' token tenant (Bot Framework's own). */
const MULTI_TENANT_AUTHORITY = 'botframework.com';

/** What a connector client needs to sign a request (botbuilder's ServiceClientCredentials, from a package we do not depend on directly). */
type ServiceClientCredentials = Awaited<ReturnType<ConfigurationServiceClientCredentialFactory['createCredentials']>>;

/**
 * An app token from an Entra token endpoint, cached until five minutes before it expires.
 * botbuilder's own credentials go through MSAL, which only talks to authorities it can verify
 * with login.microsoftonline.com's instance discovery; this plain client-credentials request is
 * the same call (RFC 6749 §4.4, as Bot Framework documents it) and works against any authority,
 * including the local stub the tests run.
 */
export class ClientSecretTokenSource {
  private cached?: { token: string; until: number };
  private inflight?: Promise<string>;

  constructor(private readonly opts: { appId: string; appPassword: string; authority: string; scope: string; timeoutMs?: number }) {}

  async signRequest<T extends { headers: { set(name: string, value: string): void } }>(webResource: T): Promise<T> {
    webResource.headers.set('authorization', `Bearer ${await this.token()}`);
    return webResource;
  }

  async token(): Promise<string> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => { this.inflight = undefined; });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const scope = this.opts.scope.endsWith('/.default') ? this.opts.scope : `${this.opts.scope}/.default`;
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.opts.appId, client_secret: this.opts.appPassword, scope });
    let res: Response;
    try {
      res = await fetch(`${this.opts.authority}/oauth2/v2.0/token`, { method: 'POST', body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new AppError('CHANNEL_SEND_FAILED', `Teams: the token endpoint is unreachable (${(err as Error).message})`, { retryable: true, cause: err });
    }
    const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!res.ok || typeof json.access_token !== 'string') {
      // a wrong secret or app id (400/401) will not fix itself; an outage will
      const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
      const why = typeof json.error === 'string' ? json.error : `HTTP ${res.status}`;
      throw new AppError('CHANNEL_SEND_FAILED', `Teams: no app token from ${this.opts.authority} (${why})${retryable ? '' : ' — check TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_APP_TENANT_ID'}`, { retryable });
    }
    const seconds = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in) || 3600;
    this.cached = { token: json.access_token, until: Date.now() + Math.max(60, seconds - 300) * 1000 };
    return json.access_token;
  }
}

/**
 * botbuilder's credential factory (it decides which app ids are ours and whether auth is on),
 * handing out `ClientSecretTokenSource`s for the connector instead of MSAL credentials.
 */
class TeamsCredentialFactory extends ConfigurationServiceClientCredentialFactory {
  private readonly sources = new Map<string, ClientSecretTokenSource>();

  constructor(private readonly app: TeamsAppCredentials) {
    super({ MicrosoftAppId: app.appId, MicrosoftAppPassword: app.appPassword, MicrosoftAppType: app.appType, MicrosoftAppTenantId: app.tenantId });
  }

  override async createCredentials(appId: string, audience: string, loginEndpoint: string): Promise<ServiceClientCredentials> {
    if (!(await this.isValidAppId(appId))) throw new AppError('CHANNEL_SEND_FAILED', 'Teams: a connector call for an app id that is not TEAMS_APP_ID');
    const key = `${loginEndpoint} ${audience}`;
    let source = this.sources.get(key);
    if (!source) {
      source = new ClientSecretTokenSource({ appId, appPassword: this.app.appPassword, authority: loginEndpoint, scope: audience });
      this.sources.set(key, source);
    }
    return source;
  }
}

/** botbuilder's authentication for our app: JWT checks in, app tokens out. */
export function createBotAuthentication(app: TeamsAppCredentials, endpoints: Partial<BotFrameworkEndpoints> = {}): ConfigurationBotFrameworkAuthentication {
  const e = { ...PUBLIC_CLOUD, ...endpoints };
  const tenant = app.appType === 'SingleTenant' ? app.tenantId : MULTI_TENANT_AUTHORITY;
  if (!tenant) throw new AppError('CONFIG_INVALID', 'TEAMS_APP_TENANT_ID: required for a SingleTenant bot');
  // with any endpoint given, botbuilder takes every one from here (none falls back to its defaults)
  return new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: app.appId, MicrosoftAppPassword: app.appPassword, MicrosoftAppType: app.appType, MicrosoftAppTenantId: app.tenantId,
      ToChannelFromBotLoginUrl: `${e.loginHost.replace(/\/$/, '')}/${tenant}`,
      ToChannelFromBotOAuthScope: e.oAuthScope,
      ToBotFromChannelTokenIssuer: e.tokenIssuer,
      ToBotFromChannelOpenIdMetadataUrl: e.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: e.emulatorOpenIdMetadataUrl,
      OAuthUrl: e.oAuthScope,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    },
    new TeamsCredentialFactory(app),
  );
}
