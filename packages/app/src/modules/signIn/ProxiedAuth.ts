import {
  SessionState,
  type AuthRequestOptions,
  type BackstageIdentityApi,
  type BackstageIdentityResponse,
  type DiscoveryApi,
  type ProfileInfo,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import ObservableImpl from 'zen-observable';

/** What a proxy provider's `/refresh` answers (`createProxyAuthRouteHandlers`). */
interface RefreshResponse {
  profile: ProfileInfo;
  backstageIdentity: Omit<BackstageIdentityResponse, 'expiresAt'> & {
    expiresInSeconds?: number;
  };
}

interface Session {
  profile: ProfileInfo;
  backstageIdentity: BackstageIdentityResponse;
}

/** A token is renewed this long before it expires, as Backstage's own auth APIs do. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/**
 * Signs in through one of the backend's proxy auth providers, whose `/refresh`
 * issues a Backstage token without a popup or a redirect. Backstage's
 * SignInPage offers a provider through an API of this shape, but core-app-api
 * has such APIs only for OAuth and SAML providers, and ProxiedSignInPage signs
 * in with a proxy provider at once, so it cannot be one choice among several.
 */
export class ProxiedAuth
  implements ProfileInfoApi, BackstageIdentityApi, SessionApi
{
  private session?: Promise<Session>;
  private renewAt = 0;
  private state: SessionState = SessionState.SignedOut;
  private readonly observers = new Set<
    ZenObservable.SubscriptionObserver<SessionState>
  >();
  private readonly state$ = new ObservableImpl<SessionState>(observer => {
    observer.next(this.state);
    this.observers.add(observer);
    return () => {
      this.observers.delete(observer);
    };
  });

  constructor(
    private readonly options: { discoveryApi: DiscoveryApi; provider: string },
  ) {}

  async getBackstageIdentity(
    options: AuthRequestOptions = {},
  ): Promise<BackstageIdentityResponse | undefined> {
    return (await this.getSession(options))?.backstageIdentity;
  }

  async getProfile(
    options: AuthRequestOptions = {},
  ): Promise<ProfileInfo | undefined> {
    return (await this.getSession(options))?.profile;
  }

  async signIn(): Promise<void> {
    await this.getSession({});
  }

  async signOut(): Promise<void> {
    this.session = undefined;
    this.setState(SessionState.SignedOut);
  }

  sessionState$() {
    return this.state$;
  }

  /**
   * The session, renewed shortly before its token expires. Signing in needs no
   * interaction, so `optional` only turns a refusal into `undefined`.
   */
  private async getSession(
    options: AuthRequestOptions,
  ): Promise<Session | undefined> {
    if (!this.session || Date.now() >= this.renewAt) {
      // Callers arriving while the request is under way share it.
      this.renewAt = Infinity;
      this.session = this.fetchSession();
    }
    const pending = this.session;
    try {
      return await pending;
    } catch (error) {
      if (this.session === pending) {
        this.session = undefined;
        this.setState(SessionState.SignedOut);
      }
      if (options.optional) return undefined;
      throw error;
    }
  }

  private async fetchSession(): Promise<Session> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('auth');
    const response = await fetch(
      `${baseUrl}/${this.options.provider}/refresh`,
      {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
        credentials: 'include',
      },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const { profile, backstageIdentity }: RefreshResponse =
      await response.json();
    const { expiresInSeconds, ...identity } = backstageIdentity;
    const expiresAt = expiresInSeconds
      ? new Date(Date.now() + expiresInSeconds * 1000)
      : undefined;
    // Without an expiry the token is fetched anew for every caller.
    this.renewAt = expiresAt ? expiresAt.getTime() - RENEW_BEFORE_EXPIRY_MS : 0;
    this.setState(SessionState.SignedIn);
    return { profile, backstageIdentity: { ...identity, expiresAt } };
  }

  private setState(state: SessionState) {
    if (state === this.state) return;
    this.state = state;
    for (const observer of this.observers) observer.next(state);
  }
}
