// eslint-plugin-sf-plugin ships no types; the part test/ci/lint.test.ts uses.
declare module 'eslint-plugin-sf-plugin' {
  import type { ESLint, Linter } from 'eslint';

  const plugin: ESLint.Plugin & {
    configs: { recommended: { rules: Linter.RulesRecord }; library: { rules: Linter.RulesRecord } };
  };
  export default plugin;
}
