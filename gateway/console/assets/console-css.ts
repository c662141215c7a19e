/**
 * The console's one style sheet, served from the package at
 * /console/assets/console.css (no CDN). Colors keep WCAG AA contrast; focus
 * is always visible for keyboard users.
 */
export const CONSOLE_CSS = `
:root { --ink: #1b1f24; --muted: #4a5260; --line: #c9ced6; --bg: #f5f6f8; --brand: #0b4f9c; --brand-dark: #083a73;
  --ok: #1e6b34; --warn: #8a4b00; --bad: #a11d1d; --focus: #ffbf47; }
* { box-sizing: border-box; }
html { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; font-size: 15px; color: var(--ink); background: var(--bg); }
body { margin: 0; line-height: 1.45; }
a { color: var(--brand); }
a:hover { color: var(--brand-dark); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { background: var(--brand); color: #fff; display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .6rem 1.2rem; }
header.top .brand { font-weight: 700; font-size: 1.1rem; color: #fff; text-decoration: none; margin-right: 1rem; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .2rem; margin: 0; padding: 0; }
header.top nav a { color: #fff; text-decoration: none; padding: .35rem .6rem; border-radius: 4px; display: inline-block; }
header.top nav a[aria-current="page"], header.top nav a:hover { background: var(--brand-dark); }
header.top .who { margin-left: auto; display: flex; align-items: center; gap: .6rem; font-size: .9rem; }
header.top .who button { background: #fff; color: var(--brand-dark); border: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 1.2rem; }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
.card > h2:first-child, .card > figcaption:first-child { margin-top: 0; }
section.card, .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: .8rem; margin-bottom: 1rem; }
.stat { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; }
.stat .n { font-size: 1.8rem; font-weight: 700; display: block; }
.stat a { text-decoration: none; color: var(--ink); }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.t, button, .badge, tbody td a[href^="/console/dossiers/"] { white-space: nowrap; }
td.detail { min-width: 16rem; max-width: 32rem; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.2rem; margin: 0; }
dl.facts dt { color: var(--muted); font-weight: 600; }
dl.facts dd { margin: 0; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: .85rem; border: 1px solid currentColor; white-space: nowrap; }
.badge.ok { color: var(--ok); } .badge.warn { color: var(--warn); } .badge.bad { color: var(--bad); } .badge.info { color: var(--brand); }
form.inline { display: inline; }
form.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: flex-end; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem; margin-bottom: 1rem; }
form.filters .field, form.stack .field { display: flex; flex-direction: column; gap: .2rem; }
form.stack { display: flex; flex-direction: column; gap: .8rem; max-width: 640px; }
label { font-weight: 600; font-size: .9rem; }
input, select, textarea { font: inherit; padding: .4rem .5rem; border: 1px solid #6b7380; border-radius: 4px; background: #fff; color: var(--ink); }
/* JSON blocks in the body font: few monospace fonts carry Vietnamese letters (ấ, ỗ) and a fallback detaches their marks. */
textarea { font-family: inherit; font-size: .85rem; min-height: 10rem; width: 100%; }
button, .button { font: inherit; font-weight: 600; background: var(--brand); color: #fff; border: 1px solid var(--brand); border-radius: 4px; padding: .4rem .9rem; cursor: pointer; text-decoration: none; display: inline-block; }
button:hover, .button:hover { background: var(--brand-dark); color: #fff; }
button.secondary, .button.secondary { background: #fff; color: var(--brand-dark); }
.flash { padding: .7rem 1rem; border-radius: 6px; margin-bottom: 1rem; border: 1px solid; background: #fff; }
.flash.ok { border-color: var(--ok); color: var(--ok); } .flash.bad { border-color: var(--bad); color: var(--bad); }
.muted { color: var(--muted); }
pre { font-family: inherit; white-space: pre-wrap; background: #f0f2f5; border: 1px solid var(--line); border-radius: 4px; padding: .7rem; overflow: auto; font-size: .85rem; max-height: 28rem; }
figure { margin: 0; }
figure .chart { overflow-x: auto; }
figure .chart svg { width: 100%; height: auto; max-width: 960px; }
tbody th { background: #fff; font-weight: 600; }
figcaption { font-weight: 600; margin-bottom: .4rem; }
details summary { cursor: pointer; color: var(--brand); font-weight: 600; margin: .4rem 0; }
.pager { display: flex; gap: .8rem; margin-top: .8rem; }
.login { max-width: 420px; margin: 8vh auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.6rem; }
.login h1 { margin-top: 0; }
.login input { width: 100%; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono", Consolas, Menlo, monospace; font-size: .9em; }
`;
