// The HTML side of the local Clink's pages (hosted checkout, return, inspector, refusals): text
// escaping, amounts as people read them, and the page shell. Pure; the HTTP side is http.mjs.

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => (
    { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]
  ));
}

/** "$19.99" for (1999, 'USD'); minor units follow the currency (JPY has none). */
export function formatAmount(amount, currency) {
  try {
    const nf = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return nf.format(amount / 10 ** nf.resolvedOptions().maximumFractionDigits);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}

/**
 * A whole page: `body` is HTML already escaped by the caller; `script` and `stylesheet` are file
 * names under /assets/ (null for none); `stylesheet` may list several, applied in order.
 */
export function page(title, body, script, stylesheet = 'checkout.css') {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${[stylesheet ?? []].flat().map((sheet) => `<link rel="stylesheet" href="/assets/${sheet}">`).join('\n')}
${script ? `<script type="module" src="/assets/${script}"></script>` : ''}
</head>
<body>${body}
</body>
</html>
`;
}

/** A page of one heading and one paragraph, with no script or stylesheet (refusals, e.g. a wrong Host). */
export function textPage(title, text) {
  return page(title, `\n<main>\n<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>\n</main>`, null, null);
}
