// The trial comparison: the virtualized table, the side-by-side diff, the plots and the export panel.
import type { Download, Locator, Page } from 'playwright-core'

export class TrialComparisonPage {
  constructor(readonly page: Page) {}

  root(): Locator {
    return this.page.locator('.trial-comparison')
  }
  async waitReady(): Promise<void> {
    await this.page.locator('.trial-comparison[data-ready="true"]').waitFor({ timeout: 30_000 })
  }
  rows(): Locator {
    return this.page.locator('.trial-table tbody tr[data-trial]')
  }
  /** Click, then Ctrl-click the others: the table's multi-selection. */
  async selectRows(indices: number[]): Promise<number[]> {
    const numbers: number[] = []
    for (const [k, i] of indices.entries()) {
      const row = this.rows().nth(i)
      numbers.push(Number(await row.getAttribute('data-trial')))
      await row
        .locator('td')
        .nth(3)
        .click({ modifiers: k === 0 ? [] : ['Control'] })
    }
    return numbers
  }
  async compare(): Promise<void> {
    await this.page.locator('[data-action="compare"]').click()
    await this.page.locator('[data-section="comparison"]').waitFor()
  }
  diffColumns(): Locator {
    return this.page.locator('.param-diff thead th[data-trial]')
  }
  differingRows(): Locator {
    return this.page.locator('.param-diff tr.differs')
  }
  async exportAs(
    scope: 'all trials' | 'selected',
    format: 'json' | 'yaml' | 'csv',
  ): Promise<Download> {
    const panel = this.page.locator('.export-panel')
    if (scope === 'all trials') await panel.getByLabel('all trials').check()
    else await panel.locator('input[type=radio][value=selected]').check()
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      panel.locator(`[data-export="${format}"]`).click(),
    ])
    return download
  }
  snippetTab(id: string): Locator {
    return this.page.locator(`.export-panel [data-snippet="${id}"]`)
  }
  snippetCode(): Locator {
    return this.page.locator('.export-panel pre code')
  }
}
