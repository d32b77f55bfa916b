// The settings form.
import type { Locator, Page } from 'playwright-core'

export class SettingsPage {
  constructor(readonly page: Page) {}
  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}#/settings`)
    await this.page.locator('.settings-form').waitFor()
  }
  input(label: string): Locator {
    return this.page.getByLabel(label, { exact: true })
  }
  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save' }).click()
    await this.page.getByRole('status').waitFor()
  }
}
