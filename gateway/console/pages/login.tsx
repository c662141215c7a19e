/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { Bare } from '../layout.js';

/** Đăng nhập: one field, the API key. */
export const LoginPage: FC<{ error?: string | undefined; notice?: string | undefined }> = ({ error, notice }) => (
  <Bare title="Đăng nhập">
    <div class="login">
      <h1>Đăng nhập bảng điều khiển</h1>
      <p class="muted">lienthong · Trung tâm Phục vụ hành chính công</p>
      {notice ? (
        <p class="flash ok" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="flash bad" role="alert" id="loi-dang-nhap">
          {error}
        </p>
      ) : null}
      <form class="stack" method="post" action="/console/login">
        <div class="field">
          <label for="key">Khóa API</label>
          <input id="key" name="key" type="password" autocomplete="current-password" required aria-describedby={error ? 'loi-dang-nhap' : undefined} />
        </div>
        <button type="submit">Đăng nhập</button>
      </form>
      <p class="muted">Khóa của vai trò DVCQG (portal) không đăng nhập được bảng điều khiển.</p>
    </div>
  </Bare>
);
