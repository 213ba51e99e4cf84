/* Helpers shared by the staff pages: the centre dashboard (/center), its reports and printable
 * documents, and the hotline console (/operator). Loaded before each page's own script, as
 * /center/static/staff.js or /operator/static/staff.js (api/routes/pages.py), under the same CSP.
 *
 * Safety rule of this file: values go into the page as TEXT (Node.append, textContent).
 * Nothing here ever assigns innerHTML. The bearer token is given by the page (its sessionStorage key).
 */
"use strict";

window.Staff = (() => {
  const OFFLINE = "Không kết nối được máy chủ. Bạn kiểm tra mạng rồi thử lại.";

  /** An element with a class and children; strings become text nodes (Node.append). */
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  /** Put *message* in *node* as text and show it; an empty message hides the node. */
  function show(node, message) {
    node.textContent = message || "";
    node.hidden = !message;
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  /** The server's Vietnamese `detail` of an error answer, or null. */
  async function detailOf(response) {
    let detail = null;
    try { detail = (await response.json()).detail; } catch (error) { /* not JSON */ }
    if (Array.isArray(detail)) detail = detail.map((d) => String(d.msg || "").replace(/^Value error, /, "")).join(" ");
    return typeof detail === "string" && detail ? detail : null;
  }

  /**
   * fetch() for the staff api: the bearer token, no cache, no referrer; JSON body. An error answer
   * throws ApiError with the server's message, else the page's *fallback* for that status (the
   * statuses in *own* always take the page's message: "what role this page needs", in plain words).
   * A network failure throws ApiError(0); an abort is re-thrown as it is. Returns the Response.
   */
  async function request(path, { method = "GET", body, bearer, signal, accept = "application/json", fallback = {}, own = [] } = {}) {
    const headers = { Accept: accept };
    if (bearer) headers.Authorization = "Bearer " + bearer;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method, headers, signal, cache: "no-store", credentials: "same-origin", referrerPolicy: "no-referrer",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (error && error.name === "AbortError") throw error;
      throw new ApiError(0, fallback[0] || OFFLINE);
    }
    if (!response.ok) {
      const status = response.status;
      const detail = own.includes(status) ? null : await detailOf(response);
      throw new ApiError(status, detail || fallback[status] || `Lỗi máy chủ (${status}). Bạn vui lòng thử lại.`);
    }
    return response;
  }

  return { OFFLINE, el, show, ApiError, request };
})();
