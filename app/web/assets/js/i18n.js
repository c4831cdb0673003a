// The six languages of the partners, chosen from the browser and switchable.

export const LANGUAGES = { en: 'English', fr: 'Français', it: 'Italiano', de: 'Deutsch', es: 'Español', fi: 'Suomi' };
const STORED = 'passerelle.lang';
const dictionaries = {};
const listeners = [];
let lang = 'en';

export const language = () => lang;

function pick() {
  const stored = localStorage.getItem(STORED);
  if (stored in LANGUAGES) return stored;
  for (const wanted of navigator.languages || [navigator.language]) {
    const code = String(wanted).slice(0, 2).toLowerCase();
    if (code in LANGUAGES) return code;
  }
  return 'en';
}

async function load(code) {
  if (!dictionaries[code]) {
    const response = await fetch(`/assets/i18n/${code}.json`);
    dictionaries[code] = response.ok ? await response.json() : {};
  }
  return dictionaries[code];
}

/** The text for `key` in the current language (English, then the key, as fallbacks). */
export function t(key, vars = {}) {
  const text = dictionaries[lang]?.[key] ?? dictionaries.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Translates the static markup: data-i18n (text) and data-i18n-<attribute>. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const attr of ['placeholder', 'aria-label', 'title']) {
    const data = `i18n${attr.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('')}`;
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) {
      el.setAttribute(attr, t(el.dataset[data]));
    }
  }
}

export async function setLanguage(code) {
  lang = code in LANGUAGES ? code : 'en';
  await Promise.all([load('en'), load(lang)]);
  document.documentElement.lang = lang;
  translate();
  for (const listener of listeners) listener(lang);
}

export async function chooseLanguage(code) {
  localStorage.setItem(STORED, code);
  await setLanguage(code);
}

/** `render` runs again whenever the language changes. */
export function onLanguageChange(render) {
  listeners.push(render);
}

export const initLanguage = () => setLanguage(pick());

/** Dates and times in the current language; `timeZone` defaults to the browser's. */
export function formatDateTime(iso, { timeZone, date = true, time = true } = {}) {
  const options = { timeZone };
  if (date) options.dateStyle = 'medium';
  if (time) options.timeStyle = 'short';
  return new Intl.DateTimeFormat(lang, options).format(new Date(iso));
}

export function formatTime(iso, timeZone) {
  return new Intl.DateTimeFormat(lang, { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone })
    .format(new Date(iso));
}

export const formatNumber = (n, digits = 1) =>
  new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(n);
