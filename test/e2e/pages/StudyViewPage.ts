// One study, live.
import type { Locator, Page } from 'playwright-core'

export class StudyViewPage {
  constructor(readonly page: Page) {}

  state(): Locator {
    return this.page.locator('.study-view h1 .badge')
  }
  trialRows(): Locator {
    return this.page.locator('table.trials tbody tr[data-trial]')
  }
  trialsDone(): Locator {
    return this.page.locator('.trials-done')
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
}
