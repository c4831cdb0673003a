// What every page shares: language, the header's language switch and logout, login guard.

import { loggedIn, logout, me } from './api.js';
import { LANGUAGES, chooseLanguage, initLanguage, language } from './i18n.js';
import { $, h } from './dom.js';

function languageSwitch() {
  const select = $('#language');
  if (!select) return;
  select.replaceChildren(...Object.entries(LANGUAGES).map(
    ([code, name]) => h('option', { value: code, lang: code }, name),
  ));
  select.value = language();
  select.addEventListener('change', () => chooseLanguage(select.value));
}

function logoutButton() {
  const button = $('#logout');
  if (!button) return;
  button.hidden = !loggedIn();
  button.addEventListener('click', async () => {
    await logout();
    window.location.assign('/');
  });
}

/** Starts a page; with `roles`, the user must be logged in (else: the login, then back). */
export async function startPage({ roles } = {}) {
  await initLanguage();
  languageSwitch();
  logoutButton();
  if (!roles) return null;
  const back = `/?next=${encodeURIComponent(window.location.pathname + window.location.hash)}`;
  if (!loggedIn()) {
    window.location.replace(back);
    return new Promise(() => {});
  }
  try {
    const user = await me();
    const name = $('#who');
    if (name) name.textContent = user.display_name;
    if (roles.includes(user.role)) return user;
  } catch {
    window.location.replace(back);
    return new Promise(() => {});
  }
  window.location.replace('/');
  return new Promise(() => {});
}

/** Where a user starts after logging in. */
export function homeOf(user) {
  if (user.role === 'guardian') return '/family';
  if (user.role === 'learner') return null;
  return '/console';
}
