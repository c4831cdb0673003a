// The public HTTP API (/openapi.json): tokens, refresh, one error shape.

const TOKENS = 'passerelle.tokens';
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function tokens() {
  try {
    return JSON.parse(localStorage.getItem(TOKENS)) || null;
  } catch {
    return null;
  }
}

function store(pair) {
  if (pair) localStorage.setItem(TOKENS, JSON.stringify(pair));
  else localStorage.removeItem(TOKENS);
}

export const loggedIn = () => tokens() !== null;

async function raw(method, path, { body, form, accept, auth = true } = {}) {
  const headers = { Accept: accept || 'application/json' };
  const lang = document.documentElement.lang;
  if (lang) headers['Accept-Language'] = lang;
  const pair = tokens();
  if (auth && pair) headers.Authorization = `Bearer ${pair.access_token}`;
  let payload;
  if (form) {
    payload = new URLSearchParams(form);
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return fetch(path, { method, headers, body: payload });
}

let refreshing = null;

async function refresh() {
  const pair = tokens();
  if (!pair) return false;
  refreshing ??= raw('POST', `${API}/auth/refresh`, {
    body: { refresh_token: pair.refresh_token },
    auth: false,
  }).then(async (response) => {
    if (!response.ok) {
      store(null);
      return false;
    }
    store(await response.json());
    return true;
  }).finally(() => { refreshing = null; });
  return refreshing;
}

async function failure(response) {
  let error = {};
  try {
    error = (await response.json()).error || {};
  } catch { /* not JSON */ }
  return new ApiError(response.status, error.code || `http_${response.status}`,
    error.message || response.statusText, error.details);
}

/** The response of a call, refreshing the access token once on a 401. */
export async function call(method, path, options = {}) {
  let response = await raw(method, path, options);
  if (response.status === 401 && options.auth !== false && (await refresh())) {
    response = await raw(method, path, options);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

/** The JSON answer of a call (null for 204). */
export async function request(method, path, options = {}) {
  const response = await call(method, path, options);
  return response.status === 204 ? null : response.json();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, { body });
export const put = (path, body) => request('PUT', path, { body });
export const del = (path) => request('DELETE', path);

export async function login(email, password) {
  const pair = await request('POST', `${API}/auth/token`, {
    form: { username: email, password },
    auth: false,
  });
  store(pair);
  return me();
}

export async function logout() {
  const pair = tokens();
  store(null);
  sessionStorage.clear();
  if (pair) {
    try {
      await raw('POST', `${API}/auth/logout`, { body: { refresh_token: pair.refresh_token } });
    } catch { /* logged out locally anyway */ }
  }
}

/** The logged-in user. */
export const me = () => get(`${API}/users/me`);

export const query = (params) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : '';
};
