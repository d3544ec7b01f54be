import { test, expect } from '@playwright/test';
import { signInAsPlatformTeam, waitForBackend } from './platformTeamSignIn';

const screenshots = '.artifacts/e2e/screenshots';

test.beforeAll(async ({ request }) => waitForBackend(request));

test("a newcomer signs in as the platform team's demo member and administers the metrics", async ({
  page,
}) => {
  const nav = await signInAsPlatformTeam(page, {
    beforeSignIn: () => page.screenshot({ path: `${screenshots}/sign-in.png` }),
  });

  await nav.getByRole('link', { name: 'Platform value' }).click();
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page).toHaveURL(/\/platform-value\/admin/);

  // The groups come from the catalog too; a reload signs in again.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('heading', { name: 'Survey campaigns' }),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
  await expect(
    page.getByRole('heading', { name: 'Baseline import' }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Ingestion setup' }),
  ).toBeVisible();
  await expect(page.getByText('Platform team only')).toHaveCount(0);
  await page.screenshot({
    path: `${screenshots}/platform-demo-admin.png`,
    fullPage: true,
  });
});
