import { test, expect } from '@playwright/test';

const screenshots = '.artifacts/e2e/screenshots';

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

test('a guest signs in, browses the demo catalog and opens a service', async ({
  page,
}) => {
  await page.goto('/');

  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // Demo services arrive once the catalog has processed catalog/*.yaml.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'checkout-service' }),
    ).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
  await page.screenshot({ path: `${screenshots}/catalog.png`, fullPage: true });

  await page.getByRole('link', { name: 'checkout-service' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/checkout-service/,
  );
  await expect(
    page.getByRole('heading', { name: 'checkout-service' }),
  ).toBeVisible();
  await expect(page.getByText('About')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/service.png`, fullPage: true });
});
