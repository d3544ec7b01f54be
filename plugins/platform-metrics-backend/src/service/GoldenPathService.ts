import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  GoldenPathDriftResponse,
  GoldenPathVersionsResponse,
} from '@internal/plugin-platform-metrics-common';

/** The released golden-path versions and where the catalog's services stand. */
export interface GoldenPathService {
  versions(options: {
    credentials: BackstageCredentials;
  }): Promise<GoldenPathVersionsResponse>;
  drift(options: {
    credentials: BackstageCredentials;
  }): Promise<GoldenPathDriftResponse>;
}
