// The search-space editor inside the new-study form: rows, the text view, the preview.
import type { Locator, Page } from 'playwright-core'

export class SearchSpaceEditorPage {
  constructor(readonly page: Page) {}

  row(param: string): Locator {
    return this.page.locator(`.space-editor tr[data-param="${param}"]`)
  }
  field(param: string, field: 'low' | 'high' | 'step' | 'name' | 'type' | 'choices'): Locator {
    const label = {
      low: 'low of',
      high: 'high of',
      step: 'step of',
      name: 'name of',
      type: 'type of',
      choices: 'choices of',
    }[field]
    return this.page.getByLabel(`${label} ${param}`, { exact: true })
  }
  logBox(param: string): Locator {
    return this.page.getByLabel(`log scale for ${param}`, { exact: true })
  }
  /** Messages shown under a parameter's row. */
  rowErrors(): Locator {
    return this.page.locator('.space-editor tr.row-error')
  }
  text(): Locator {
    return this.page.getByLabel('Search space as text')
  }
  async useJson(): Promise<void> {
    await this.page.locator('.text-view').getByLabel('JSON').check()
  }
  async preview(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Preview 20 configurations' }).click()
    const table = this.page.getByRole('table', { name: 'Sampled configurations' })
    await table.waitFor()
    return table
  }
}
