import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import type express from 'express';

/**
 * The routes' one way to admit a request: the caller's credentials, allowed
 * `permission`, or a 403 naming the permission.
 */
export function requirePermission(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}) {
  const { httpAuth, permissions } = options;
  return async (
    req: express.Request,
    permission: BasicPermission,
  ): Promise<BackstageCredentials> => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  };
}
