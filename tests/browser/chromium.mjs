// How the browser tests start Debian's chromium under Playwright (playwright-core, which
// brings no browser of its own): headless, as root (no sandbox), and without the background
// connections chromium makes at start, which this machine's closed network refuses. Shared
// by tests/browser/report.test.mjs and app/e2e/balcony.test.mjs.
export const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Options for `chromium.launchPersistentContext`: a projector-sized page, and `extra`.
export function launchOptions(extra = {}) {
  return {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    ...extra,
  };
}
