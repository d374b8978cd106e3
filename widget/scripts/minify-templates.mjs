// esbuild plugin: collapses the indentation inside Lit's html`…` and css`…` templates (and drops
// CSS comments), which esbuild's minifier leaves alone. HTML and CSS treat a run of white space
// like one space, so what renders is unchanged; the widget's templates hold no <pre> or
// white-space: pre text of their own. Line breaks are kept, so source maps still point at the right
// line: in html`…` where they are; in a css`…` without ${…} they move to its end, because every
// rule and declaration would otherwise cost one (the first render has no bytes to spare, ADR 0008).
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

const TAGS = new Set(['html', 'css', 'svg']);

const squeeze = (text, isCss) => {
  const out = isCss ? text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, '')) : text;
  return out.replace(/\s+/g, (run) => run.replace(/[^\n]/g, '') || ' ');
};

/**
 * A whole css`…` (no ${…}) on one line: no white space around { } ; > or after :, no ; before },
 * other runs of white space become one space; quoted strings stay as they are.
 */
const squeezeCss = (text) => {
  const lines = (text.match(/\n/g) ?? []).length;
  const flat = squeeze(text, true)
    .split(/('[^']*'|"[^"]*")/)
    .map((piece, i) =>
      i % 2
        ? piece
        : piece
            .replace(/\s+/g, ' ')
            .replace(/ ?([{};>]) ?/g, '$1')
            .replace(/: /g, ':')
            .replace(/;}/g, '}'),
    )
    .join('')
    .trim();
  return flat + '\n'.repeat(lines);
};

export function minifyTemplates(source, fileName = 'file.ts') {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && TAGS.has(node.tag.text)) {
      const template = node.template;
      const isCss = node.tag.text === 'css';
      if (isCss && ts.isNoSubstitutionTemplateLiteral(template)) {
        edits.push({ start: template.getStart(file) + 1, end: template.end - 1, whole: true });
        ts.forEachChild(node, visit);
        return;
      }
      const parts = ts.isNoSubstitutionTemplateLiteral(template)
        ? [template]
        : [template.head, ...template.templateSpans.map((span) => span.literal)];
      for (const part of parts) {
        // The text between the delimiters: ` or } before, ` or ${ after.
        const closesTemplate = ts.isNoSubstitutionTemplateLiteral(part) || ts.isTemplateTail(part);
        edits.push({ start: part.getStart(file) + 1, end: part.end - (closesTemplate ? 1 : 2), isCss });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const { start, end, isCss, whole } of edits.sort((a, b) => b.start - a.start)) {
    const text = out.slice(start, end);
    out = out.slice(0, start) + (whole ? squeezeCss(text) : squeeze(text, isCss)) + out.slice(end);
  }
  return out;
}

export const minifyTemplatesPlugin = {
  name: 'tp-minify-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]widget[\\/]src[\\/].*\.ts$/ }, async (args) => ({
      contents: minifyTemplates(await readFile(args.path, 'utf8'), args.path),
      loader: 'ts',
    }));
  },
};
