/* Printable documents of a case (/center/in#<code>, issue 14 item 12): the blocks of
 * GET /api/v1/cases/<code>/documents/<kind> drawn as an A4 sheet; "In" prints it (print.css),
 * "Tải PDF" downloads the server's PDF of the same document.
 *
 * Safety rule of this file: every value from the api goes into the page as TEXT (textContent,
 * append(string)); nothing assigns innerHTML. The token is the dashboard's, in sessionStorage.
 */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const state = { code: "", kind: "don-yeu-cau", seq: 0 };

  // shared helpers (api/static/shared/staff.js); the token is the dashboard's
  const { el, show } = window.Staff;
  const { token, api, download } = window.Staff.dashboardPage(
    "In giấy tờ của hồ sơ dành cho cán bộ thụ lý (reviewer) và quản trị viên.",
    { 404: "Không tìm thấy hồ sơ với mã này." },
  );

  // ---------- drawing the blocks ----------

  function field(block) {
    const value = block.blank ? el("span", "blank") : el("span", "value", block.value);
    return el("p", "field", el("span", "label", block.label + ":"), value);
  }

  function paragraph(block) {
    const parts = [];
    if (block.label) parts.push(el("p", "label bold", block.label + ":"));
    if (block.blank) for (let i = 0; i < block.lines; i += 1) parts.push(el("div", "write-line"));
    else parts.push(el("p", "text", block.text));
    return el("div", "paragraph", ...parts);
  }

  function checks(block) {
    const marks = block.items.map((option) => el("span", "check", (block.checked.includes(option) ? "☒ " : "☐ ") + option));
    return el("div", "checks-block", block.label ? el("p", "bold", block.label + ":") : null, el("p", "checks", ...marks));
  }

  function list(items, className) {
    return el("ul", className, ...items.map((item) => el("li", null, item)));
  }

  function signatures(block) {
    const column = (signer) => signer ? el("div", null, el("p", "bold", signer.title), el("p", "small", signer.hint), el("div", "space")) : el("div");
    return el("div", "signatures", column(block.left), column(block.right));
  }

  const DRAW = {
    center: (b) => el("p", "center" + (b.bold ? " bold" : ""), b.text),
    title: (b) => el("h2", "doc-title", b.text),
    line: (b) => el("p", null, b.text),
    heading: (b) => el("h2", null, b.text),
    field,
    paragraph,
    checks,
    papers: (b) => el("div", "papers", list(b.items), b.note ? el("p", "small", b.note) : null),
    events: (b) => (b.blank ? el("p", "small", "Chưa có.") : list(b.items, "small")),
    signatures,
    note: (b) => el("p", "note", b.text),
  };

  async function load() {
    const seq = ++state.seq;
    show($("error"), "");
    for (const button of document.querySelectorAll(".kind")) {
      const on = button.dataset.kind === state.kind;
      button.setAttribute("aria-pressed", String(on));
      button.classList.toggle("secondary", !on);
    }
    try {
      const doc = await (await api(`/api/v1/cases/${encodeURIComponent(state.code)}/documents/${state.kind}`)).json();
      if (seq !== state.seq) return;
      $("sheet").replaceChildren(...doc.blocks.map((block) => (DRAW[block.kind] || (() => null))(block)).filter(Boolean));
      $("sheet").hidden = false;
      $("sheet").dataset.kind = doc.kind;
      document.title = `${doc.title} — ${doc.code}`;
      document.body.dataset.loaded = doc.kind;
    } catch (error) {
      if (seq === state.seq) { $("sheet").hidden = true; show($("error"), error.message); }
    }
  }

  function downloadPdf() {
    return download(`/api/v1/cases/${encodeURIComponent(state.code)}/documents/${state.kind}.pdf`, $("pdf"), "ho-so.pdf");
  }

  function start() {
    let code = "";
    try { code = decodeURIComponent(location.hash.slice(1)).trim(); } catch (error) { /* malformed: none */ }
    state.code = code;
    $("case-code").textContent = code;
    if (code) $("back").href = "/center#ho-so/" + encodeURIComponent(code);
    for (const button of document.querySelectorAll(".kind")) {
      button.addEventListener("click", () => { state.kind = button.dataset.kind; load(); });
    }
    $("print").addEventListener("click", () => window.print());
    $("pdf").addEventListener("click", downloadPdf);
    window.addEventListener("hashchange", () => location.reload());
    document.body.dataset.ready = "true";
    if (!token()) { $("signed-out").hidden = false; return; }
    if (!code) { show($("error"), "Chưa chọn hồ sơ. Bạn hãy mở hồ sơ ở trang Quản lý hồ sơ rồi chọn “In”."); return; }
    $("toolbar").hidden = false;
    load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
