import { test, expect, type Page, type Response } from '@playwright/test';
import { signInAsPlatformTeam, waitForBackend } from './platformTeamSignIn';

const screenshots = '.artifacts/e2e/screenshots/platform-usage';
const TEMPLATE_REF = 'template:default/node-service';

interface SentEvent {
  action: string;
  subject: string;
  templateRef?: string;
  searchTerm?: string;
  value?: number;
}

test.beforeAll(async ({ request }) => waitForBackend(request));

/**
 * The next batch the tracker posts whose events pass `wanted`. The tracker
 * sends at most one batch per 5 s, so the events of a page can take that long.
 */
function nextBatch(page: Page, wanted: (events: SentEvent[]) => boolean) {
  return page.waitForResponse(
    (response: Response) => {
      const request = response.request();
      if (
        request.method() !== 'POST' ||
        !request.url().endsWith('/api/platform-metrics/v1/usage/events')
      ) {
        return false;
      }
      const { events } = request.postDataJSON() as { events: SentEvent[] };
      return wanted(events);
    },
    { timeout: 30_000 },
  );
}

async function sentEvents(response: Response): Promise<SentEvent[]> {
  expect(response.status()).toBe(202);
  return (response.request().postDataJSON() as { events: SentEvent[] }).events;
}

/**
 * A fresh portal seeds its demo history once the catalog has settled, the year
 * of usage first: once Platform value counts deployments, the usage is complete
 * and counts taken from then on only change with what the test does.
 */
async function waitForDemoHistory(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Platform value' })
    .click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/^n = [1-9]\d* deployments$/)).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 240_000 });
}

async function openUsagePage(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Platform usage' })
    .click();
  await expect(page).toHaveURL(/\/platform-usage/);
}

/** A numeric column of the funnel row of one template, by column title. */
async function funnelCounts(page: Page, templateRef: string) {
  const table = page.getByRole('grid', { name: 'Template funnel' });
  await expect(table).toBeVisible();
  const titles = await table.getByRole('columnheader').allInnerTexts();
  const [, name] = templateRef.split('/');
  const row = table.getByRole('row').filter({
    has: page.locator(`a[href$="/template/${name}"]`),
  });
  const cells = await row.locator('th, td').allInnerTexts();
  const column = (title: string) => Number(cells[titles.indexOf(title)]);
  return { opened: column('opened'), submitted: column('submitted') };
}

test('an opened template form that is not submitted counts as opened, not submitted', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const nav = await signInAsPlatformTeam(page);
  await waitForDemoHistory(page);
  await openUsagePage(page);
  // The demo history already holds a year of use: what counts is the difference.
  const before = await funnelCounts(page, TEMPLATE_REF);
  expect(before.opened).toBeGreaterThan(0);

  // Browse: the catalog, the template list, then the form.
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  // The catalog is the portal's home page.
  await expect(page).toHaveURL(/filters%5Bkind%5D=component/);
  await nav.getByRole('link', { name: /^Create/ }).click();
  await expect(page).toHaveURL(/\/create/);
  const formEvents = nextBatch(page, events =>
    events.some(e => e.templateRef === TEMPLATE_REF),
  );
  const title = page.getByRole('heading', {
    name: 'TypeScript/Node.js service',
  });
  const choose = page.getByRole('button', { name: 'Choose' });
  // The innermost element holding both is the template's card.
  const card = page.locator('div').filter({ has: title }).filter({
    has: choose,
  });
  await card.last().getByRole('button', { name: 'Choose' }).click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/node-service$/);
  await expect(page.getByRole('textbox', { name: /^Name/ })).toBeVisible();
  await page.screenshot({ path: `${screenshots}/1-form-opened.png` });

  // The batch timer sends the form's navigation while the form stays open.
  const events = await sentEvents(await formEvents);
  const forTemplate = events.filter(e => e.templateRef === TEMPLATE_REF);
  expect(forTemplate).toEqual([
    expect.objectContaining({
      action: 'navigate',
      subject: '/create/templates/default/node-service',
    }),
  ]);

  // Leave without submitting.
  await openUsagePage(page);
  await expect
    .poll(async () => {
      await page.reload();
      return funnelCounts(page, TEMPLATE_REF);
    })
    .toEqual({ opened: before.opened + 1, submitted: before.submitted });
  await page.screenshot({
    path: `${screenshots}/2-funnel-after.png`,
    fullPage: true,
  });
});

test('a search that finds nothing is listed under searches that found nothing', async ({
  page,
}) => {
  // Letters and digits only: the search engine splits words at punctuation.
  const term = `zqxnothing${Date.now()}`;
  await signInAsPlatformTeam(page);
  await page.goto('/search');
  const unfound = nextBatch(page, events =>
    events.some(e => e.action === 'search' && e.searchTerm === term),
  );
  await page.getByRole('textbox', { name: 'Search' }).fill(term);
  await expect(page.getByText(/no results/i)).toBeVisible();
  await page.screenshot({ path: `${screenshots}/3-search-no-results.png` });
  const events = await sentEvents(await unfound);
  expect(events.filter(e => e.action === 'search')).toContainEqual(
    expect.objectContaining({ searchTerm: term, value: 0 }),
  );

  await openUsagePage(page);
  const searches = page.getByRole('grid', {
    name: 'Searches that found nothing',
  });
  await expect(searches).toBeVisible();
  const showAll = page.getByRole('button', { name: /^Show all \d+ rows$/ });
  for (const button of await showAll.all()) await button.click();
  const row = searches.getByRole('row').filter({ hasText: term });
  await expect(row.locator('th, td')).toHaveText([term, '1']);
  await page.screenshot({
    path: `${screenshots}/4-unfound-searches.png`,
    fullPage: true,
  });
});
