export interface Config {
  platformMetrics?: {
    webhooks?: {
      opsgenie?: {
        /**
         * Token the Opsgenie outgoing webhook sends as `Authorization: Bearer <token>`
         * (a custom header of the integration). Without it the webhook answers 404.
         * @visibility secret
         */
        token: string;
      };
    };
  };
}
