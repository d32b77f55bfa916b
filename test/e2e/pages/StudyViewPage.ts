// One study: its header and controls, and its tabs (Overview, Trials, Analysis, Agent, Export).
import type { Download, Locator, Page } from 'playwright-core'

export type StudyTabName = 'Overview' | 'Trials' | 'Analysis' | 'Agent' | 'Export'

export class StudyViewPage {
  constructor(readonly page: Page) {}

  state(): Locator {
    return this.page.locator('.study-view h1 .badge')
  }
  /** The trial table of the Trials or the Analysis tab. */
  trialRows(): Locator {
    return this.page.locator('table.trials tbody tr[data-trial]')
  }
  /** "done / budget" in the header, on every tab. */
  trialsDone(): Locator {
    return this.page.locator('.study-view .header-progress')
  }
  async control(label: 'Start' | 'Resume' | 'Pause' | 'Stop'): Promise<void> {
    await this.page
      .locator('.study-view .toolbar')
      .getByRole('button', { name: label, exact: true })
      .click()
  }
  async doneCount(): Promise<number> {
    return Number((await this.trialsDone().innerText()).split('/')[0].trim())
  }
  /** Opens a tab and waits until its first data arrived. */
  async tab(name: StudyTabName): Promise<void> {
    await this.page.getByRole('tab', { name, exact: false }).first().click()
    await this.waitReady(name.toLowerCase())
  }
  async waitReady(tab?: string): Promise<void> {
    const sel = tab
      ? `.study-view[data-tab="${tab}"][data-ready="true"]`
      : '.study-view[data-ready="true"]'
    await this.page.locator(sel).waitFor({ timeout: 30_000 })
  }

  /** Click, then Ctrl-click the others: the table's multi-selection. Returns their trial numbers. */
  async selectRows(indices: number[]): Promise<number[]> {
    const numbers: number[] = []
    for (const [k, i] of indices.entries()) {
      const row = this.trialRows().nth(i)
      numbers.push(Number(await row.getAttribute('data-trial')))
      await row
        .locator('td')
        .nth(3)
        .click({ modifiers: k === 0 ? [] : ['Control'] })
    }
    return numbers
  }
  diffColumns(): Locator {
    return this.page.locator('.param-diff thead th[data-trial]')
  }
  differingRows(): Locator {
    return this.page.locator('.param-diff tr.differs')
  }
  /** Downloads an export from the Export tab. */
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
  /** The number a caption starts with ("12 trials …"). */
  async count(selector: string): Promise<number> {
    return Number((await this.page.locator(selector).first().innerText()).trim().split(/\s/)[0])
  }
}
