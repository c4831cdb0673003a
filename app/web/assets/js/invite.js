// `/invite/{token}`: a guardian accepts an invitation and sets a password (or links an
// existing guardian account), then lands on the family page.

import { API, loggedIn, login, me, request } from './api.js';
import { $, clear, h, onSubmit } from './dom.js';
import { t } from './i18n.js';
import { startPage } from './shell.js';

const token = window.location.pathname.split('/').filter(Boolean)[1] || '';
const acceptPath = `${API}/guardian-invites/${encodeURIComponent(token)}/accept`;

function explain(error) {
  const known = ['invite_used', 'invite_expired', 'invite_revoked', 'not_found'];
  return new Error(known.includes(error.code) ? t(`invite.${error.code}`) : error.message);
}

async function linkExisting(user) {
  const form = $('#invite-form');
  form.hidden = true;
  $('#have-account').hidden = true;
  const button = h('button', { type: 'button', id: 'link-account' }, t('invite.link_account', { name: user.display_name }));
  const error = h('p', { class: 'form-error', role: 'alert' });
  button.addEventListener('click', async () => {
    try {
      await request('POST', acceptPath, { body: {} });
      window.location.assign('/family');
    } catch (err) {
      error.textContent = explain(err).message;
    }
  });
  form.after(h('div', {}, button, error));
}

async function main() {
  await startPage();
  $('#have-account').href = `/?next=${encodeURIComponent(window.location.pathname)}`;
  if (loggedIn()) {
    try {
      const user = await me();
      if (user.role === 'guardian') {
        await linkExisting(user);
        return;
      }
    } catch { /* not logged in after all */ }
  }
  onSubmit($('#invite-form'), async (data) => {
    if (data.get('password') !== data.get('password2')) throw new Error(t('invite.passwords_differ'));
    try {
      await request('POST', acceptPath, {
        body: { display_name: data.get('display_name'), password: data.get('password') },
        auth: false,
      });
    } catch (error) {
      throw explain(error);
    }
    try {
      await login(data.get('email'), data.get('password'));
    } catch {
      clear($('#invite-form'), h('p', { role: 'alert' }, t('invite.created_login')),
        h('a', { class: 'button', href: '/?next=/family' }, t('index.login')));
      return;
    }
    window.location.assign('/family');
  });
}

main();
