import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  platformMetricsAdminPermission,
  platformMetricsChecksRunPermission,
  platformMetricsSurveyCommentsReadPermission,
  platformMetricsUsageReadPermission,
} from '@internal/plugin-platform-metrics-common';

/**
 * Permissions only administrators (the platform team) hold. "Check now" is a
 * basic permission, so the policy does not learn which service is checked and
 * cannot grant it to the service's owners.
 */
const ADMIN_ONLY = new Set([
  platformMetricsAdminPermission.name,
  platformMetricsSurveyCommentsReadPermission.name,
  platformMetricsChecksRunPermission.name,
  // Portal usage is the platform team's product data, not everyone's.
  platformMetricsUsageReadPermission.name,
]);

/**
 * The portal's policy: members of the admin groups (the platform team) may do
 * everything; everyone else may do everything except the admin-only actions.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly adminGroups: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!ADMIN_ONLY.has(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const isAdmin = ownershipEntityRefs.some(ref =>
      this.adminGroups.includes(ref.toLocaleLowerCase('en-US')),
    );
    return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
}
