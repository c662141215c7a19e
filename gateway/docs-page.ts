/**
 * A readable API reference rendered on the server from the OpenAPI document:
 * no script and no CDN, so it works inside a closed provincial network.
 */
type Doc = {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, { summary?: string; tags?: string[]; requestBody?: unknown; responses?: Record<string, { description?: string }> }>>;
  components?: { schemas?: Record<string, unknown> };
};

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function renderDocsPage(doc: Doc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      const responses = Object.entries(op.responses ?? {})
        .map(([code, r]) => `<li><code>${esc(code)}</code> ${esc(r.description ?? '')}</li>`)
        .join('');
      const body = op.requestBody
        ? `<details><summary>request body</summary><pre>${esc(JSON.stringify(op.requestBody, null, 2))}</pre></details>`
        : '';
      const html = `<section><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
        <p>${esc(op.summary ?? '')}</p>${body}<ul>${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, s]) => `<details id="${esc(name)}"><summary>${esc(name)}</summary><pre>${esc(JSON.stringify(s, null, 2))}</pre></details>`)
    .join('');
  const sections = [...byTag].map(([tag, items]) => `<h2>${esc(tag)}</h2>${items.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.3rem 0}h3{margin:.6rem 0 .2rem;font-size:1rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:12px}
.m{display:inline-block;min-width:4rem;font-size:.8rem;color:#fff;border-radius:3px;text-align:center;padding:1px 4px}
.get{background:#2b7}.post{background:#27c}.put{background:#c82}.delete{background:#c33}</style></head>
<body><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description ?? '')} Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
${sections}<h2>schemas</h2>${schemas}</body></html>`;
}
