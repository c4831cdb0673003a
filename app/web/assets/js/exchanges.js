// Exchanges as the console shows them, fetched once per page.

import { API, get } from './api.js';

const cache = new Map();

export function exchange(id) {
  if (!cache.has(id)) cache.set(id, get(`${API}/exchanges/${id}`).catch(() => null));
  return cache.get(id);
}

/** class id -> class name, for the classes of an exchange */
export async function classNames(exchangeId) {
  const found = await exchange(exchangeId);
  return Object.fromEntries((found?.classes || []).map((c) => [c.class_id, c.name]));
}
