/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';

/**
 * A server-drawn SVG chart with its numbers as a text table beside it (for
 * screen readers, copying, and anyone who prefers figures).
 */
export const ChartFigure: FC<{ id: string; caption: string; svg: string; headers: string[]; rows: Array<Array<string | number>> }> = (props) => (
  <figure class="card" aria-labelledby={`${props.id}-cap`}>
    <figcaption id={`${props.id}-cap`}>{props.caption}</figcaption>
    <div class="chart" role="img" aria-label={`${props.caption} (số liệu ở bảng bên dưới)`} dangerouslySetInnerHTML={{ __html: props.svg }} />
    <details>
      <summary>Số liệu dạng bảng: {props.caption}</summary>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              {props.headers.map((h, i) => (
                <th scope="col" class={i > 0 ? 'num' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                {r.map((v, i) => (i === 0 ? <th scope="row">{v}</th> : <td class="num">{v}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  </figure>
);
