// Lint rules that catch what the compiler does not: floating promises
// (a lost Kafka ack is a lost violation) and import cycles.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'out/**', 'node_modules/**', '.kafka/**', 'coverage/**', '*.js', '*.mjs', 'scripts/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['src/engine/**', 'src/detectors/**', 'src/enforcement/**', 'src/events/**'],
    rules: {
      // Dependencies point inward: the core never touches Kafka, Prometheus, tracing or files.
      'no-restricted-imports': ['error', { patterns: ['kafkajs', 'prom-client', '@opentelemetry/*', 'fs', 'node:fs', '*/kafka/*', '*/telemetry/*'] }],
    },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
);
