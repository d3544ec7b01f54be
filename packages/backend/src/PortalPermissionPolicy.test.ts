import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  platformMetricsAdminPermission,
  platformMetricsChecksRunPermission,
  platformMetricsReadPermission,
  platformMetricsSurveyCommentsReadPermission,
  platformMetricsUsageReadPermission,
} from '@internal/plugin-platform-metrics-common';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';

/** A policy as seen by a user who belongs to the given groups. */
function asMemberOf(...groups: string[]) {
  const userEntityRef = 'user:default/ana';
  const policy = new PortalPermissionPolicy(
    mockServices.userInfo({
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...groups],
    }),
    ['group:default/platform'],
  );
  const user = {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
  };
  return {
    decide: async (permission: typeof platformMetricsReadPermission) =>
      (await policy.handle({ permission }, user)).result,
  };
}

describe('PortalPermissionPolicy', () => {
  it('lets everyone signed in read the metrics', async () => {
    const checkout = asMemberOf('group:default/checkout');
    expect(await checkout.decide(platformMetricsReadPermission)).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it.each([
    platformMetricsAdminPermission,
    platformMetricsSurveyCommentsReadPermission,
    platformMetricsChecksRunPermission,
    platformMetricsUsageReadPermission,
  ])('refuses $name to people outside the platform team', async permission => {
    const checkout = asMemberOf('group:default/checkout');
    expect(await checkout.decide(permission)).toBe(AuthorizeResult.DENY);
  });

  it.each([
    platformMetricsAdminPermission,
    platformMetricsChecksRunPermission,
    platformMetricsUsageReadPermission,
  ])('grants $name to the platform team', async permission => {
    const platform = asMemberOf('group:default/Platform');
    expect(await platform.decide(permission)).toBe(AuthorizeResult.ALLOW);
  });

  it('refuses admin actions when there is no user', async () => {
    const policy = new PortalPermissionPolicy(mockServices.userInfo(), [
      'group:default/platform',
    ]);
    const decision = await policy.handle({
      permission: platformMetricsAdminPermission,
    });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });
});
