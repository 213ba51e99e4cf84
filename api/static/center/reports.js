/* Centre reports (/center/bao-cao, issue 14 item 11): the tables of GET /api/v1/reports for a month,
 * a quarter or a year; each table downloads as CSV or .xlsx, the page prints on A4 (reports.css).
 *
 * Safety rule of this file: every value from the api goes into the page as TEXT (textContent,
 * append(string)); nothing assigns innerHTML. The token is the dashboard's, in sessionStorage.
 */
"use strict";

(() => {
  const TIME_ZONE = "Asia/Ho_Chi_Minh";
  const $ = (id) => document.getElementById(id);
  const state = { query: null, seq: 0 };

  // shared helpers (api/static/shared/staff.js); the token is the dashboard's
  const { el, show } = window.Staff;
  const { token, api, download: save } = window.Staff.dashboardPage(
    "Báo cáo dành cho cán bộ thụ lý (reviewer) và quản trị viên.",
    { 503: "Kho hồ sơ tạm thời chưa sẵn sàng. Bạn vui lòng thử lại sau ít phút." },
  );

  // ---------- the form ----------

  function today() {
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, year: "numeric", month: "numeric" }).formatToParts(new Date());
    const get = (type) => Number(parts.find((p) => p.type === type).value);
    return { year: get("year"), month: get("month") };
  }

  function fillForm(meta) {
    const now = today();
    const months = [];
    for (let m = 1; m <= 12; m += 1) {
      const o = el("option", null, `Tháng ${m}`);
      o.value = String(m);
      months.push(o);
    }
    $("r-month").replaceChildren(...months);
    $("r-month").value = String(now.month);
    $("r-quarter").value = String(Math.floor((now.month - 1) / 3) + 1);
    $("r-year").value = String(now.year);
    for (const name of (meta && meta.provinces) || []) {
      const o = el("option", null, typeof name === "string" ? name : name.label);
      o.value = typeof name === "string" ? name : name.code || name.value;
      $("r-province").append(o);
    }
    togglePeriod();
  }

  function togglePeriod() {
    const period = $("r-period").value;
    $("r-month-box").hidden = period !== "month";
    $("r-quarter-box").hidden = period !== "quarter";
  }

  function readQuery() {
    const query = new URLSearchParams({ period: $("r-period").value, year: $("r-year").value.trim() });
    if (query.get("period") === "month") query.set("month", $("r-month").value);
    if (query.get("period") === "quarter") query.set("quarter", $("r-quarter").value);
    if ($("r-province").value) query.set("province", $("r-province").value);
    return query;
  }

  // ---------- the report ----------

  const percent = (share) => (100 * share).toLocaleString("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " %";

  function renderTable(table) {
    const head = el("tr", null, ...table.columns.map((name) => { const th = el("th", null, name); th.scope = "col"; return th; }));
    const body = table.rows.map((row) => el("tr", row.count ? null : "zero",
      ...row.cells.map((cell) => el("td", null, cell)),
      el("td", "num", String(row.count)), el("td", "num", percent(row.share))));
    if (!table.rows.length) {
      const td = el("td", "empty", "Không có hồ sơ.");
      td.colSpan = table.columns.length;
      body.push(el("tr", null, td));
    }
    const total = el("tr", "total", el("th", null, "Tổng số"));
    total.firstChild.scope = "row";
    for (let i = 0; i < table.columns.length - 3; i += 1) total.append(el("td"));
    total.append(el("td", "num", String(table.total)), el("td", "num", table.total ? "100,0 %" : "—"));
    const caption = el("caption", null, table.title);
    const grid = el("table", "report-table", caption, el("thead", null, head), el("tbody", null, ...body, total));
    const csv = el("button", "secondary", "Tải CSV");
    csv.type = "button";
    csv.addEventListener("click", () => download("csv", table.key, csv));
    const xlsx = el("button", "secondary", "Tải Excel (.xlsx)");
    xlsx.type = "button";
    xlsx.addEventListener("click", () => download("xlsx", table.key, xlsx));
    const section = el("section", "card report-card", el("div", "table-wrap", grid),
      table.note ? el("p", "muted note", table.note) : null, el("div", "actions no-print", csv, xlsx));
    section.dataset.table = table.key;
    csv.setAttribute("aria-label", `Tải CSV: ${table.title}`);
    xlsx.setAttribute("aria-label", `Tải Excel: ${table.title}`);
    return section;
  }

  async function showReport(event) {
    if (event) event.preventDefault();
    show($("error"), "");
    show($("notice"), "");
    const query = readQuery();
    const seq = ++state.seq;
    $("show-report").disabled = true;
    try {
      const report = await (await api("/api/v1/reports?" + query.toString())).json();
      if (seq !== state.seq) return;
      state.query = query;
      $("report-title").textContent = report.title;
      $("report-summary").textContent = `Tổng số: ${report.total} hồ sơ tiếp nhận trong kỳ (giờ Việt Nam).`;
      $("report-tables").replaceChildren(...report.tables.map(renderTable));
      const printed = new Intl.DateTimeFormat("vi-VN", { timeZone: TIME_ZONE, dateStyle: "short", timeStyle: "short" }).format(new Date());
      $("report-printed").textContent = `Lập lúc ${printed}.`;
      $("report").hidden = false;
      $("download-all").disabled = false;
      $("print-report").disabled = false;
      document.body.dataset.report = report.period;
    } catch (error) {
      if (seq === state.seq) show($("error"), error.message);
    } finally {
      $("show-report").disabled = false;
    }
  }

  /** Download a table (or every table, key null) as a file, through the api with the token. */
  async function download(format, key, button) {
    if (!state.query) return;
    const query = new URLSearchParams(state.query);
    if (key) query.set("table", key);
    await save(`/api/v1/reports.${format}?` + query.toString(), button, `bao-cao.${format}`);
  }

  async function start() {
    $("r-period").addEventListener("change", togglePeriod);
    $("report-form").addEventListener("submit", showReport);
    $("download-all").addEventListener("click", () => download("xlsx", null, $("download-all")));
    $("print-report").addEventListener("click", () => window.print());
    let meta = null;
    try {
      const response = await fetch("/center/meta.json", { cache: "no-store" });
      if (response.ok) meta = await response.json();
    } catch (error) { /* the provinces list stays empty: "Tất cả" still works */ }
    fillForm(meta);
    const signedIn = Boolean(token());
    $("signed-out").hidden = signedIn;
    $("report-form").hidden = !signedIn;
    document.body.dataset.ready = "true";
    if (signedIn) showReport();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
