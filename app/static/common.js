// Shared by the pages: the API client and safe DOM building (text only, never HTML).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// The secret of a private link, carried in the URL fragment: browsers never send the
// fragment to a server, so it is in no request line, log or Referer.
export function tokenFromHash() {
  const m = location.hash.match(/(?:^#|&)k=([0-9a-f]{64})(?:&|$)/);
  return m ? m[1] : null;
}

export async function api(method, path, { token, body } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (method !== "GET") headers["X-Living-Well"] = "1";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
    credentials: "omit",
  });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error || message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

export async function apiJson(method, path, options) {
  return (await api(method, path, options)).json();
}

// el("p", {class: "note"}, "text", child, ...): children are strings (as text) or nodes.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function replace(node, ...children) {
  node.replaceChildren(...children.flat().map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
}

export function fmt(x, digits = 2) {
  if (x === null || x === undefined) return "–";
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s.replace("-", "−");
}

export async function loadScoring() {
  const { load } = await import("/static/living_well.js");
  return load("/static/living_well.wasm");
}
