// The new-study form.
import type { Locator, Page } from 'playwright-core'
import { SearchSpaceEditorPage } from './SearchSpaceEditorPage.ts'

export class NewStudyPage {
  readonly space: SearchSpaceEditorPage
  constructor(readonly page: Page) {
    this.space = new SearchSpaceEditorPage(page)
  }
  async open(baseUrl: string, template?: string): Promise<void> {
    await this.page.goto(`${baseUrl}#/new${template ? `?template=${template}` : ''}`)
    await this.page.locator('.template-card').first().waitFor()
  }
  async pickTemplate(id: string): Promise<void> {
    await this.page.locator(`[data-template="${id}"]`).click()
  }
  input(label: string): Locator {
    return this.page.getByLabel(label, { exact: true })
  }
  problems(): Locator {
    return this.page.locator('.form-footer .muted.small')
  }
  async create(): Promise<void> {
    await this.page.locator('.form-footer').getByRole('button', { name: 'Create study' }).click()
  }
}
