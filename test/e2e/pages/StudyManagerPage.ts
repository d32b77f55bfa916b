// The study list, as a user drives it.
import type { Locator, Page } from 'playwright-core'

export class StudyManagerPage {
  constructor(readonly page: Page) {}

  row(name: string): Locator {
    return this.page.locator(`tr[data-study="${name}"]`)
  }
  state(name: string): Locator {
    return this.row(name).locator('.badge')
  }
  emptyState(): Locator {
    return this.page.locator('.empty-state')
  }
  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}#/`)
    await this.page.locator('.study-manager').waitFor()
  }
  async action(
    name: string,
    label: 'Start' | 'Resume' | 'Pause' | 'Stop' | 'Duplicate' | 'Rename' | 'Delete',
  ): Promise<void> {
    await this.page.getByRole('button', { name: `${label} ${name}`, exact: true }).click()
  }
  async rename(name: string, to: string): Promise<void> {
    await this.action(name, 'Rename')
    const dialog = this.page.getByRole('dialog', { name: 'Rename study' })
    await dialog.getByRole('textbox').fill(to)
    await dialog.getByRole('button', { name: 'Rename' }).click()
  }
  async delete(name: string, confirm: boolean): Promise<void> {
    await this.action(name, 'Delete')
    const dialog = this.page.getByRole('dialog', { name: 'Delete study' })
    await dialog.getByRole('button', { name: confirm ? 'Delete' : 'Cancel' }).click()
  }
  async setNotesAndTags(name: string, notes: string, tags: string): Promise<void> {
    await this.row(name).locator('td').nth(1).click()
    await this.page.getByLabel('Notes', { exact: true }).fill(notes)
    await this.page.getByLabel('Tags', { exact: true }).fill(tags)
    await this.page.getByLabel('Tags', { exact: true }).press('Enter')
  }
}
