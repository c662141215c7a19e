import { html } from 'hono/html';
import type { PublicProcedure } from '../../core/use-cases/procedures.js';

const UNITS: Record<string, string> = { working_days: 'ngày làm việc', working_hours: 'giờ làm việc', days: 'ngày' };
const money = new Intl.NumberFormat('vi-VN');
const number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

const processing = (t: PublicProcedure['processingTime']) => `${number.format(t.value)} ${UNITS[t.unit] ?? t.unit}`;

function fees(p: PublicProcedure) {
  if (p.fees.length === 0) return html`Không thu phí, lệ phí`;
  return html`<ul>${p.fees.map((f) => html`<li>${f.name}: ${f.amount === 0 ? 'miễn phí' : `${money.format(f.amount)} đồng`}</li>`)}</ul>`;
}

const STYLE = `
body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header{background:#b3261e;color:#fff;padding:1rem 1.5rem}
header h1{margin:0;font-size:1.4rem}
main{padding:1rem 1.5rem}
table{border-collapse:collapse;width:100%;background:#fff}
caption{text-align:left;padding:.5rem 0;font-weight:600}
th,td{border:1px solid #ccc;padding:.5rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}
ul{margin:0;padding-left:1.1rem}
footer{padding:1rem 1.5rem;color:#555;font-size:.9rem}`;

/**
 * Trang công khai: the catalog as the center publishes it (Vietnamese,
 * server-rendered, no script, no external asset). Values are escaped.
 */
export function renderPublicPage(items: PublicProcedure[]) {
  const sorted = [...items].sort((a, b) => (a.sector ?? '').localeCompare(b.sector ?? '', 'vi') || a.code.localeCompare(b.code));
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Danh mục thủ tục hành chính</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Danh mục thủ tục hành chính</h1></header>
<main>
<p>Thủ tục hành chính tiếp nhận tại Trung tâm Phục vụ hành chính công: cơ quan có thẩm quyền giải quyết, thời hạn giải quyết và phí, lệ phí.</p>
${sorted.length === 0
    ? html`<p>Chưa có thủ tục nào được công bố.</p>`
    : html`<table>
<caption>${sorted.length} thủ tục</caption>
<thead><tr><th scope="col">Mã thủ tục</th><th scope="col">Tên thủ tục</th><th scope="col">Lĩnh vực</th><th scope="col">Cơ quan giải quyết</th><th scope="col">Thời hạn giải quyết</th><th scope="col">Phí, lệ phí</th></tr></thead>
<tbody>
${sorted.map(
  (p) => html`<tr><td>${p.code}</td><td>${p.name}</td><td>${p.sector ?? ''}</td><td>${p.department?.name ?? 'Chưa phân công'}</td><td>${processing(p.processingTime)}</td><td>${fees(p)}</td></tr>
`,
)}</tbody>
</table>`}
</main>
<footer>Thời hạn tính theo ngày làm việc (trừ thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết) trừ khi ghi “ngày”.</footer>
</body>
</html>`;
}
