export interface Config {
  platformMetrics?: {
    /** Largest accepted request body, in bytes. Default 1 MiB. */
    maxBodyBytes?: number;
    webhooks?: {
      github?: {
        /**
         * Secret of the GitHub webhook (`X-Hub-Signature-256`).
         * @visibility secret
         */
        secret: string;
      };
      gitlab?: {
        /**
         * Secret token of the GitLab webhook (`X-Gitlab-Token`).
         * @visibility secret
         */
        token: string;
      };
      pagerduty?: {
        /**
         * Signing secrets of the PagerDuty v3 webhook subscription; several during rotation.
         * @visibility secret
         */
        secrets: string[];
      };
      alertmanager?: {
        /**
         * Bearer token Alertmanager sends (`http_config.authorization.credentials`).
         * @visibility secret
         */
        token: string;
      };
    };
    survey?: {
      /**
       * Key of the HMAC that turns (user, campaign) into a participation record.
       * @visibility secret
       */
      participationSecret?: string;
      /** Groups with fewer responses are hidden. Default 5; never below 3. */
      minimumGroupSize?: number;
    };
  };
  /** The golden-path settings the metrics read (the scaffolder module reads the rest). */
  goldenPath?: {
    /**
     * The released versions and changelogs (`templates/golden-paths/versions.yaml`);
     * relative paths resolve from the backend's working directory. Default
     * `../../templates/golden-paths/versions.yaml`, the repository's file when
     * the backend runs from `packages/backend`.
     */
    versionsFile?: string;
    /**
     * Versions counted as supported in the golden-path adoption, per template
     * name (`node-service: [1.1.0, 1.0.0]`). A template not listed supports
     * only its latest release.
     */
    supportedVersions?: { [template: string]: string[] };
  };
}
