// Every element registers itself with `Class.define('tag')` (a guarded define), which the analyzer
// cannot see; this plugin reads those calls and marks the classes as custom elements.
function guardedDefinePlugin() {
  const defines = new Map(); // class name -> { tag, path }
  return {
    name: 'tp-guarded-define',
    analyzePhase({ ts, node, moduleDoc }) {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.getText() === 'define' &&
        ts.isIdentifier(node.expression.expression) &&
        node.arguments.length === 1 &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        const className = node.expression.expression.getText();
        const tag = node.arguments[0].text;
        defines.set(className, { tag, path: moduleDoc.path });
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      for (const mod of modules) {
        for (const declaration of mod.declarations ?? []) {
          const found = defines.get(declaration.name);
          if (declaration.kind !== 'class' || !found) continue;
          declaration.customElement = true;
          declaration.tagName = found.tag;
          const defining = modules.find((m) => m.path === found.path);
          defining.exports ??= [];
          if (!defining.exports.some((e) => e.kind === 'custom-element-definition' && e.name === found.tag)) {
            defining.exports.push({
              kind: 'custom-element-definition',
              name: found.tag,
              declaration: { name: declaration.name, module: mod.path },
            });
          }
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [guardedDefinePlugin()],
};
