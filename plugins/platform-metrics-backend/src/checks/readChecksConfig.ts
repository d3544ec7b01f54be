import { promises as dns } from 'node:dns';
import type { Config } from '@backstage/config';
import { SERVICE_CHECK_IDS } from '@internal/plugin-platform-metrics-common';
import { z } from 'zod';

const CONFIG_KEY = 'platformMetrics.checks';

const positiveInt = z.number().int().positive();

/** A trusted backend's base URL, without the trailing slash the paths add. */
const baseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform(url => url.replace(/\/+$/, ''));

const headers = z.record(z.string(), z.string()).default({});

/** A domain as written in config; `.Apps.Acme.Example.` means `apps.acme.example`. */
const domain = z
  .string()
  .transform(value =>
    value
      .trim()
      .toLowerCase()
      .replace(/^\.+|\.+$/g, ''),
  )
  .refine(value => value.length > 0, 'must not be empty');

const resolverServers = z
  .array(z.string())
  .min(1)
  .superRefine((servers, ctx) => {
    // The resolver's own parser is the authority on what it accepts
    // ("127.0.0.1:5353", "[::1]:53", "10.0.0.2").
    try {
      new dns.Resolver().setServers(servers);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a list of DNS server addresses (${
          (error as Error).message
        })`,
      });
    }
  });

const checksConfigSchema = z.object({
  enabled: z.boolean().default(false),
  intervalMinutes: positiveInt.default(5),
  concurrency: positiveInt.default(16),
  timeoutMs: positiveInt.default(5000),
  maxResponseBytes: positiveInt.default(1024 * 1024),
  required: z.array(z.enum(SERVICE_CHECK_IDS)).optional(),
  allowedDomains: z.array(domain).optional(),
  allowPrivateAddresses: z.boolean().default(false),
  resolver: z
    .object({ servers: resolverServers.optional() })
    .strict()
    .default({}),
  tls: z
    .object({
      caFile: z.string().min(1).optional(),
      port: positiveInt.max(65535).default(443),
      minDaysValid: z.number().nonnegative().default(14),
    })
    .strict()
    .default({ port: 443, minDaysValid: 14 }),
  prometheus: z.object({ baseUrl, headers }).strict().optional(),
  logs: z
    .object({
      windowMinutes: positiveInt.default(15),
      loki: z
        .object({
          baseUrl,
          headers,
          tenant: z.string().min(1).optional(),
          serviceLabel: z
            .string()
            .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Loki label name')
            .default('service'),
        })
        .strict()
        .optional(),
    })
    .strict()
    .default({ windowMinutes: 15 }),
});

/** `platformMetrics.checks` with every default applied. */
export type ChecksConfig = Omit<
  z.output<typeof checksConfigSchema>,
  'allowedDomains'
> & {
  /** Hostnames probes may go to: these domains and their subdomains. */
  allowedDomains: string[];
};

/**
 * Reads `platformMetrics.checks`. Invalid values stop the backend at startup
 * with the config key that is wrong, rather than silently disabling a check.
 * `allowedDomains` defaults to the golden path's `goldenPath.baseDomain`.
 */
export function readChecksConfig(config: Config): ChecksConfig {
  const parsed = checksConfigSchema.safeParse(
    config.getOptional(CONFIG_KEY) ?? {},
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => {
      const key = [CONFIG_KEY, ...issue.path.map(String)].join('.');
      return `${key} ${issue.message}`;
    });
    throw new Error(`Invalid checks config: ${problems.join('; ')}`);
  }
  const baseDomain = config.getOptionalString('goldenPath.baseDomain');
  const allowedDomains =
    parsed.data.allowedDomains ??
    (baseDomain ? [domain.parse(baseDomain)] : []);
  return { ...parsed.data, allowedDomains };
}
