// Building the DOM without innerHTML: user text is always a text node.

/** h('li', {class: 'x', onclick: f, 'aria-label': '...'}, child, 'text', [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** An announcement in the page's status line (a live region, read by screen readers). */
export function announce(text, kind = 'info') {
  const line = document.getElementById('notice');
  if (!line) return;
  line.textContent = text;
  line.dataset.kind = kind;
}

/** Replaces a form's submit handler; the handler's errors are shown in the form. */
export function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = form.querySelector('.form-error');
    if (error) error.textContent = '';
    const button = form.querySelector('[type=submit]');
    if (button) button.disabled = true;
    try {
      await handler(new FormData(form));
    } catch (err) {
      if (error) error.textContent = err.message || String(err);
      else announce(err.message || String(err), 'error');
    } finally {
      if (button) button.disabled = false;
    }
  });
}
