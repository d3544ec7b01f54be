// Generated from src/schema/openapi.yaml by scripts/generateOpenApiRouter.mjs.
// Do not edit: run `yarn generate:openapi` in this package.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'platform-metrics',
    version: '1',
    description:
      'Collects deployments, incidents, service requests and survey answers, and computes the platform value metrics: lead time from request to production, golden-path share of deployments, MTTR and developer satisfaction.',
  },
  servers: [
    {
      url: '/',
    },
  ],
  components: {
    parameters: {
      from: {
        name: 'from',
        in: 'query',
        allowReserved: true,
        required: true,
        description: 'Period start, inclusive (ISO 8601).',
        schema: {
          type: 'string',
        },
      },
      to: {
        name: 'to',
        in: 'query',
        allowReserved: true,
        required: true,
        description: 'Period end, exclusive (ISO 8601).',
        schema: {
          type: 'string',
        },
      },
      team: {
        name: 'team',
        in: 'query',
        allowReserved: true,
        required: false,
        description: 'Owning Group, as an entity ref.',
        schema: {
          type: 'string',
        },
      },
      template: {
        name: 'template',
        in: 'query',
        allowReserved: true,
        required: false,
        description: 'Golden-path template name or entity ref.',
        schema: {
          type: 'string',
        },
      },
      baseline: {
        name: 'baseline',
        in: 'query',
        required: false,
        description: '`true` for the imported ticket-era rows.',
        schema: {
          type: 'string',
          enum: ['true', 'false'],
        },
      },
      limit: {
        name: 'limit',
        in: 'query',
        required: false,
        schema: {
          type: 'string',
          pattern: '^[0-9]+$',
        },
      },
      campaignId: {
        name: 'campaignId',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description: "The Component's catalog namespace.",
        schema: {
          type: 'string',
        },
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        description: "The Component's catalog name.",
        schema: {
          type: 'string',
        },
      },
    },
    schemas: {
      CheckStatus: {
        type: 'string',
        enum: ['pass', 'fail', 'unknown', 'not-configured'],
      },
      ServiceChecks: {
        type: 'object',
        additionalProperties: false,
        required: ['checks', 'verifiedAt'],
        properties: {
          checks: {
            type: 'array',
            description: "One per check, in the checklist's order.",
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'status', 'since', 'lastCheckedAt', 'detail'],
              properties: {
                id: {
                  type: 'string',
                  enum: [
                    'image',
                    'pipeline',
                    'alerts',
                    'logs',
                    'tls',
                    'dns',
                    'metrics',
                    'health',
                  ],
                },
                status: {
                  $ref: '#/components/schemas/CheckStatus',
                },
                since: {
                  type: ['string', 'null'],
                  description:
                    'When the check entered its status; null before its first run.',
                },
                lastCheckedAt: {
                  type: ['string', 'null'],
                },
                detail: {
                  type: 'string',
                  description: 'What was found and, when failing, what to do.',
                },
              },
            },
          },
          verifiedAt: {
            type: ['string', 'null'],
            description:
              "The first time every required check passed at or after the service's first production deployment; null until then.",
          },
        },
      },
      UsageEventsBatch: {
        type: 'object',
        description:
          'Up to 500 events, each `{ action, subject, occurredAt, pluginId?, extensionId?, templateRef?, taskId?, value?, searchTerm? }` (`UsageEventInput` in platform-metrics-common). The route validates each event itself, so that a problem is reported as `events[3].action`.',
        required: ['events'],
        properties: {
          events: {
            type: 'array',
            items: {
              type: 'object',
            },
          },
        },
      },
      IngestResult: {
        type: 'object',
        required: ['stored', 'duplicates', 'ignored'],
        properties: {
          stored: {
            type: 'integer',
          },
          duplicates: {
            type: 'integer',
          },
          ignored: {
            type: 'integer',
          },
        },
      },
      AnyJson: {
        description:
          "Validated by the endpoint's own parser, which names the field at fault.",
      },
      SurveyAnswers: {
        description:
          "Checked against surveySubmissionSchema of platform-metrics-common (ratings and comment length as in its SURVEY_LIMITS) and against the campaign's questions; a 400 names the field at fault.",
        type: 'object',
        required: ['answers'],
        properties: {
          answers: {
            type: 'object',
            additionalProperties: {
              type: 'integer',
            },
          },
          comment: {
            type: 'string',
          },
        },
      },
      Period: {
        type: 'object',
        additionalProperties: false,
        description:
          'Half-open, `from` inclusive and `to` exclusive (ISO 8601).',
        required: ['from', 'to'],
        properties: {
          from: {
            type: 'string',
          },
          to: {
            type: 'string',
          },
        },
      },
      LastKnownValue: {
        type: 'object',
        additionalProperties: false,
        description:
          "A duration metric's value before a period that has none: over the UTC calendar quarter of its latest completion before the period, ending at the period's start where the two overlap.",
        required: ['period', 'medianSeconds', 'count'],
        properties: {
          period: {
            $ref: '#/components/schemas/Period',
          },
          medianSeconds: {
            type: 'number',
          },
          count: {
            type: 'integer',
          },
        },
      },
      LeadTimeSummary: {
        type: 'object',
        additionalProperties: false,
        required: [
          'medianSeconds',
          'p90Seconds',
          'count',
          'inFlight',
          'observabilityUnverified',
        ],
        properties: {
          medianSeconds: {
            type: ['number', 'null'],
          },
          p90Seconds: {
            type: ['number', 'null'],
          },
          count: {
            type: 'integer',
            description:
              'Requests that became ready in the period: in production, and verified by the live checks when they cover the service.',
          },
          inFlight: {
            type: 'integer',
            description: 'Requested before the period end, not ready then.',
          },
          observabilityUnverified: {
            type: 'integer',
            description:
              'Of `count`, requests whose observability neither the live checks verified nor the deploying golden-path pipeline declared.',
          },
          verified: {
            type: 'integer',
            description:
              "Summaries and trend points only, once the live checks cover any service. Of `count`, requests whose lead time ended when the service's required checks first all passed (its `verifiedAt`).",
          },
          declaredOnly: {
            type: 'integer',
            description:
              'Summaries and trend points only, once the live checks cover any service. Of `count`, requests whose lead time ended at the first production deployment, without live checks: their service is not covered, or was in production before the checks covered it.',
          },
          lastKnown: {
            description:
              'Only in `/v1/summary`, when `count` is 0; null when no request reached production before the period.',
            oneOf: [
              {
                $ref: '#/components/schemas/LastKnownValue',
              },
              {
                type: 'null',
              },
            ],
          },
        },
      },
      GoldenPathSummary: {
        type: 'object',
        additionalProperties: false,
        required: ['percent', 'goldenDeployments', 'totalDeployments'],
        properties: {
          percent: {
            type: ['number', 'null'],
          },
          goldenDeployments: {
            type: 'integer',
          },
          totalDeployments: {
            type: 'integer',
          },
          supportedPercent: {
            type: ['number', 'null'],
            description:
              'Of the golden deployments, the share made from a supported version (`goldenPath.supportedVersions`, by default the latest release); null without golden deployments. Absent when the released versions cannot be read.',
          },
          supportedDeployments: {
            type: 'integer',
          },
        },
      },
      GoldenPathRelease: {
        type: 'object',
        additionalProperties: false,
        required: ['version', 'released', 'changelog'],
        properties: {
          version: {
            type: 'string',
          },
          released: {
            type: ['string', 'null'],
            description:
              'Release date (YYYY-MM-DD), null when versions.yaml gives none.',
          },
          changelog: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['title', 'description'],
              properties: {
                title: {
                  type: 'string',
                },
                description: {
                  type: 'string',
                },
              },
            },
          },
        },
      },
      MttrSummary: {
        type: 'object',
        additionalProperties: false,
        required: [
          'medianSeconds',
          'meanSeconds',
          'p90Seconds',
          'count',
          'open',
        ],
        properties: {
          medianSeconds: {
            type: ['number', 'null'],
          },
          meanSeconds: {
            type: ['number', 'null'],
          },
          p90Seconds: {
            type: ['number', 'null'],
          },
          count: {
            type: 'integer',
            description: 'Incidents resolved in the period.',
          },
          open: {
            type: 'integer',
            description: 'Started before the period end and unresolved then.',
          },
          lastKnown: {
            description:
              'Only in `/v1/summary`, when `count` is 0; null when no incident was resolved before the period.',
            oneOf: [
              {
                $ref: '#/components/schemas/LastKnownValue',
              },
              {
                type: 'null',
              },
            ],
          },
        },
      },
      SatisfactionSummary: {
        type: 'object',
        additionalProperties: false,
        required: ['percentFavourable', 'mean', 'responses', 'suppressed'],
        properties: {
          percentFavourable: {
            type: ['number', 'null'],
          },
          mean: {
            type: ['number', 'null'],
          },
          responses: {
            type: 'integer',
          },
          suppressed: {
            type: 'boolean',
          },
        },
      },
      MetricsSummary: {
        type: 'object',
        additionalProperties: false,
        description: 'Every value is null, never 0, when there is no data.',
        required: ['period', 'leadTime', 'goldenPath', 'mttr', 'satisfaction'],
        properties: {
          period: {
            $ref: '#/components/schemas/Period',
          },
          leadTime: {
            $ref: '#/components/schemas/LeadTimeSummary',
          },
          goldenPath: {
            $ref: '#/components/schemas/GoldenPathSummary',
          },
          mttr: {
            $ref: '#/components/schemas/MttrSummary',
          },
          satisfaction: {
            $ref: '#/components/schemas/SatisfactionSummary',
          },
        },
      },
      CampaignInput: {
        description:
          'Checked against surveyCampaignInputSchema of platform-metrics-common, the schema the admin form uses too: title length, question ids and texts, one satisfaction item and the number of drivers as in its SURVEY_LIMITS; a 400 names the field at fault.',
        type: 'object',
        properties: {
          title: {
            type: 'string',
          },
          quarter: {
            type: 'string',
          },
          opensAt: {
            type: 'string',
          },
          closesAt: {
            type: 'string',
          },
          questions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'kind', 'text'],
              properties: {
                id: {
                  type: 'string',
                },
                kind: {
                  type: 'string',
                  enum: ['satisfaction', 'driver'],
                },
                text: {
                  type: 'string',
                },
              },
            },
          },
        },
      },
    },
  },
  paths: {
    '/v1/events': {
      post: {
        operationId: 'PostEvents',
        description:
          'CDEvents, plain or as structured CloudEvents, single or batched.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
            'application/cloudevents+json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
            'application/cloudevents-batch+json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Stored (or already stored).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/IngestResult',
                },
              },
            },
          },
        },
      },
    },
    '/v1/webhooks/github': {
      post: {
        operationId: 'PostGithubWebhook',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Stored, duplicate or ignored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/IngestResult',
                },
              },
            },
          },
        },
      },
    },
    '/v1/webhooks/gitlab': {
      post: {
        operationId: 'PostGitlabWebhook',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Stored, duplicate or ignored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/IngestResult',
                },
              },
            },
          },
        },
      },
    },
    '/v1/webhooks/pagerduty': {
      post: {
        operationId: 'PostPagerDutyWebhook',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Stored, duplicate or ignored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/IngestResult',
                },
              },
            },
          },
        },
      },
    },
    '/v1/webhooks/alertmanager': {
      post: {
        operationId: 'PostAlertmanagerWebhook',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Stored, duplicate or ignored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/IngestResult',
                },
              },
            },
          },
        },
      },
    },
    '/v1/summary': {
      get: {
        operationId: 'GetSummary',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
          {
            $ref: '#/components/parameters/team',
          },
          {
            $ref: '#/components/parameters/template',
          },
          {
            $ref: '#/components/parameters/baseline',
          },
        ],
        responses: {
          '200': {
            description: 'The four metrics for the period, each with its n.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/MetricsSummary',
                },
              },
            },
          },
        },
      },
    },
    '/v1/trend': {
      get: {
        operationId: 'GetTrend',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
          {
            $ref: '#/components/parameters/team',
          },
          {
            $ref: '#/components/parameters/template',
          },
          {
            $ref: '#/components/parameters/baseline',
          },
          {
            name: 'bucket',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['month', 'quarter'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'The four metrics per month or quarter.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['bucket', 'points'],
                  properties: {
                    bucket: {
                      type: 'string',
                      enum: ['month', 'quarter'],
                    },
                    points: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/MetricsSummary',
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/v1/breakdown': {
      get: {
        operationId: 'GetBreakdown',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
          {
            $ref: '#/components/parameters/team',
          },
          {
            $ref: '#/components/parameters/template',
          },
          {
            $ref: '#/components/parameters/baseline',
          },
          {
            name: 'metric',
            in: 'query',
            required: true,
            schema: {
              type: 'string',
              enum: ['leadTime', 'goldenPath', 'mttr'],
            },
          },
          {
            name: 'by',
            in: 'query',
            required: true,
            schema: {
              type: 'string',
              enum: ['team', 'template', 'service', 'severity'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'One metric per team, template, service or severity.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/deployments': {
      get: {
        operationId: 'GetDeployments',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
          {
            $ref: '#/components/parameters/team',
          },
          {
            $ref: '#/components/parameters/template',
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            name: 'goldenPath',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['true', 'false'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'Production deployments behind the golden-path share.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/incidents': {
      get: {
        operationId: 'GetIncidents',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
          {
            $ref: '#/components/parameters/team',
          },
          {
            $ref: '#/components/parameters/baseline',
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            name: 'state',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['resolved', 'open'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'Incidents behind the MTTR.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/service-requests': {
      get: {
        operationId: 'GetServiceRequests',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
          {
            $ref: '#/components/parameters/team',
          },
          {
            $ref: '#/components/parameters/template',
          },
          {
            $ref: '#/components/parameters/baseline',
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            name: 'state',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['ready', 'in-flight'],
            },
          },
        ],
        responses: {
          '200': {
            description:
              'Service requests behind the lead time, or still in flight.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/off-path': {
      get: {
        operationId: 'GetOffPathServices',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
          {
            $ref: '#/components/parameters/team',
          },
        ],
        responses: {
          '200': {
            description:
              'Services deploying to production off the golden path, with the reason.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/data-quality': {
      get: {
        operationId: 'GetDataQuality',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
        ],
        responses: {
          '200': {
            description:
              'Unattributed events and services without a request record.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/ingestion/sources': {
      get: {
        operationId: 'GetIngestionSources',
        description:
          "Every ingestion endpoint, for the platform team's setup page: this API's CDEvents endpoint, the built-in webhooks documented here, and the webhooks that backend modules add at `/v1/webhooks/{id}` (those are documented by their modules).",
        responses: {
          '200': {
            description: 'The endpoints, with how their senders authenticate.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        required: [
                          'id',
                          'displayName',
                          'path',
                          'authentication',
                          'setup',
                          'attributionAnnotations',
                        ],
                        properties: {
                          id: {
                            type: 'string',
                          },
                          displayName: {
                            type: 'string',
                          },
                          path: {
                            type: 'string',
                          },
                          authentication: {
                            type: 'string',
                            enum: ['backstage', 'signature', 'token'],
                          },
                          setup: {
                            type: 'string',
                          },
                          attributionAnnotations: {
                            type: 'array',
                            items: {
                              type: 'string',
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/v1/golden-paths/versions': {
      get: {
        operationId: 'GetGoldenPathVersions',
        description:
          'The released versions of each golden-path Template, newest first, with their changelog and release date, from `goldenPath.versionsFile` (templates/golden-paths/versions.yaml). 503 when the file cannot be read.',
        responses: {
          '200': {
            description: 'One item per golden-path Template in the catalog.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        required: ['template', 'latest', 'releases'],
                        properties: {
                          template: {
                            type: 'string',
                          },
                          latest: {
                            type: 'string',
                          },
                          releases: {
                            type: 'array',
                            items: {
                              $ref: '#/components/schemas/GoldenPathRelease',
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/v1/golden-paths/drift': {
      get: {
        operationId: 'GetGoldenPathDrift',
        description:
          'Per golden-path Template: how many catalog services record each version (annotation `acme.example/template-version`), and the services behind the latest release with their owner and since when they are behind (the release date of the first newer version; null with `unknownReason` when it is not known).',
        responses: {
          '200': {
            description: 'One item per golden-path Template in the catalog.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        required: [
                          'template',
                          'title',
                          'latest',
                          'versions',
                          'behind',
                        ],
                        properties: {
                          template: {
                            type: 'string',
                          },
                          title: {
                            type: 'string',
                          },
                          latest: {
                            type: 'string',
                          },
                          versions: {
                            type: 'array',
                            items: {
                              type: 'object',
                              additionalProperties: false,
                              required: ['version', 'services'],
                              properties: {
                                version: {
                                  type: ['string', 'null'],
                                },
                                services: {
                                  type: 'integer',
                                },
                              },
                            },
                          },
                          behind: {
                            type: 'array',
                            items: {
                              type: 'object',
                              additionalProperties: false,
                              required: [
                                'entityRef',
                                'title',
                                'owner',
                                'ownerTitle',
                                'version',
                                'behindSince',
                              ],
                              properties: {
                                entityRef: {
                                  type: 'string',
                                },
                                title: {
                                  type: ['string', 'null'],
                                },
                                owner: {
                                  type: ['string', 'null'],
                                },
                                ownerTitle: {
                                  type: ['string', 'null'],
                                },
                                version: {
                                  type: ['string', 'null'],
                                },
                                behindSince: {
                                  type: ['string', 'null'],
                                },
                                unknownReason: {
                                  type: 'string',
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/v1/baseline': {
      post: {
        operationId: 'PostBaseline',
        description:
          'Imports ticket-era service requests or incidents as CSV or JSON. With `dryRun=true` it only validates and previews.',
        parameters: [
          {
            name: 'kind',
            in: 'query',
            required: true,
            schema: {
              type: 'string',
              enum: ['service-requests', 'incidents'],
            },
          },
          {
            name: 'dryRun',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['true', 'false'],
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'text/csv': {
              schema: {
                type: 'string',
              },
            },
            'application/json': {
              schema: {
                $ref: '#/components/schemas/AnyJson',
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              'Import result or preview, with one error per bad row.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/survey/current': {
      get: {
        operationId: 'GetCurrentSurvey',
        responses: {
          '200': {
            description:
              'The open campaign, if any, and whether the caller answered it.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/survey/campaigns': {
      get: {
        operationId: 'GetSurveyCampaigns',
        responses: {
          '200': {
            description: 'All campaigns.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
      post: {
        operationId: 'PostSurveyCampaign',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/CampaignInput',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Created as a draft.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/survey/campaigns/{campaignId}': {
      put: {
        operationId: 'PutSurveyCampaign',
        parameters: [
          {
            $ref: '#/components/parameters/campaignId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/CampaignInput',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Updated (drafts only).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/survey/campaigns/{campaignId}/open': {
      post: {
        operationId: 'OpenSurveyCampaign',
        parameters: [
          {
            $ref: '#/components/parameters/campaignId',
          },
        ],
        responses: {
          '200': {
            description: 'Opened.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/survey/campaigns/{campaignId}/close': {
      post: {
        operationId: 'CloseSurveyCampaign',
        parameters: [
          {
            $ref: '#/components/parameters/campaignId',
          },
        ],
        responses: {
          '200': {
            description: 'Closed.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/survey/campaigns/{campaignId}/responses': {
      post: {
        operationId: 'PostSurveyResponse',
        parameters: [
          {
            $ref: '#/components/parameters/campaignId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/SurveyAnswers',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Stored, without any reference to the caller.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/survey/results': {
      get: {
        operationId: 'GetSurveyResults',
        parameters: [
          {
            name: 'campaignId',
            in: 'query',
            required: false,
            allowReserved: true,
            schema: {
              type: 'string',
            },
          },
          {
            $ref: '#/components/parameters/team',
          },
        ],
        responses: {
          '200': {
            description:
              'Results with groups below the minimum size suppressed.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/services/{namespace}/{name}/checks': {
      get: {
        operationId: 'GetServiceChecks',
        description:
          'The live checks of a golden-path service. Every check reads `not-configured` when checks are off. 404 when the checks do not cover the Component.',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The current result of every check.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ServiceChecks',
                },
              },
            },
          },
        },
      },
    },
    '/v1/services/{namespace}/{name}/checks/run': {
      post: {
        operationId: 'RunServiceChecks',
        description:
          '"Check now": runs the service\'s checks, stores and returns the results. Needs `platform-metrics.checks.run`.',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The results of the run.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ServiceChecks',
                },
              },
            },
          },
        },
      },
    },
    '/v1/checks/unverified': {
      get: {
        operationId: 'GetUnverifiedServices',
        description:
          'In production without observability: services with a successful production deployment whose required checks do not all pass now.',
        parameters: [
          {
            $ref: '#/components/parameters/team',
          },
        ],
        responses: {
          '200': {
            description: 'The services, with their failing required checks.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        required: [
                          'entityRef',
                          'teamRef',
                          'firstProductionDeploymentAt',
                          'failing',
                          'verifiedAt',
                        ],
                        properties: {
                          entityRef: {
                            type: 'string',
                          },
                          teamRef: {
                            type: ['string', 'null'],
                          },
                          firstProductionDeploymentAt: {
                            type: 'string',
                          },
                          failing: {
                            type: 'array',
                            items: {
                              type: 'object',
                              additionalProperties: false,
                              required: ['id', 'status', 'since'],
                              properties: {
                                id: {
                                  type: 'string',
                                },
                                status: {
                                  $ref: '#/components/schemas/CheckStatus',
                                },
                                since: {
                                  type: ['string', 'null'],
                                },
                              },
                            },
                          },
                          verifiedAt: {
                            type: ['string', 'null'],
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/v1/usage/events': {
      post: {
        operationId: 'PostUsageEvents',
        description:
          'Portal analytics events of the signed-in user, stored with their team and a keyed hash of the user. Free text is dropped, except the term of a search that found nothing.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/UsageEventsBatch',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'Stored.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['stored'],
                  properties: {
                    stored: {
                      type: 'integer',
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/v1/usage/templates': {
      get: {
        operationId: 'GetUsageTemplates',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
        ],
        responses: {
          '200': {
            description:
              'Per template: opened, submitted, succeeded, failed (per step), first production deployment, verified, median form time and tasks started through the API.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
    '/v1/usage/features': {
      get: {
        operationId: 'GetUsageFeatures',
        parameters: [
          {
            $ref: '#/components/parameters/from',
          },
          {
            $ref: '#/components/parameters/to',
          },
        ],
        responses: {
          '200': {
            description:
              'Distinct users and teams per week, page and plugin; searches that found nothing; drop candidates; teams that created nothing (small teams merged).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const createOpenApiRouter = (
  options?: Parameters<typeof createValidatedOpenApiRouter>[1],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
