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

  /** The file name the server gave an answer (Content-Disposition), else *fallback*. */
  function fileName(response, fallback) {
    return (/filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "") || [])[1] || fallback;
  }

  /** Save *blob* as a download named *name* (a link clicked, its object URL freed later). */
  function saveFile(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  /**
   * The sign-in form of a staff page (#login-form, #token, #login-error), on submit: the token is
   * checked with *check(token)* (an api call that throws ApiError), kept in the tab's
   * sessionStorage under *tokenKey*, and *signedIn()* shows the page; else the error is shown.
   */
  async function signIn(event, { tokenKey, check, signedIn, refused }) {
    event.preventDefault();
    const input = document.getElementById("token");
    const problem = document.getElementById("login-error");
    const value = input.value.trim();
    show(problem, "");
    if (!value) { show(problem, "Bạn hãy nhập mã truy cập."); return; }
    const button = event.submitter || document.getElementById("login-form").querySelector("button");
    button.disabled = true;
    try {
      await check(value);
      sessionStorage.setItem(tokenKey, value);
      input.value = "";
      signedIn();
    } catch (error) {
      show(problem, error.message || refused);
    } finally {
      button.disabled = false;
    }
  }

  // The dashboard's sign-in (sessionStorage of the tab), also read by its reports and print pages.
  const CENTER_TOKEN_KEY = "tgpl-center-token";
  const CENTER_SIGNED_OUT = "Mã truy cập không hợp lệ hoặc đã hết hiệu lực. Bạn hãy đăng nhập lại ở trang Quản lý hồ sơ.";

  /**
   * For a page opened from the dashboard (reports, printable documents): `token()` of the
   * dashboard's sign-in; `api(path)`, a GET with it whose 403 says *roleMessage* (which role the
   * page needs, in plain words), *fallback* adding the page's own messages by status; and
   * `download(path, button, fallbackName)`, which saves the file of *path* and says so in the
   * page's #notice (or what went wrong in its #error), *button* disabled meanwhile.
   */
  function dashboardPage(roleMessage, fallback = {}) {
    const token = () => sessionStorage.getItem(CENTER_TOKEN_KEY);
    const messages = { 401: CENTER_SIGNED_OUT, ...fallback, 403: roleMessage };
    const api = (path) => request(path, { bearer: token(), accept: "*/*", fallback: messages, own: [403] });
    async function download(path, button, fallbackName) {
      button.disabled = true;
      try {
        const response = await api(path);
        const name = fileName(response, fallbackName);
        saveFile(await response.blob(), name);
        show(document.getElementById("notice"), `Đã tải tệp ${name}.`);
      } catch (error) {
        show(document.getElementById("error"), error.message);
      } finally {
        button.disabled = false;
      }
    }
    return { token, api, download };
  }

  return { OFFLINE, CENTER_TOKEN_KEY, el, show, ApiError, request, fileName, saveFile, signIn, dashboardPage };
})();
