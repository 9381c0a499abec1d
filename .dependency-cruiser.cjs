/** The import direction of DESIGN.md, checked: stats ← store, analysis ← server/cli; schema below all; web talks HTTP only. */
module.exports = {
  forbidden: [
    { name: 'stats-is-pure', severity: 'error', from: { path: '^packages/stats/src' }, to: { path: '^packages/(?!stats/)|^node:|^(fs|path|http|https|net|child_process|os)$' } },
    { name: 'schema-depends-on-nothing-of-ours', severity: 'error', from: { path: '^packages/schema/src' }, to: { path: '^packages/(?!schema/)' } },
    { name: 'store-below-server-and-cli', severity: 'error', from: { path: '^packages/store/src' }, to: { path: '^packages/(server|cli|demo|web|client)/' } },
    { name: 'analysis-below-server-and-cli', severity: 'error', from: { path: '^packages/analysis/src' }, to: { path: '^packages/(server|cli|store|demo|web|client)/' } },
    { name: 'server-not-cli', severity: 'error', from: { path: '^packages/server/src' }, to: { path: '^packages/(cli|web)/' } },
    { name: 'web-talks-http-only', severity: 'error', from: { path: '^packages/web/src' }, to: { path: '^packages/(?!web/)' } },
    { name: 'client-stands-alone', severity: 'error', from: { path: '^packages/client/src' }, to: { path: '^packages/(?!client/)' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['source', 'import', 'default'], mainFields: ['main', 'types'] },
  },
};
