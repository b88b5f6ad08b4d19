// Test pages built from the docs' own code blocks (no hand-kept copies): Clink's examples in
// docs/api.md, each in a page with the import map that resolves its bare specifier to the built
// package (served under /pkg/ by tests/support/servers.mjs), plus one line that reports to the test.
import { docBlock } from '../support/doc-blocks.mjs';

/** path → { title, body (markup before the scripts), scripts: [[file, block name, appended line]] } */
export const DOC_PAGES = {
  'doc-init.html': {
    title: 'Initialization',
    body: '',
    scripts: [
      ['docs/api.md', 'clink-init', 'window.__doc1 = { checkoutBaseUrl: clink.checkoutBaseUrl };'],
      ['docs/api.md', 'clink-init-base-url', 'window.__doc2 = { checkoutBaseUrl: clink.checkoutBaseUrl };'],
    ],
  },
  'doc-redirect.html': {
    title: 'Redirect Checkout',
    body: '<button id="checkout-button">Checkout</button>',
    scripts: [['docs/api.md', 'clink-redirect', 'window.__docReady = true;']],
  },
  'doc-errors.html': {
    title: 'Error Handling',
    body: '',
    scripts: [['docs/api.md', 'clink-errors', '']],
  },
  'doc-embedded.html': {
    title: 'Embedded Checkout',
    body: '<div id="clink-checkout"></div>',
    scripts: [['docs/api.md', 'clink-embedded', 'window.__embedded = embedded;']],
  },
};

/** The HTML of doc page `name` (e.g. 'doc-init.html'), read from the Markdown now; null if none. */
export function docPageHtml(name, { sdkUrl = '/pkg/index.js' } = {}) {
  const page = Object.hasOwn(DOC_PAGES, name) ? DOC_PAGES[name] : null;
  if (!page) return null;
  const scripts = page.scripts.map(([file, block, appended]) => {
    const { code } = docBlock(file, block);
    return `<!-- ${file}, block "${block}", as written${appended ? '; one line appended' : ''}. -->\n<script type="module">\n${code}${appended}\n</script>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Clink docs: ${page.title}</title>
<script type="importmap">${JSON.stringify({ imports: { '@clink-ai/clink-js': sdkUrl } })}</script>
</head>
<body>
${page.body}
${scripts.join('\n')}
</body>
</html>
`;
}
