import { SessionState } from '@backstage/core-plugin-api';
import { ProxiedAuth } from './ProxiedAuth';

const AUTH_URL = 'http://localhost:7007/api/auth';
const identity = {
  type: 'user' as const,
  userEntityRef: 'user:default/tom-becker',
  ownershipEntityRefs: ['user:default/tom-becker', 'group:default/platform'],
};

function refreshAnswer(token: string) {
  return new Response(
    JSON.stringify({
      profile: { displayName: 'Tom Becker' },
      backstageIdentity: { token, expiresInSeconds: 3600, identity },
    }),
    { status: 200, headers: { 'Content-Type': 'application/json' } },
  );
}

function refusal() {
  return new Response(
    JSON.stringify({
      error: {
        name: 'NotAllowedError',
        message: 'only available in development',
      },
      request: { method: 'GET', url: '/api/auth/platformDemo/refresh' },
      response: { statusCode: 403 },
    }),
    {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'Content-Type': 'application/json' },
    },
  );
}

describe('ProxiedAuth', () => {
  const fetchMock = jest.fn<Promise<Response>, [string, RequestInit]>();
  let now = Date.parse('2026-10-05T10:00:00Z');
  const auth = () =>
    new ProxiedAuth({
      discoveryApi: { getBaseUrl: async () => AUTH_URL },
      provider: 'platformDemo',
    });

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as typeof fetch;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("signs in through the provider's refresh and keeps the token until shortly before it expires", async () => {
    fetchMock
      .mockResolvedValueOnce(refreshAnswer('first-token'))
      .mockResolvedValueOnce(refreshAnswer('second-token'));
    const api = auth();

    const [first, concurrent] = await Promise.all([
      api.getBackstageIdentity(),
      api.getBackstageIdentity(),
    ]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe(`${AUTH_URL}/platformDemo/refresh`);
    expect(first).toEqual({
      token: 'first-token',
      identity,
      expiresAt: new Date(now + 3600_000),
    });
    expect(concurrent?.token).toBe('first-token');
    expect(await api.getProfile()).toEqual({ displayName: 'Tom Becker' });

    now += 54 * 60_000;
    expect((await api.getBackstageIdentity())?.token).toBe('first-token');
    now += 2 * 60_000;
    expect((await api.getBackstageIdentity())?.token).toBe('second-token');
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("passes on the backend's refusal, or gives nothing when the sign-in is optional", async () => {
    fetchMock.mockResolvedValueOnce(refusal());
    await expect(auth().getBackstageIdentity()).rejects.toMatchObject({
      statusCode: 403,
      cause: { message: 'only available in development' },
    });

    fetchMock.mockResolvedValueOnce(refusal());
    await expect(
      auth().getBackstageIdentity({ optional: true }),
    ).resolves.toBeUndefined();
  });

  it('reports signing in and out', async () => {
    fetchMock.mockImplementation(async () => refreshAnswer('token'));
    const api = auth();
    const states: SessionState[] = [];
    const subscription = api.sessionState$().subscribe(s => states.push(s));

    await api.signIn();
    await api.signOut();
    await api.getProfile();
    subscription.unsubscribe();
    await api.signOut();

    expect(states).toEqual([
      SessionState.SignedOut,
      SessionState.SignedIn,
      SessionState.SignedOut,
      SessionState.SignedIn,
    ]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
