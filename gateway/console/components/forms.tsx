/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { CsrfField } from '../layout.js';

/** A one-button form that POSTs to `action` with the session's CSRF token; works without JavaScript. */
export const ActionButton: FC<{ action: string; label: string; csrf: string; describedBy?: string; fields?: Record<string, string>; secondary?: boolean }> = (p) => (
  <form class="inline" method="post" action={p.action}>
    <CsrfField token={p.csrf} />
    {Object.entries(p.fields ?? {}).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    <button type="submit" class={p.secondary ? 'secondary' : undefined} aria-describedby={p.describedBy}>
      {p.label}
    </button>
  </form>
);

/** A success or failure note at the top of a page. */
export const Flash: FC<{ ok?: string | undefined; error?: string | undefined }> = ({ ok, error }) => (
  <>
    {ok ? (
      <p class="flash ok" role="status">
        {ok}
      </p>
    ) : null}
    {error ? (
      <p class="flash bad" role="alert">
        {error}
      </p>
    ) : null}
  </>
);

/** "Trang sau" link keeping the current filters. */
export const Pager: FC<{ base: string; params: Record<string, string | undefined>; next: string | number | null; first: boolean }> = (p) => {
  const qs = (extra: Record<string, string | undefined>) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...p.params, ...extra })) if (v) u.set(k, v);
    const s = u.toString();
    return s ? `${p.base}?${s}` : p.base;
  };
  return (
    <nav class="pager" aria-label="Phân trang">
      {!p.first ? <a href={qs({ cursor: undefined })}>« Trang đầu</a> : null}
      {p.next !== null ? <a href={qs({ cursor: String(p.next) })}>Trang sau »</a> : null}
    </nav>
  );
};
