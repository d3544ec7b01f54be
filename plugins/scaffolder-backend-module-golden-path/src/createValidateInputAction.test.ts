import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createValidateInputAction } from './createValidateInputAction';
import { GOLDEN_PATH_TEST_CONFIG } from './__testUtils__/goldenPathTestConfig';

describe('golden-path:validate-input', () => {
  const action = createValidateInputAction({
    config: mockServices.rootConfig({
      data: {
        backend: { baseUrl: 'http://localhost:7007' },
        goldenPath: GOLDEN_PATH_TEST_CONFIG,
      },
    }),
    auth: mockServices.auth(),
    catalog: catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'checkout', namespace: 'default' },
          spec: {},
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: { name: 'shop', namespace: 'default' },
          spec: {},
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'taken', namespace: 'default' },
          spec: { owner: 'group:default/checkout' },
        },
      ],
    }),
  });
  const run = (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({
      input: {
        name: 'orders',
        owner: 'group:default/checkout',
        tier: 'standard',
        publishTarget: 'local',
        ...input,
      },
    });
    return action.handler(ctx as any).then(() => ctx);
  };

  it('resolves the defaults from app config', async () => {
    const ctx = await run({ tier: 'critical', system: 'shop' });
    expect(ctx.output).toHaveBeenCalledWith(
      'hostname',
      'orders.apps.acme.example',
    );
    expect(ctx.output).toHaveBeenCalledWith('severity', 'critical');
    expect(ctx.output).toHaveBeenCalledWith('paging', true);
    expect(ctx.output).toHaveBeenCalledWith('system', 'shop');
    expect(ctx.output).toHaveBeenCalledWith('ruleSelectorLabels', {
      prometheus: 'platform',
    });
  });

  it('resolves the on-call tool, PagerDuty unless Opsgenie is chosen', async () => {
    expect((await run({})).output).toHaveBeenCalledWith(
      'onCallProvider',
      'pagerduty',
    );
    expect(
      (await run({ onCallProvider: 'opsgenie', onCallId: 'orders' })).output,
    ).toHaveBeenCalledWith('onCallProvider', 'opsgenie');
  });

  it('keeps a hostname the developer chose', async () => {
    const ctx = await run({ hostname: 'Orders.Shop.Example.com' });
    expect(ctx.output).toHaveBeenCalledWith(
      'hostname',
      'orders.shop.example.com',
    );
  });

  it('derives the project slug from a GitHub repository', async () => {
    const ctx = await run({
      publishTarget: 'github',
      repoUrl: 'github.com?owner=acme&repo=orders',
    });
    expect(ctx.output).toHaveBeenCalledWith('projectSlug', 'acme/orders');
    expect(ctx.output).toHaveBeenCalledWith('sourceHost', 'github.com');
  });

  it.each([
    [{ name: 'taken' }, /already exists in the catalog/],
    [{ name: 'Bad_Name' }, /not a DNS-1123 label/],
    [{ name: 'x'.repeat(41) }, /at most 40/],
    [{ owner: 'user:default/someone' }, /Owner must be a group/],
    [{ owner: 'group:default/ghosts' }, /not a group in the catalog/],
    [
      { system: 'nowhere' },
      /System system:default\/nowhere is not in the catalog/,
    ],
    [{ description: 'hello ${{ secrets.x }}' }, /template expressions/],
    [{ description: '{{ 7*7 }}' }, /template expressions/],
    [{ description: 'y'.repeat(301) }, /at most 300/],
    [{ hostname: '../../etc/passwd' }, /"\.\.\/" path segments/],
    [{ system: '/etc/passwd' }, /absolute path/],
    [{ hostname: 'not a host' }, /not a valid DNS name/],
    [{ onCallId: 'P 1' }, /may only contain/],
    [{ onCallId: 'tag:"x"', onCallProvider: 'opsgenie' }, /may only contain/],
    [
      { onCallProvider: 'victorops' },
      /On-call tool must be pagerduty or opsgenie/,
    ],
    [{ publishTarget: 'github' }, /Choose a github repository/],
    [
      { publishTarget: 'github', repoUrl: 'evil.example.com?owner=a&repo=b' },
      /must be on github.com/,
    ],
  ])('rejects %j', async (input, message) => {
    await expect(run(input)).rejects.toThrow(message);
  });
});
