import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

const screenshots = '.artifacts/e2e/screenshots/platform-metrics';

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

/** Every tile's value and n, as one string to compare before and after. */
async function headline(page: Page) {
  const parts = [];
  for (const metric of ['leadTime', 'goldenPath', 'mttr', 'satisfaction']) {
    parts.push(await page.getByTestId(`${metric}-value`).innerText());
  }
  parts.push(...(await page.getByText(/^n = \d+ /).allInnerTexts()));
  return parts.join(' | ');
}

async function choose(page: Page, label: string, option: string | RegExp) {
  await page
    .getByRole('button', { name: new RegExp(label) })
    .first()
    .click();
  await page.getByRole('option', { name: option }).first().click();
}

test('platform value: filters, MTTR drill-down, CSV export and the survey', async ({
  page,
}) => {
  // A fresh portal seeds its demo history once the catalog has settled.
  test.setTimeout(420_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  // 1. Open Platform value from the sidebar.
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Platform value' }).click();
  await expect(page).toHaveURL(/\/platform-value/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/^n = [1-9]\d* deployments$/)).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 240_000 });
  await expect(page.getByText(/^n = \d+ requests$/)).toBeVisible();
  // Lead time stands beside its ticket-era value once the comparisons load.
  await expect(page.getByText(/^ticket era .+ → /).first()).toBeVisible();
  await expect(
    page.getByRole('img', { name: /^Lead time to production by quarter/ }),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/1-overview.png`,
    fullPage: true,
  });
  const quarter = await headline(page);

  // 2. Change the period, then the team, and see the numbers change.
  await choose(page, 'Period', 'Last 12 months');
  await expect(page).toHaveURL(/period=year/);
  await expect.poll(() => headline(page)).not.toBe(quarter);
  const year = await headline(page);
  await choose(page, 'Team', /payments/i);
  await expect(page).toHaveURL(
    /team=group%3Adefault%2Fpayments|team=group:default\/payments/,
  );
  await expect.poll(() => headline(page)).not.toBe(year);
  const team = await headline(page);
  // A custom range starts as the previous selection and can then be widened.
  await choose(page, 'Period', 'Custom range');
  await expect(page.getByLabel('From', { exact: true })).toHaveValue(
    /^\d{4}-\d{2}-\d{2}$/,
  );
  await page.getByLabel('From', { exact: true }).fill('2025-01-01');
  await expect(page).toHaveURL(
    /period=custom.*from=2025-01-01|from=2025-01-01.*period=custom/,
  );
  await expect.poll(() => headline(page)).not.toBe(team);
  await page.screenshot({
    path: `${screenshots}/2-filtered.png`,
    fullPage: true,
  });

  // 3. Open the MTTR detail and follow a drill-down link to a service page.
  await page.getByRole('link', { name: 'Time to restore (MTTR)' }).click();
  await expect(page).toHaveURL(/\/platform-value\/metrics\/mttr/);
  const resolved = page.getByRole('grid', { name: 'Resolved incidents' });
  await expect(resolved).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/3-mttr-detail.png`,
    fullPage: true,
  });

  // 4. Export a CSV and check its rows against the table.
  const showAll = page
    .getByRole('button', { name: /^Show all \d+ rows$/ })
    .first();
  if (await showAll.isVisible()) await showAll.click();
  const rowCount = (await resolved.getByRole('row').count()) - 1;
  expect(rowCount).toBeGreaterThan(0);
  const downloading = page.waitForEvent('download');
  await page
    .getByRole('button', { name: 'Export Resolved incidents as CSV' })
    .click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('incidents-resolved.csv');
  const csv = (await readFile((await download.path())!, 'utf8'))
    .trim()
    .split(/\r?\n/);
  expect(csv[0]).toBe(
    'service,team,incident,severity,started,resolved,time to restore',
  );
  expect(csv.length - 1).toBe(rowCount);
  expect(csv[1]).toMatch(/^component:default\/[^,]+,group:default\//);

  const serviceLink = resolved.getByRole('link').first();
  const serviceName = (await serviceLink.innerText()).trim();
  await serviceLink.click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\//);
  await expect(
    page.getByRole('heading', { name: serviceName }).first(),
  ).toBeVisible();
  // The service page carries the metrics card, and a tab with the history.
  await expect(page.getByText('Lead time', { exact: true })).toBeVisible();
  await expect(page.getByText(/MTTR/).first()).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/3-service-page.png`,
    fullPage: true,
  });
  await page
    .getByRole('link', { name: 'Delivery metrics', exact: true })
    .click();
  await expect(page.getByRole('grid', { name: 'Incidents' })).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/3-service-tab.png`,
    fullPage: true,
  });

  // 5. Answer the survey as guest, then see "already answered".
  await page.goto('/platform-value/survey');
  const send = page.getByRole('button', { name: 'Send answers' });
  const already = page.getByText(/You have already answered/);
  await expect(send.or(already)).toBeVisible();
  if (await send.isVisible()) {
    await expect(page.getByText('Your answers are anonymous')).toBeVisible();
    await page.screenshot({
      path: `${screenshots}/5-survey.png`,
      fullPage: true,
    });
    for (const group of await page.getByRole('radiogroup').all()) {
      await group.getByRole('radio', { name: '4' }).check({ force: true });
    }
    await send.click();
    await expect(page.getByText(/Thank you/)).toBeVisible();
    await page.screenshot({
      path: `${screenshots}/5-thank-you.png`,
      fullPage: true,
    });
    await page.reload();
  }
  // The portal's database outlives a run, so a rerun starts here.
  await expect(already).toBeVisible();
  await expect(send).toHaveCount(0);
  await page.screenshot({
    path: `${screenshots}/5-already-answered.png`,
    fullPage: true,
  });
});

test('the admin area tells a guest that it is for the platform team', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Leaving before sign-in has settled would land back on the sign-in page.
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Platform value' }),
  ).toBeVisible();
  await page.goto('/platform-value/admin');
  // The demo guest is not in group:default/platform.
  await expect(page.getByText('Platform team only')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Preview' })).toHaveCount(0);
  await page.screenshot({
    path: `${screenshots}/admin-guest.png`,
    fullPage: true,
  });
});
