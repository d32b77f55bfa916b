// Layering: shared imports nothing platform-specific; main and worker never import each other;
// only main/electron and preload import electron; the renderer imports shared only.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

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
    files: ['src/shared/**'],
    rules: restrict([
      'electron',
      'node:*',
      'fs',
      'path',
      'child_process',
      '**/main/**',
      '**/worker/**',
      '**/renderer/**',
      '**/preload/**',
    ]),
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/electron/**'],
    rules: restrict(['electron', '**/worker/**', '**/renderer/**', '**/preload/**']),
  },
  { files: ['src/main/electron/**'], rules: restrict(['**/worker/**', '**/renderer/**']) },
  {
    files: ['src/worker/**'],
    rules: restrict(['electron', '**/main/**', '**/renderer/**', '**/preload/**']),
  },
  {
    files: ['src/preload/**'],
    rules: restrict(['**/main/**', '**/worker/**', '**/renderer/**', 'node:*']),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(['electron', 'node:*', '**/main/**', '**/worker/**', '**/preload/**']),
  },
)
