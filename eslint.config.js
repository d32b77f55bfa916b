// Layering: each process layer imports only what its allow-list in eslint/allowedImports.js names —
// shared nothing platform-specific, main and worker never each other, only main/electron and preload
// electron, the renderer shared only.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import { allowedImportsRule } from './eslint/allowedImports.js'

const root = path.dirname(fileURLToPath(import.meta.url))

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.scratch/**',
      'out/**',
      'dist/**',
      'bench/results/**',
      'test/e2e/screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.vue'],
    plugins: { layers: { rules: { 'allowed-imports': allowedImportsRule } } },
    rules: { 'layers/allowed-imports': ['error', { srcDir: path.join(root, 'src') }] },
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
)
