/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { Layout, type Frame } from '../layout.js';

/** A plain message page: not found, not allowed, or a feature not there yet. */
export const NoticePage: FC<{ frame: Frame; title: string; message: string }> = ({ frame, title, message }) => (
  <Layout title={title} frame={frame}>
    <section class="card">
      <p>{message}</p>
      <p>
        <a href="/console">Về trang Tổng quan</a>
      </p>
    </section>
  </Layout>
);
