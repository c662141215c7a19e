/**
 * The layering of docs/architecture.md, checked by `npm test` (depcruise) and by
 * tests/architecture.test.ts (the dependency-cruiser API), so a wrong-way import or
 * an import cycle fails the tests with the file and the rule named.
 *
 * Test files (`*.test.ts`) and tests/ may reach across layers to set things up;
 * the rules apply to the code that ships.
 */
const notTest = '(\\.test\\.ts$|^tests/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-core',
      comment: 'core/ is the domain: it imports only core/, zod and node builtins (its ports are implemented elsewhere).',
      severity: 'error',
      from: { path: '^core/', pathNot: notTest },
      to: { pathNot: ['^core/', '^node_modules/zod/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'gateway-speaks-http-and-calls-core',
      comment: 'gateway/ imports core/ and HTTP libraries, never store/, queue/, adapters/, mappings/ or runtime/.',
      severity: 'error',
      from: { path: '^gateway/', pathNot: notTest },
      to: { path: '^(store|queue|adapters|mappings|runtime|bin)/' },
    },
    {
      name: 'adapters-below-the-application',
      comment: 'adapters/ implement core ports; they never import gateway/, store/, queue/ or runtime/.',
      severity: 'error',
      from: { path: '^adapters/', pathNot: notTest },
      to: { path: '^(gateway|store|queue|runtime|bin)/' },
    },
    {
      name: 'store-below-the-application',
      comment: 'store/ implements core repository ports; it never imports gateway/, adapters/, queue/, mappings/ or runtime/.',
      severity: 'error',
      from: { path: '^store/', pathNot: notTest },
      to: { path: '^(gateway|adapters|queue|mappings|runtime|bin)/' },
    },
    {
      name: 'mappings-below-the-application',
      comment: 'mappings/ evaluates JSONata for core; it never imports gateway/, store/, queue/, adapters/ or runtime/.',
      severity: 'error',
      from: { path: '^mappings/', pathNot: notTest },
      to: { path: '^(gateway|store|queue|adapters|runtime|bin)/' },
    },
    {
      name: 'queue-is-thin',
      comment: 'queue/ holds thin BullMQ workers and schedulers that call core use-cases through core ports; it never imports gateway/, store/, adapters/, mappings/ or runtime/.',
      severity: 'error',
      from: { path: '^queue/', pathNot: notTest },
      to: { path: '^(gateway|store|adapters|mappings|runtime|bin)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycle between files (import type included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'No import cycle between folders either (a folder that imports another that imports it back).',
      severity: 'error',
      scope: 'folder',
      from: { pathNot: notTest },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)(node_modules|dist|data)/', notTest] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
