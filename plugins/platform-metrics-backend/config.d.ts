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
    /**
     * Live checks of the golden path's promises in production (health, DNS,
     * TLS, metrics, alerts, logs). Off by default: lead time then ends at the
     * first production deployment, as before.
     */
    checks?: {
      /** Run the checks. Default false. */
      enabled?: boolean;
      /** Minutes between two check cycles. Default 5. */
      intervalMinutes?: number;
      /** Probes in flight at once. Default 16. */
      concurrency?: number;
      /** Time limit of each probe, resolution included, in ms. Default 5000. */
      timeoutMs?: number;
      /** Largest response body a probe reads, in bytes. Default 1 MiB. */
      maxResponseBytes?: number;
      /**
       * Checks that must all pass for a service to count as verified (ids:
       * image, pipeline, alerts, logs, tls, dns, metrics, health). Default:
       * every configured check.
       */
      required?: string[];
      /**
       * Hostnames from catalog entities are probed only when equal to one of
       * these domains or a subdomain of one. Default: goldenPath.baseDomain.
       */
      allowedDomains?: string[];
      /**
       * Let probes connect to private, loopback, link-local and other
       * non-public addresses. Default false; only for test sandboxes and
       * platforms serving on a private network.
       */
      allowPrivateAddresses?: boolean;
      resolver?: {
        /**
         * DNS servers (`host` or `host:port`, e.g. `127.0.0.1:5353`) the dns
         * check and every probe resolve hostnames with. Default: the servers
         * of the system's resolv.conf (/etc/hosts is not read).
         */
        servers?: string[];
      };
      tls?: {
        /** PEM file of the CAs the health and tls checks trust instead of the system's. */
        caFile?: string;
        /** Port of the TLS and health probes. Default 443. */
        port?: number;
        /** The tls check fails when the certificate expires within this many days. Default 14. */
        minDaysValid?: number;
      };
      /** The platform Prometheus; the metrics and alerts checks need it. */
      prometheus?: {
        /** Base URL of its HTTP API, e.g. `https://prometheus.example`. Trusted: not limited by allowedDomains. */
        baseUrl: string;
        /**
         * Headers sent with every request, e.g. `Authorization`.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      };
      logs?: {
        /** The logs check passes when the service wrote a line within this many minutes. Default 15. */
        windowMinutes?: number;
        /**
         * Loki, queried with `{<serviceLabel>="<backstage.io/kubernetes-id>"}`.
         * Fluent Bit must label streams with the service name it reads from
         * the pod annotation `logging.acme.example/service`, which the golden
         * path's Deployment sets.
         */
        loki?: {
          /** Base URL of Loki's HTTP API (the part before `/loki/api/v1`). */
          baseUrl: string;
          /**
           * Headers sent with every request, e.g. `Authorization`.
           * @visibility secret
           */
          headers?: { [name: string]: string };
          /** Tenant, sent as `X-Scope-OrgID`. */
          tenant?: string;
          /** The stream label holding the service name. Default `service`. */
          serviceLabel?: string;
        };
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
