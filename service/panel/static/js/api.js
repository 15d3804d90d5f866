// Calls to the service's own API. The API key lives in this module's memory only: it is never
// written to localStorage, sessionStorage or a cookie, so closing the page forgets it.

let apiKey = null;

/** Thrown on a 401: the service wants an API key (or a different one). */
export class AuthRequiredError extends Error {}

/** A problem+json answer (or any non-2xx) with its status, detail and Retry-After. */
export class ProblemError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

export function setApiKey(key) {
  apiKey = key || null;
}

export function hasApiKey() {
  return apiKey !== null;
}

async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  if (response.status === 401) throw new AuthRequiredError("An API key is required.");
  let payload = {};
  try {
    payload = await response.json();
  } catch {
    payload = {};
  }
  if (!response.ok) {
    throw new ProblemError(response.status, payload, response.headers.get("Retry-After"));
  }
  return payload;
}

export const suggest = (body) => request("POST", "/v1/suggest", body);
export const submitFeedback = (body) => request("POST", "/v1/feedback", body);

export function searchCodes(system, query, limit = 10) {
  const params = new URLSearchParams({ system, q: query, limit: String(limit) });
  return request("GET", `/v1/codes?${params}`);
}

export function feedbackStats(modelVersion) {
  const params = new URLSearchParams({ model_version: modelVersion, code_limit: "15" });
  return request("GET", `/v1/feedback/stats?${params}`);
}

/** The lowercase hex SHA-256 of the note's UTF-8 bytes, as the feedback API expects. */
export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
