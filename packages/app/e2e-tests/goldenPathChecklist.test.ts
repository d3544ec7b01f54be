import { test, expect, type Page } from '@playwright/test';
import { signInAsPlatformTeam, waitForBackend } from './platformTeamSignIn';

const screenshots = '.artifacts/e2e/screenshots/golden-path-checklist';

test.beforeAll(async ({ request }) => waitForBackend(request));

/** The checklist row of one check, by its row header ("DNS", "Alerts · rules loaded"). */
const row = (page: Page, name: string) =>
  page
    .getByRole('grid', { name: 'Golden path checklist' })
    .getByRole('row', { name, exact: true });

test("a demo service's checklist shows its seeded history, and Check now runs the real probes", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsPlatformTeam(page);

  // The seeder writes a week of check history once the catalog has settled:
  // until then the card reads "Not verified yet" and "Not checked yet".
  await expect(async () => {
    await page.goto('/catalog/default/component/cart-service');
    await expect(page.getByText(/^Verified /)).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 180_000 });
  await expect(row(page, 'Docker image')).not.toContainText('Not checked yet');
  // No Prometheus or Loki in development: said, not passed.
  await expect(row(page, 'Alerts · Prometheus scrapes it')).toContainText(
    'Not configured',
  );
  await expect(row(page, 'Logs')).toContainText('Not configured');
  await page.screenshot({ path: `${screenshots}/seeded.png`, fullPage: true });

  // The platform team may run the checks now. The demo deployments reported
  // no image digest and the demo hostname does not exist, so the live result
  // differs from the seeded one, and says why.
  await page.getByRole('button', { name: 'Check now' }).click();
  await expect(row(page, 'Docker image')).toContainText('Failing', {
    timeout: 60_000,
  });
  await expect(row(page, 'Docker image')).toContainText('digest');
  await expect(row(page, 'DNS')).not.toContainText('Pass');
  // Verification is a moment in the past: a later failure does not undo it.
  await expect(page.getByText(/^Verified /)).toBeVisible();
  await page.screenshot({ path: `${screenshots}/checked.png`, fullPage: true });
});
