import { defineConfig } from '@playwright/test';

// Browsers cannot be downloaded on our machines: Playwright drives Debian's Chromium.
const executablePath = process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  outputDir: '.artifacts/e2e/results',
  webServer: {
    command: './scripts/portal start',
    url: 'http://localhost:3000',
    // The first start compiles the frontend; later starts reuse the cache.
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    // Ctrl-C, as a person would stop it, so the dev servers shut down cleanly.
    gracefulShutdown: { signal: 'SIGINT', timeout: 20_000 },
  },
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
