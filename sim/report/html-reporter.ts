import type { AtomicDir } from '../platform/atomic-dir.ts'
import { renderRunHtml } from './html/run-html.ts'
import type { Reporter } from './reporter.ts'

/** report.html, rendered from the files the files reporter wrote before it (so it reads what a user would). */
export class HtmlReporter implements Reporter {
  async onRunEnd(_r: unknown, dir: AtomicDir): Promise<void> {
    dir.write('report.html', await renderRunHtml(dir.partial))
  }
}
