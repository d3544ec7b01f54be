import { test, expect } from '@playwright/test';
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const screenshots = '.artifacts/e2e/screenshots/runbooks';
/** The portal's local git host in development (goldenPath.localGit). */
const gitHost = path.resolve(__dirname, '../../../.data/git');

test.beforeAll(async ({ request }) => {
  // The frontend dev server answers before the backend is ready.
  await expect
    .poll(
      async () =>
        (
          await request.get(
            'http://localhost:7007/.backstage/health/v1/readiness',
          )
        ).status(),
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe(200);
});

test('every runbook_url of a new service opens its runbook in the portal', async ({
  page,
}) => {
  // The portal builds docs with the mkdocs on its PATH; .ci/run installs it.
  test.skip(
    !process.env.CI && spawnSync('mkdocs', ['--version']).status !== 0,
    'mkdocs is not installed (apt-get install -y mkdocs mkdocs-material)',
  );
  // Creating the service, building its docs with mkdocs on first view, then
  // a fresh load of the portal per runbook, as from an alert.
  test.setTimeout(420_000);
  const name = `runbooks-${Date.now().toString(36)}`;

  // The survey prompt may cover the form's buttons; put it off.
  const surveyPrompt = page.getByRole('complementary', {
    name: 'Survey prompt',
  });
  await page.addLocatorHandler(surveyPrompt, () =>
    surveyPrompt.getByRole('button', { name: 'Later' }).click(),
  );
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Create' }).click();

  // 1. Create a Go service through the form, published to the portal git host.
  // The innermost element holding both is the template's card.
  await page
    .locator('div')
    .filter({ has: page.getByRole('heading', { name: 'Go service' }) })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last()
    .getByRole('button', { name: 'Choose' })
    .click();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Owning team' }).fill('checkout');
  await page.getByRole('option', { name: 'Checkout Team' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(
    page.getByRole('link', { name: `Open ${name} in the catalog` }),
  ).toBeVisible({ timeout: 120_000 });

  // 2. The alerts it was created with, from its repository on the git host.
  const show = async (file: string) =>
    (
      await promisify(execFile)('git', [
        '--git-dir',
        path.join(gitHost, `${name}.git`),
        'show',
        `main:${file}`,
      ])
    ).stdout;
  const rule = parse(await show('kubernetes/base/prometheusrule.yaml'));
  const alerts: Array<{ alert: string; annotations: { runbook_url: string } }> =
    rule.spec.groups.flatMap((group: { rules: unknown[] }) => group.rules);
  expect(alerts.length).toBeGreaterThan(0);

  // 3. Each runbook_url names the production portal; its path is the page.
  for (const { alert, annotations } of alerts) {
    const { pathname } = new URL(annotations.runbook_url);
    expect(pathname).toMatch(
      new RegExp(`^/docs/default/component/${name}/runbooks/[a-z-]+/$`),
    );
    const runbook = await show(
      `docs/${pathname.split(`/${name}/`)[1].replace(/\/$/, '.md')}`,
    );
    const title = /^# (.+)$/m.exec(runbook)![1];

    await page.goto(pathname);
    // The first visit builds the docs with mkdocs, then shows the page.
    await expect(
      page.getByRole('heading', { level: 1, name: title, exact: true }),
    ).toBeVisible({ timeout: 120_000 });
    await expect(page.getByText(alert, { exact: true })).toBeVisible();
    await page.screenshot({
      path: `${screenshots}/${alert}.png`,
      fullPage: true,
    });
  }
});
