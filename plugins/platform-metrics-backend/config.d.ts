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
    usage?: {
      /** Days raw usage events are kept; the daily rollups are kept longer. Default 400. */
      retentionDays?: number;
      /**
       * Key of the HMAC that turns a user into the key distinct users are counted
       * by. Without it, a random secret is generated once and kept in the
       * plugin's database; set it in production so that the database alone cannot
       * re-identify users.
       * @visibility secret
       */
      hashSecret?: string;
    };
  };
}
