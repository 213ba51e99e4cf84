/* Centre dashboard (/center): sign-in, case list, case detail and status changes, CSV, charts,
 * and for admins the audit log of personal-data reads (/api/v1/audit).
 *
 * Codes (topics, eligibility groups, channels, caller relations, genders, forms of legal aid,
 * outcomes) are shown with the labels of GET /api/v1/vocabulary (knowledge/vocabulary.py, the one
 * vocabulary of the system): this file keeps no list of its own — see vocabLabel().
 *
 * Safety rule of this file: every value that comes from the api is put into the page as TEXT
 * (textContent, append(string), createTextNode). Nothing here ever assigns innerHTML.
 * The token lives in sessionStorage only and is sent as "Authorization: Bearer …".
 */
"use strict";

(() => {
  const TOKEN_KEY = window.Staff.CENTER_TOKEN_KEY;  // also read by the reports and print pages
  const PAGE_SIZE = 20;
  const AUDIT_PAGE_SIZE = 50;
  const TIME_ZONE = "Asia/Ho_Chi_Minh";

  const ACTIONS = {
    created: "Tiếp nhận hồ sơ",
    resubmitted: "Có yêu cầu trùng được gửi (hồ sơ không thay đổi)",
    status_changed: "Chuyển trạng thái",
    updated: "Cập nhật thông tin",
    note: "Ghi chú",
  };
  const FIELD_LABELS = {
    assignee: "Người thực hiện",
    referred_to: "Chuyển đến",
    rejection_reason: "Lý do từ chối",
    outcome: "Mô tả kết quả",
    outcome_code: "Kết quả",
    full_name: "Họ và tên",
    phone: "Số điện thoại",
    province: "Tỉnh/thành phố",
    commune: "Xã/phường",
    eligibility_group: "Diện được trợ giúp",
    topic: "Lĩnh vực",
    description: "Nội dung yêu cầu",
    channel: "Kênh",
    status: "Trạng thái",
    caller_name: "Người gọi",
    caller_phone: "Số điện thoại người gọi",
    caller_relation: "Quan hệ của người gọi",
    beneficiary_gender: "Giới tính",
    beneficiary_birth_year: "Năm sinh",
    ethnicity: "Dân tộc",
    legal_aid_form: "Hình thức trợ giúp pháp lý",
    first_contact_at: "Liên hệ lần đầu",
    accepted_at: "Thụ lý",
  };
  // Case fields holding a code → the list of GET /api/v1/vocabulary that labels it.
  const CODED_FIELDS = {
    channel: "channels", topic: "topics", eligibility_group: "groups", caller_relation: "relations",
    beneficiary_gender: "genders", legal_aid_form: "legal_aid_forms", outcome_code: "outcomes",
  };
  // Report fields of the update form: element id → case field (issue 14, item 10).
  const REPORT_INPUTS = {
    "u-form": "legal_aid_form", "u-group": "eligibility_group", "u-topic": "topic", "u-gender": "beneficiary_gender",
    "u-birth-year": "beneficiary_birth_year", "u-commune": "commune", "u-ethnicity": "ethnicity",
  };
  const AUDIT_ACTIONS = { case_viewed: "Xem chi tiết hồ sơ", cases_exported: "Xuất tệp CSV" };
  const FILTER_LABELS = {
    status: "Trạng thái", province: "Tỉnh/thành phố", eligibility_group: "Diện", topic: "Lĩnh vực",
    phone: "Số điện thoại", created_from: "Từ ngày", created_to: "Đến ngày", q: "Tìm",
  };
  const REQUIRED_BOXES = { rejection_reason: "u-rejection", referred_to: "u-referred", outcome: "u-outcome" };
  const FILTER_FIELDS = ["status", "province", "eligibility_group", "topic", "created_from", "created_to", "q"];

  const $ = (id) => document.getElementById(id);
  const state = {
    meta: null, vocab: {}, statuses: new Map(), filters: {}, skip: 0, current: null, seq: 0, stats: null,
    me: null, audit: { filters: {}, skip: 0 },
  };

  const timeParts = new Intl.DateTimeFormat("en-GB", {
    timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  // ---------- small helpers (text only) ----------

  const { el, show, ApiError, saveFile } = window.Staff;  // shared helpers (api/static/shared/staff.js)

  /** "24/11/2026 09:05" in Vietnam time, whatever the browser's own zone and language. */
  function formatTime(value) {
    if (!value) return "—";
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return String(value);
    const part = Object.fromEntries(timeParts.formatToParts(date).map((p) => [p.type, p.value]));
    return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
  }

  /** The Vietnamese label of a code of the vocabulary list *list* ("topics", "groups"…). */
  function vocabLabel(list, code) {
    if (code === null || code === undefined || code === "") return null;
    const labels = state.vocab[list];
    return (labels && labels.get(code)) || String(code);
  }

  /** A case field's value as people read it: a code as its label, a time in Vietnam time. */
  function fieldText(field, value) {
    if (value === null || value === undefined || value === "") return null;
    if (CODED_FIELDS[field]) return vocabLabel(CODED_FIELDS[field], value);
    if (field.endsWith("_at")) return formatTime(value);
    return String(value);
  }

  function statusLabel(value) {
    const status = state.statuses.get(value);
    return status ? status.label : String(value || "—");
  }

  function badge(value, label) {
    const span = el("span", "badge", label || statusLabel(value));
    if (state.statuses.has(value)) span.classList.add("s-" + value);
    return span;
  }

  function notify(message) { show($("notice"), message); }
  function fail(message) { show($("error"), message); }
  function clearMessages() { notify(""); fail(""); }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  // ---------- api ----------

  const FALLBACK = {
    401: "Mã truy cập không hợp lệ hoặc đã hết hiệu lực.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy.",
    503: "Kho hồ sơ tạm thời chưa sẵn sàng. Bạn vui lòng thử lại sau ít phút.",
  };

  async function api(path, { method = "GET", body, raw = false, bearer = token() } = {}) {
    try {
      const response = await window.Staff.request(path, {
        method, body, bearer, accept: raw ? "text/csv" : "application/json", fallback: FALLBACK,
      });
      return raw ? response : response.json();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && bearer && bearer === token()) signOut(error.message);
      throw error;
    }
  }

  /** Show an api error where it belongs; a 401 has already signed the user out. */
  function report(error, target) {
    if (error instanceof ApiError && error.status === 401) return;
    const message = error instanceof ApiError ? error.message : "Đã có lỗi xảy ra. Bạn vui lòng thử lại.";
    if (target) show(target, message); else fail(message);
    if (!(error instanceof ApiError)) console.error(error);
  }

  // ---------- views ----------

  const VIEWS = ["login", "list", "detail", "stats", "audit"];

  function showView(name) {
    for (const view of VIEWS) $("view-" + view).hidden = view !== name;
    $("nav").hidden = name === "login";
    const mark = (node, on) => (on ? node.setAttribute("aria-current", "page") : node.removeAttribute("aria-current"));
    mark($("nav-list"), name === "list" || name === "detail");
    mark($("nav-stats"), name === "stats");
    mark($("nav-audit"), name === "audit");
  }

  function isAdmin() { return Boolean(state.me && state.me.role === "admin"); }

  /** Who the token belongs to: the audit log is shown to admins only (the api checks it too). */
  async function loadMe() {
    if (state.me || !token()) return;
    try {
      state.me = await api("/api/v1/me");
    } catch (error) {
      state.me = null;
    }
    $("nav-audit").hidden = !isAdmin();
  }

  async function route() {
    if (!token()) { showView("login"); $("token").focus(); return; }
    let hash = "";
    try { hash = decodeURIComponent(location.hash.slice(1)); } catch (error) { /* a malformed address: the list */ }
    if (hash === "nhat-ky") await loadMe();
    else loadMe();
    if (hash.startsWith("ho-so/")) openCase(hash.slice("ho-so/".length));
    else if (hash === "thong-ke") openStats();
    else if (hash === "nhat-ky" && isAdmin()) openAudit();
    else openList();
  }

  // ---------- sign in / out ----------

  function signIn(event) {
    return window.Staff.signIn(event, {
      tokenKey: TOKEN_KEY, refused: FALLBACK[401],
      check: (value) => api("/api/v1/stats", { bearer: value }),
      signedIn: () => { clearMessages(); route(); },
    });
  }

  /** Forget the token and every case shown so far. */
  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.me = null;
    state.audit = { filters: {}, skip: 0 };
    $("nav-audit").hidden = true;
    $("audit-filters").reset();
    state.current = null;
    state.stats = null;
    state.filters = {};
    state.skip = 0;
    state.seq += 1;
    $("filters").reset();
    for (const id of ["cases-body", "d-fields", "d-events", "stats-status", "chart-month", "chart-group", "chart-province", "chart-topic", "audit-body"]) {
      $(id).replaceChildren();
    }
    for (const id of ["d-code", "d-status", "d-description", "list-summary", "page-info", "stats-total", "audit-summary", "audit-page"]) $(id).textContent = "";
    $("update-form").reset();
    show($("update-error"), "");
    history.replaceState(null, "", location.pathname);
    clearMessages();
    showView("login");
    if (typeof message === "string") show($("login-error"), message);
    else notify("Bạn đã đăng xuất.");
  }

  // ---------- filters ----------

  function readFilters() {
    const form = new FormData($("filters"));
    const filters = {};
    for (const name of FILTER_FIELDS) {
      const value = String(form.get(name) || "").trim();
      if (value) filters[name] = value;
    }
    return filters;
  }

  function filterParams() {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(state.filters)) params.set(name, value);
    return params;
  }

  // ---------- list ----------

  function openList() {
    showView("list");
    loadCases();
  }

  async function loadCases() {
    const seq = ++state.seq;
    const params = filterParams();
    params.set("skip", String(state.skip));
    params.set("limit", String(PAGE_SIZE));
    $("list-summary").textContent = "Đang tải…";
    try {
      const page = await api("/api/v1/cases?" + params.toString());
      if (seq !== state.seq) return;
      if (page.count > 0 && state.skip >= page.count) {  // the last page emptied meanwhile
        state.skip = Math.max(0, Math.floor((page.count - 1) / PAGE_SIZE) * PAGE_SIZE);
        return loadCases();
      }
      renderCases(page.data, page.count);
    } catch (error) {
      if (seq !== state.seq) return;
      $("list-summary").textContent = "";
      report(error);
    }
  }

  function cell(label, className, ...children) {
    const td = el("td", className, ...children);
    td.setAttribute("data-label", label);
    return td;
  }

  function dayAndTime(value) {
    const [day, time] = formatTime(value).split(" ");
    return [day, sub(time)];
  }

  function sub(text) { return text ? el("span", "sub", text) : null; }

  /** "Người gọi: Con · Nguyễn V** B** · 091*******" when someone called for the beneficiary. */
  function callerLine(c) {
    const parts = [vocabLabel("relations", c.caller_relation), c.caller_name, c.caller_phone].filter(Boolean);
    return parts.length ? "Người gọi: " + parts.join(" · ") : null;
  }

  function renderCases(cases, count) {
    const rows = cases.map((c) => {
      const link = el("a", "code-link", c.code);
      link.href = "#ho-so/" + encodeURIComponent(c.code);
      const description = c.description.length > 140 ? c.description.slice(0, 139) + "…" : c.description;
      const tr = el("tr", null,
        cell("Mã hồ sơ", null, link, sub(vocabLabel("channels", c.channel))),
        cell("Ngày tiếp nhận", null, ...dayAndTime(c.created_at)),
        cell("Người được trợ giúp", null, c.full_name, sub(c.phone), sub(callerLine(c))),
        cell("Tỉnh/thành phố", null, c.province, sub(c.commune)),
        cell("Diện / lĩnh vực", "group", vocabLabel("groups", c.eligibility_group) || "—", sub(vocabLabel("topics", c.topic))),
        cell("Nội dung", "desc", description),
        cell("Trạng thái", null, badge(c.status, c.status_label)),
        cell("Người thực hiện", null, c.assignee || "—"),
      );
      tr.dataset.code = c.code;
      return tr;
    });
    if (!rows.length) {
      const td = el("td", "empty", "Không có hồ sơ nào khớp với bộ lọc.");
      td.colSpan = 8;
      rows.push(el("tr", null, td));
    }
    $("cases-body").replaceChildren(...rows);
    $("list-summary").textContent = count === 0 ? "Không có hồ sơ." : `Tìm thấy ${count} hồ sơ.`;
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
    const pageNo = Math.floor(state.skip / PAGE_SIZE) + 1;
    $("page-info").textContent = count
      ? `Trang ${pageNo}/${pages} · hồ sơ ${state.skip + 1}–${Math.min(count, state.skip + PAGE_SIZE)}`
      : "";
    $("prev-page").disabled = state.skip <= 0;
    $("next-page").disabled = state.skip + PAGE_SIZE >= count;
  }

  // ---------- detail ----------

  async function openCase(code) {
    showView("detail");
    show($("update-error"), "");
    delete $("view-detail").dataset.code;  // set again once this case is shown
    if (!state.current || state.current.code !== code) {
      $("d-code").textContent = code;
      $("d-status").textContent = "";
      $("d-fields").replaceChildren();
      $("d-events").replaceChildren();
      $("d-description").textContent = "Đang tải…";
    }
    try {
      const detail = await api("/api/v1/cases/" + encodeURIComponent(code));
      renderCase(detail);
    } catch (error) {
      $("d-description").textContent = "";
      report(error);
    }
  }

  function renderCase(c, { keepInputs = false } = {}) {
    state.current = c;
    $("d-code").textContent = c.code;
    const status = badge(c.status, c.status_label);
    status.id = "d-status";
    $("d-status").replaceWith(status);
    const caller = c.caller_name || c.caller_phone || c.caller_relation;
    const fields = [
      ["Người được trợ giúp", c.full_name],
      ["Số điện thoại", c.phone],
      ["Giới tính", fieldText("beneficiary_gender", c.beneficiary_gender)],
      ["Năm sinh", c.beneficiary_birth_year],
      ["Dân tộc", c.ethnicity],
      ["Người gọi (người yêu cầu)", caller ? [c.caller_name, c.caller_phone].filter(Boolean).join(" · ") || "(không ghi tên)" : "Chính người được trợ giúp"],
      ["Quan hệ với người được trợ giúp", caller ? fieldText("caller_relation", c.caller_relation) : null],
      ["Tỉnh/thành phố", c.province],
      ["Xã/phường", c.commune],
      ["Diện được trợ giúp", fieldText("eligibility_group", c.eligibility_group)],
      ["Lĩnh vực", fieldText("topic", c.topic)],
      ["Hình thức trợ giúp pháp lý", fieldText("legal_aid_form", c.legal_aid_form)],
      ["Kênh tiếp nhận", fieldText("channel", c.channel)],
      ["Ngày tiếp nhận", formatTime(c.created_at)],
      ["Liên hệ lần đầu", c.first_contact_at ? formatTime(c.first_contact_at) : null],
      ["Thụ lý", c.accepted_at ? formatTime(c.accepted_at) : null],
      ["Đồng ý lưu thông tin", formatTime(c.consent_at)],
      ["Người thực hiện", c.assignee],
      ["Chuyển đến", c.referred_to],
      ["Lý do từ chối", c.rejection_reason],
      ["Kết quả", fieldText("outcome_code", c.outcome_code)],
      ["Mô tả kết quả", c.outcome],
      ["Cập nhật lần cuối", formatTime(c.updated_at)],
    ];
    $("d-fields").replaceChildren(...fields.flatMap(([label, value]) => [
      el("dt", null, label), el("dd", null, value === null || value === undefined || value === "" ? "—" : String(value)),
    ]));
    $("d-description").textContent = c.description;
    $("d-events").replaceChildren(...(c.events || []).map(renderEvent));
    renderUpdateForm(c, keepInputs);
    $("view-detail").dataset.code = c.code;
    $("d-print").href = "/center/in#" + encodeURIComponent(c.code);  // printable documents (print.js)
  }

  function renderEvent(event) {
    const li = el("li", null);
    li.dataset.action = event.action;
    li.append(el("div", "when", `${formatTime(event.at)} · ${event.actor}`));
    const what = el("div", "what", ACTIONS[event.action] || event.action);
    if (event.from_status || event.to_status) {
      what.append(": ", event.from_status ? statusLabel(event.from_status) + " → " : "", statusLabel(event.to_status));
    }
    li.append(what);
    const text = (v) => (v === null || v === undefined || v === "" ? "(trống)" : String(v));
    for (const [field, values] of Object.entries(event.changes || {})) {
      if (field === "request") continue;  // a reference of the retried request, not for people
      if (field === "submitted" && values && typeof values === "object" && !Array.isArray(values)) {
        // a duplicate submission: what was sent, shown as sent, never applied to the case
        for (const [name, value] of Object.entries(values)) {
          li.append(el("div", "change submitted", `Đã gửi – ${FIELD_LABELS[name] || name}: ${text(fieldText(name, value))}`));
        }
        continue;
      }
      const [before, after] = Array.isArray(values) ? values : [null, values];
      const shown = (v) => text(fieldText(field, v));
      li.append(el("div", "change", `${FIELD_LABELS[field] || field}: ${shown(before)} → ${shown(after)}`));
    }
    if (event.note) li.append(el("div", "note", "Ghi chú: " + event.note));
    return li;
  }

  function renderUpdateForm(c, keepInputs) {
    const select = $("u-status");
    const current = state.statuses.get(c.status);
    const keep = el("option", null, `— Giữ nguyên: ${statusLabel(c.status)} —`);
    keep.value = "";
    const options = [keep];
    for (const value of current ? current.next : []) {
      const option = el("option", null, statusLabel(value));
      option.value = value;
      options.push(option);
    }
    const chosen = keepInputs ? select.value : "";
    select.replaceChildren(...options);
    select.value = options.some((o) => o.value === chosen) ? chosen : "";
    select.disabled = options.length === 1;
    if (select.disabled) keep.textContent = `${statusLabel(c.status)} — hồ sơ đã kết thúc`;
    if (!keepInputs) {
      for (const id of Object.values(REQUIRED_BOXES)) $(id).value = "";
      $("u-outcome-code").value = "";
      $("u-note").value = "";
      $("u-assignee").value = c.assignee || "";
      for (const [id, field] of Object.entries(REPORT_INPUTS)) $(id).value = c[field] === null || c[field] === undefined ? "" : String(c[field]);
      $("u-ethnicity-consent").checked = Boolean(c.ethnicity);
    }
    toggleRequired();
  }

  function toggleRequired() {
    const target = state.statuses.get($("u-status").value);
    const needs = target ? target.requires : null;
    for (const [field, id] of Object.entries(REQUIRED_BOXES)) $(id + "-box").hidden = field !== needs;
  }

  async function saveUpdate(event) {
    event.preventDefault();
    const c = state.current;
    if (!c) return;
    show($("update-error"), "");
    clearMessages();
    const body = {};
    const target = $("u-status").value;
    if (target) {
      body.status = target;
      const needs = state.statuses.get(target)?.requires;
      const value = needs ? $(REQUIRED_BOXES[needs]).value.trim() : "";
      if (needs && value) body[needs] = value;
    }
    if (target === "closed" && $("u-outcome-code").value) body.outcome_code = $("u-outcome-code").value;
    const assignee = $("u-assignee").value.trim();
    if (assignee !== (c.assignee || "")) body.assignee = assignee || null;
    Object.assign(body, reportChanges(c));
    const note = $("u-note").value.trim();
    if (note) body.note = note;
    const button = $("save-update");
    button.disabled = true;
    try {
      const updated = await api("/api/v1/cases/" + encodeURIComponent(c.code), { method: "PATCH", body });
      renderCase(updated);
      notify(`Đã lưu thay đổi cho hồ sơ ${updated.code}.`);
    } catch (error) {
      report(error, $("update-error"));
      if (error instanceof ApiError && error.status === 409) {
        try {  // someone else changed the case: show its current state, keep what was typed
          renderCase(await api("/api/v1/cases/" + encodeURIComponent(c.code)), { keepInputs: true });
        } catch (reload) { /* the message above is enough */ }
      }
    } finally {
      button.disabled = false;
    }
  }

  /** The report fields the staff member changed (only those: a PATCH of nothing else stays empty). */
  function reportChanges(c) {
    const changes = {};
    for (const [id, field] of Object.entries(REPORT_INPUTS)) {
      const value = $(id).value.trim();
      const before = c[field] === null || c[field] === undefined ? "" : String(c[field]);
      if (!value || value === before) continue;  // a report field is filled in, not emptied, here
      changes[field] = field === "beneficiary_birth_year" ? Number(value) : value;
    }
    if (changes.ethnicity) changes.ethnicity_consent = $("u-ethnicity-consent").checked;
    return changes;
  }

  // ---------- CSV ----------

  async function exportCsv() {
    clearMessages();
    state.filters = readFilters();  // the list shows exactly what the file will hold
    state.skip = 0;
    loadCases();
    const button = $("export-csv");
    button.disabled = true;
    try {
      const response = await api("/api/v1/cases.csv?" + filterParams().toString(), { raw: true });
      saveFile(await response.blob(), `ho-so-tro-giup-phap-ly-${new Date().toISOString().slice(0, 10)}.csv`);
      notify("Đã xuất tệp CSV theo bộ lọc đang chọn.");
    } catch (error) {
      report(error);
    } finally {
      button.disabled = false;
    }
  }

  // ---------- audit log (admins) ----------

  function openAudit() {
    showView("audit");
    loadAudit();
  }

  function describeFilters(filters) {
    const parts = Object.entries(filters || {}).map(([name, value]) => {
      const shown = name === "status" ? statusLabel(value) : fieldText(name, value);
      return `${FILTER_LABELS[name] || name}: ${shown}`;
    });
    return parts.length ? parts.join("; ") : "Không lọc (tất cả hồ sơ)";
  }

  async function loadAudit() {
    const seq = ++state.seq;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(state.audit.filters)) params.set(name, value);
    params.set("skip", String(state.audit.skip));
    params.set("limit", String(AUDIT_PAGE_SIZE));
    $("audit-summary").textContent = "Đang tải…";
    try {
      const page = await api("/api/v1/audit?" + params.toString());
      if (seq !== state.seq) return;
      renderAudit(page.data, page.count);
    } catch (error) {
      if (seq !== state.seq) return;
      $("audit-summary").textContent = "";
      report(error);
    }
  }

  function renderAudit(rows, count) {
    const trs = rows.map((row) => {
      let target;
      if (row.case_code) {
        target = el("a", "code-link", row.case_code);
        target.href = "#ho-so/" + encodeURIComponent(row.case_code);
      } else {
        target = describeFilters(row.filters);
      }
      const shown = row.action === "case_viewed" ? (row.full_data ? "đầy đủ họ tên, số điện thoại" : "đã che họ tên, số điện thoại") : null;
      const tr = el("tr", null,
        cell("Thời điểm", null, formatTime(row.at)),
        cell("Người truy cập", null, row.actor),
        cell("Thao tác", null, AUDIT_ACTIONS[row.action] || row.action, sub(shown)),
        cell("Hồ sơ / bộ lọc", null, target),
        cell("Số hồ sơ", null, row.row_count === null || row.row_count === undefined ? "1" : String(row.row_count)),
      );
      tr.dataset.action = row.action;
      return tr;
    });
    if (!trs.length) {
      const td = el("td", "empty", "Chưa có lượt truy cập nào.");
      td.colSpan = 5;
      trs.push(el("tr", null, td));
    }
    $("audit-body").replaceChildren(...trs);
    $("audit-summary").textContent = count === 0 ? "Không có lượt truy cập." : `Có ${count} lượt truy cập.`;
    const skip = state.audit.skip;
    $("audit-page").textContent = count
      ? `Trang ${Math.floor(skip / AUDIT_PAGE_SIZE) + 1}/${Math.max(1, Math.ceil(count / AUDIT_PAGE_SIZE))}`
      : "";
    $("audit-prev").disabled = skip <= 0;
    $("audit-next").disabled = skip + AUDIT_PAGE_SIZE >= count;
  }

  // ---------- statistics ----------

  async function openStats() {
    showView("stats");
    $("stats-total").textContent = "Đang tải…";
    const seq = ++state.seq;
    try {
      const stats = await api("/api/v1/stats?" + filterParams().toString());
      if (seq !== state.seq) return;
      state.stats = stats;
      renderStats();
    } catch (error) {
      if (seq !== state.seq) return;
      $("stats-total").textContent = "";
      report(error);
    }
  }

  function renderStats() {
    const stats = state.stats;
    if (!stats || $("view-stats").hidden) return;
    const filtered = Object.keys(state.filters).length > 0;
    $("stats-total").textContent = `Tổng số: ${stats.total} hồ sơ${filtered ? " (theo bộ lọc)" : ""}.`;
    $("stats-status").replaceChildren(...state.meta.statuses.map((s) => {
      const tile = el("div", "tile s-" + s.value, el("strong", null, String(stats.by_status[s.value] || 0)), s.label);
      tile.dataset.status = s.value;
      return tile;
    }));
    const charts = window.CenterCharts;
    charts.columns($("chart-month"), charts.monthSeries(stats.by_month), { label: "Số hồ sơ theo tháng" });
    const pairs = (object, none) => Object.entries(object || {}).map(([label, value]) => ({ label: label || none, value }));
    // counts keyed by a code: the code's label; "(không rõ)" (no value) stays as the api words it
    const labelled = (object, list) => Object.entries(object || {}).map(([code, value]) => ({
      label: state.vocab[list] && state.vocab[list].has(code) ? vocabLabel(list, code) : code || "(chưa xác định)", value,
    }));
    charts.bars($("chart-group"), labelled(stats.by_eligibility_group, "groups"), { label: "Số hồ sơ theo diện được trợ giúp" });
    charts.bars($("chart-province"), pairs(stats.by_province, "(chưa xác định)"), { label: "Số hồ sơ theo tỉnh/thành phố" });
    charts.bars($("chart-topic"), labelled(stats.by_topic, "topics"), { label: "Số hồ sơ theo lĩnh vực" });
  }

  // ---------- start ----------

  async function loadMeta() {
    const [metaResponse, vocabResponse] = await Promise.all([
      fetch("/center/meta.json", { cache: "no-store" }),
      fetch("/api/v1/vocabulary", { cache: "no-store" }),
    ]);
    if (!metaResponse.ok) throw new Error("meta " + metaResponse.status);
    if (!vocabResponse.ok) throw new Error("vocabulary " + vocabResponse.status);
    state.meta = await metaResponse.json();
    const vocabulary = await vocabResponse.json();
    for (const [list, terms] of Object.entries(vocabulary)) {
      if (Array.isArray(terms)) state.vocab[list] = new Map(terms.map((t) => [t.code, t.label]));
    }
    for (const status of state.meta.statuses) state.statuses.set(status.value, status);
    const option = (value, label) => { const o = el("option", null, label); o.value = value; return o; };
    const options = (list) => vocabulary[list].map((t) => option(t.code, t.label));
    $("f-status").append(...state.meta.statuses.map((s) => option(s.value, s.label)));
    $("f-province").append(...vocabulary.provinces.map((p) => option(p.code, p.label)));
    $("f-group").append(...options("groups"));
    $("f-topic").append(...options("topics"));
    $("u-group").append(...options("groups"));
    $("u-topic").append(...options("topics"));
    $("u-form").append(...options("legal_aid_forms"));
    $("u-gender").append(...options("genders"));
    $("u-outcome-code").append(...options("outcomes"));
  }

  function bind() {
    $("login-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", () => signOut());
    $("filters").addEventListener("submit", (event) => {
      event.preventDefault();
      clearMessages();
      state.filters = readFilters();
      state.skip = 0;
      if (location.hash !== "#danh-sach" && location.hash !== "") location.hash = "danh-sach";
      else openList();
    });
    $("clear-filters").addEventListener("click", () => {
      $("filters").reset();
      state.filters = {};
      state.skip = 0;
      clearMessages();
      loadCases();
    });
    $("export-csv").addEventListener("click", exportCsv);
    $("prev-page").addEventListener("click", () => { state.skip = Math.max(0, state.skip - PAGE_SIZE); loadCases(); });
    $("next-page").addEventListener("click", () => { state.skip += PAGE_SIZE; loadCases(); });
    $("u-status").addEventListener("change", toggleRequired);
    $("audit-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      clearMessages();
      const form = new FormData($("audit-filters"));
      state.audit.filters = {};
      for (const name of ["action", "case_code"]) {
        const value = String(form.get(name) || "").trim();
        if (value) state.audit.filters[name] = value;
      }
      state.audit.skip = 0;
      loadAudit();
    });
    $("audit-prev").addEventListener("click", () => { state.audit.skip = Math.max(0, state.audit.skip - AUDIT_PAGE_SIZE); loadAudit(); });
    $("audit-next").addEventListener("click", () => { state.audit.skip += AUDIT_PAGE_SIZE; loadAudit(); });
    $("update-form").addEventListener("submit", saveUpdate);
    window.addEventListener("hashchange", () => { clearMessages(); route(); });
    let resizeTimer = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(renderStats, 150);
    });
  }

  async function start() {
    bind();
    try {
      await loadMeta();
    } catch (error) {
      fail("Không tải được trang. Bạn vui lòng tải lại trang.");
      return;
    }
    document.body.dataset.ready = "true";
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
