import { existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { chromium, type Browser, type Page } from 'playwright-core'

/**
 * The browser tier's Chromium: Debian's `chromium` (`npm run setup` installs it), driven by
 * playwright-core, which downloads no browser of its own. CHROMIUM_BIN picks another binary.
 * Where none is found the tier skips with the reason, except in CI (CI=true), where a missing
 * browser is a failure: the tier must run there.
 */
export const chromiumBin = (): string | null => {
  const env = process.env['CHROMIUM_BIN']
  if (env) return existsSync(env) ? env : null
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const p = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
      if (p) return p
    } catch {
      // not on the PATH
    }
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null
}

export const skipWithoutChromium = (): { skip: string } | Record<string, never> =>
  chromiumBin() !== null || process.env['CI'] ? {} : { skip: 'chromium not found (run `npm run setup`, or set CHROMIUM_BIN)' }

/** Headless, no sandbox (root in CI), nothing phoning home, a fresh profile. */
export const launch = async (): Promise<Browser> => {
  const bin = chromiumBin()
  if (bin === null) throw new Error('chromium not found: `npm run setup` installs it (Debian: apt-get install chromium), or set CHROMIUM_BIN')
  return chromium.launch({
    executablePath: bin,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/** What a page did wrong while loading: console errors, uncaught errors, and any request but the page's own file. */
export const watch = (page: Page, file: string): string[] => {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    if (r.url() !== `file://${file}`) problems.push(`request: ${r.url()}`)
  })
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`))
  return problems
}
