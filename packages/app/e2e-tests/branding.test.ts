import { test, expect } from '@playwright/test';

const screenshots = '.artifacts/e2e/screenshots';

// app.title in app-config.yaml.
const TITLE = 'Platform Portal';

test("the browser shows the portal's own name, description and icons", async ({
  page,
  request,
}) => {
  const html = await (await request.get('/')).text();
  expect(html).toContain(`<title>${TITLE}</title>`);
  await page.goto('/');
  // Pages then name themselves before the portal: "Catalog | Platform Portal".
  await expect(page).toHaveTitle(new RegExp(`${TITLE}$`));
  await expect(page.locator('meta[name="description"]')).toHaveAttribute(
    'content',
    /developer portal/,
  );

  const manifest = await (await request.get('/manifest.json')).json();
  expect(manifest.name).toBe(TITLE);
  const icons = [
    ...(await page
      .locator('link[rel="icon"], link[rel="apple-touch-icon"]')
      .evaluateAll(links => links.map(l => l.getAttribute('href')!))),
    ...manifest.icons.map((icon: { src: string }) => `/${icon.src}`),
  ];
  expect(icons.length).toBeGreaterThanOrEqual(5);
  for (const href of icons) {
    const res = await request.get(href);
    expect(res.status(), href).toBe(200);
    expect(res.headers()['content-type'], href).toMatch(/^image\//);
  }

  await page.getByRole('button', { name: 'Enter' }).click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  // The sidebar starts open: the logo link shows the mark and the name.
  const logo = nav.getByRole('link', { name: 'Home' });
  await expect(logo).toContainText(TITLE);
  await expect(logo.locator('img')).toHaveJSProperty('complete', true);
  expect(
    await logo
      .locator('img')
      .evaluate(img => (img as HTMLImageElement).naturalWidth),
  ).toBeGreaterThan(0);
  await page.screenshot({ path: `${screenshots}/sidebar-logo.png` });
});
