/** @jsxImportSource hono/jsx */
import type { Child, FC } from 'hono/jsx';
import type { ConsoleProviders } from '../../core/console/providers.js';
import type { Principal } from '../../core/model/principal.js';
import { ROLE_NAMES } from './format.js';
import { may, type Action } from './permissions.js';

/** What every page's frame needs: who is signed in, where they are, their form token. */
export interface Frame {
  principal: Principal;
  path: string;
  csrf: string;
  providers: ConsoleProviders;
}

interface MenuItem {
  href: string;
  label: string;
  action: Action;
  when?: (p: ConsoleProviders) => boolean;
}

/** Every page's head: its title and the console's own style sheet (no CDN). */
const Head: FC<{ title: string }> = ({ title }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{`${title} · lienthong`}</title>
    <link rel="stylesheet" href="/console/assets/console.css" />
  </head>
);

/** The menu: a page whose data does not exist yet (its provider absent) is left out. */
const MENU: MenuItem[] = [
  { href: '/console', label: 'Tổng quan', action: 'readDossiers' },
  { href: '/console/dossiers', label: 'Hồ sơ', action: 'readDossiers' },
  { href: '/console/deliveries', label: 'Gửi lỗi', action: 'deliveries' },
  { href: '/console/departments', label: 'Đơn vị', action: 'department' },
  { href: '/console/portal', label: 'DVCQG', action: 'portal' },
  { href: '/console/alerts', label: 'Cảnh báo', action: 'followUp', when: (p) => Boolean(p.alerts) },
  { href: '/console/reports', label: 'Báo cáo', action: 'followUp', when: (p) => Boolean(p.reports) },
];

const current = (path: string, href: string) => (href === '/console' ? path === '/console' : path === href || path.startsWith(`${href}/`));

export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

export const Layout: FC<{ title: string; frame: Frame; children?: Child }> = ({ title, frame, children }) => {
  const p = frame.principal;
  const who = p.role === 'department' ? `${ROLE_NAMES[p.role]} ${p.departmentId}` : ROLE_NAMES[p.role];
  return (
    <html lang="vi">
      <Head title={title} />
      <body>
        <a class="skip" href="#noi-dung">Bỏ qua đến nội dung chính</a>
        <header class="top">
          <a class="brand" href="/console">lienthong · Bảng điều khiển</a>
          <nav aria-label="Trình đơn chính">
            <ul>
              {MENU.filter((m) => may(p, m.action) && (!m.when || m.when(frame.providers))).map((m) => (
                <li>
                  <a href={m.href} aria-current={current(frame.path, m.href) ? 'page' : undefined}>
                    {m.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <span>
              {p.name} ({who})
            </span>
            <form class="inline" method="post" action="/console/logout">
              <CsrfField token={frame.csrf} />
              <button type="submit">Đăng xuất</button>
            </form>
          </div>
        </header>
        <main id="noi-dung">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
};

/** A page without the menu (sign-in). */
export const Bare: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <html lang="vi">
    <Head title={title} />
    <body>
      <main id="noi-dung">{children}</main>
    </body>
  </html>
);
