import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** The frontend dev server answers before the backend is ready. */
export async function waitForBackend(request: APIRequestContext) {
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
}

/**
 * Signs in as the platform team's demo member and returns the sidebar.
 * Guest's button says "Enter"; the demo's is the only "Sign In". Sign-in needs
 * the demo User in the catalog, which a fresh start is still reading from
 * catalog/*.yaml: until then it fails and can be tried again.
 */
export async function signInAsPlatformTeam(
  page: Page,
  options: { beforeSignIn?: () => Promise<unknown> } = {},
) {
  await page.goto('/');
  await expect(page.getByText('Platform team (demo)')).toBeVisible();
  await options.beforeSignIn?.();
  const signIn = page.getByRole('button', { name: 'Sign In' });
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(async () => {
    if (await signIn.isVisible()) await signIn.click();
    await expect(nav.getByRole('link', { name: 'Platform value' })).toBeVisible(
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 120_000 });
  return nav;
}
