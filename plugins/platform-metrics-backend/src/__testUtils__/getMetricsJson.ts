import {
  mockCredentials,
  type TestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';

/**
 * `GET /api/platform-metrics<path>?<params>` as a signed-in user, expecting
 * 200; the JSON body.
 */
export async function getMetricsJson(
  backend: TestBackend,
  path: string,
  params: Record<string, string>,
) {
  const res = await request(backend.server)
    .get(`/api/platform-metrics${path}?${new URLSearchParams(params)}`)
    .set('Authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body;
}
