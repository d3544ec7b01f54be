import { test, expect, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const screenshots = '.artifacts/e2e/screenshots/golden-path-upgrade';
/** The portal's local git host in development (goldenPath.localGit). */
const gitHost = path.resolve(__dirname, '../../../.data/git');
const git = async (args: string[], cwd?: string) =>
  (await promisify(execFile)('git', args, { cwd })).stdout;

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

async function enterAsGuest(page: Page) {
  // The survey prompt may cover the form's buttons; put it off.
  const surveyPrompt = page.getByRole('complementary', {
    name: 'Survey prompt',
  });
  await page.addLocatorHandler(surveyPrompt, () =>
    surveyPrompt.getByRole('button', { name: 'Later' }).click(),
  );
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the app shows; a page loaded before that asks again.
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

test('the page of a demo service created at 1.0.0 says 1.1.0 is available and what it changes', async ({
  page,
}) => {
  await enterAsGuest(page);
  await page.goto('/catalog/default/component/storefront-bff');
  await expect(
    page.getByRole('heading', { name: '1.1.0 available' }),
  ).toBeVisible();
  await expect(
    page.getByText('Production runs the image the pipeline built, by digest'),
  ).toBeVisible();
  const upgrade = page.getByRole('link', { name: 'Upgrade', exact: true });
  await expect(upgrade).toHaveAttribute(
    'href',
    /\/create\/templates\/default\/golden-path-upgrade\?formData=/,
  );
  await page.screenshot({
    path: `${screenshots}/available.png`,
    fullPage: true,
  });

  // A service on the latest version has nothing to upgrade.
  await page.goto('/catalog/default/component/notification-service');
  await expect(page.getByText('node-service 1.1.0: up to date.')).toBeVisible();
  await expect(
    page.getByLabel('Golden path version').getByRole('link', {
      name: 'Upgrade',
    }),
  ).toHaveCount(0);
});

test('an old service is upgraded from its page and the branch is in the task output', async ({
  page,
}) => {
  // Creating a service, making it record 1.0.0, the catalog reading that,
  // then the upgrade task (render twice, merge, push).
  test.setTimeout(600_000);
  const name = `upgrade-${Date.now().toString(36)}`;
  await enterAsGuest(page);
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });

  // 1. A node service on the portal git host, created through the form.
  await nav.getByRole('link', { name: 'Create' }).click();
  await page
    .locator('div')
    .filter({
      has: page.getByRole('heading', { name: 'TypeScript/Node.js service' }),
    })
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

  // 2. Its owners' commit makes it record 1.0.0, as a service created before
  // 1.1.0 does (the files the two versions share merge cleanly either way).
  const bare = path.join(gitHost, `${name}.git`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-e2e-'));
  try {
    await git(['clone', '--quiet', bare, work]);
    for (const file of ['.golden-path.yaml', 'catalog-info.yaml']) {
      const full = path.join(work, file);
      const text = fs.readFileSync(full, 'utf8');
      const older = text.replace(
        /^(\s*(?:version|acme\.example\/template-version): )['"]?1\.1\.0['"]?$/m,
        "$1'1.0.0'",
      );
      expect(older).not.toBe(text);
      fs.writeFileSync(full, older);
    }
    await git(
      [
        '-c',
        'user.name=E2E',
        '-c',
        'user.email=e2e@example.invalid',
        'commit',
        '--quiet',
        '--all',
        '-m',
        'Record golden path 1.0.0',
      ],
      work,
    );
    await git(['push', '--quiet', 'origin', 'HEAD'], work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  // The catalog reads the checkout next to the bare repository.
  await git(
    ['pull', '--quiet', '--ff-only'],
    path.join(gitHost, 'checkouts', name),
  );

  // 3. Its page says 1.1.0 is available once the catalog has read the change.
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}`);
    await expect(
      page.getByRole('heading', { name: '1.1.0 available' }),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 300_000, intervals: [5_000] });

  // 4. Upgrade from the page: the form has the service filled in.
  await page.getByRole('link', { name: 'Upgrade', exact: true }).click();
  await expect(page).toHaveURL(/golden-path-upgrade/);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // 5. The task output names the branch, and the branch is on the git host.
  const branch = 'golden-path/upgrade-to-1.1.0';
  await expect(page.getByText(branch).first()).toBeVisible({
    timeout: 240_000,
  });
  await page.screenshot({
    path: `${screenshots}/upgraded.png`,
    fullPage: true,
  });
  expect(await git(['--git-dir', bare, 'branch', '--list', branch])).toContain(
    branch,
  );
  const record = await git([
    '--git-dir',
    bare,
    'show',
    `${branch}:.golden-path.yaml`,
  ]);
  expect(record).toMatch(/^version: ['"]?1\.1\.0['"]?$/m);
});
