/* Hotline operator console (/operator): analyse what the caller says, log the request as a case.
 *
 * Made for the duration of a call at 1366×768: the caller's words, the verdict with its clause, the
 * questions to ask (a click copies one into the caller's words with a place for the answer) and the
 * case form are on one screen. Caller and beneficiary are two people in the form (the caller is
 * often a child or a neighbour): the case keeps both, with their relation. "Cuộc gọi mới" asks first.
 *
 * Safety rule of this file: every value that comes from the api or from the operator is put
 * into the page as TEXT (textContent, append(string)). Nothing here ever assigns innerHTML.
 * The token lives in sessionStorage only and is sent as "Authorization: Bearer …".
 * The caller's words are sent to /api/v1/assist and /api/v1/cases only; never stored here.
 */
"use strict";

(() => {
  const TOKEN_KEY = "tgpl-operator-token";
  const LIVE_DELAY_MS = 700;
  const LIVE_MIN_CHARS = 12;
  const MISSING_SHOWN = 6;
  const MAX_CHARS = 2000;
  const QUESTION_PREFIX = "Hỏi: ";
  const ANSWER_PROMPT = "Trả lời: ";

  const $ = (id) => document.getElementById(id);
  const state = {
    meta: null, seq: 0, controller: null, timer: null, lastText: "", draft: {}, edited: new Set(), requestId: null,
    savedCode: null, asked: new Set(),
  };
  // Case form fields prefilled from the analysis (form field id → case_draft key).
  const DRAFT_FIELDS = {
    "c-name": "full_name", "c-phone": "phone", "c-province": "province", "c-commune": "commune",
    "c-group": "eligibility_group", "c-topic": "topic", "c-description": "description",
  };

  // ---------- small helpers (text only) ----------

  const { el, show, ApiError } = window.Staff;  // shared helpers (api/static/shared/staff.js)

  function notify(message) { show($("notice"), message); }
  function fail(message) { show($("error"), message); }
  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function option(value, label) {
    const node = el("option", null, label);
    node.value = value;
    return node;
  }

  // ---------- api ----------

  const FALLBACK = {
    401: "Mã truy cập không hợp lệ hoặc đã hết hiệu lực.",
    403: "Mã truy cập này không có quyền điện thoại viên.",
    503: "Hệ thống tạm thời chưa sẵn sàng. Bạn vui lòng thử lại sau ít phút.",
  };

  async function api(path, { method = "GET", body, bearer = token(), signal } = {}) {
    try {
      return (await window.Staff.request(path, { method, body, bearer, signal, fallback: FALLBACK })).json();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && bearer && bearer === token()) signOut(error.message);
      throw error;
    }
  }

  // ---------- views, sign in / out ----------

  function showView(name) {
    $("view-login").hidden = name !== "login";
    $("view-console").hidden = name !== "console";
    $("nav").hidden = name === "login";
  }

  function signIn(event) {
    return window.Staff.signIn(event, {
      tokenKey: TOKEN_KEY, refused: FALLBACK[401],
      check: (value) => api("/api/v1/stats", { bearer: value }),  // any staff role of operator or above
      signedIn: () => { fail(""); notify(""); showView("console"); $("caller-text").focus(); },
    });
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    newCall();
    showView("login");
    if (typeof message === "string") show($("login-error"), message);
    else notify("Bạn đã đăng xuất.");
  }

  // ---------- analysis ----------

  function scheduleLive() {
    updateCount();
    clearTimeout(state.timer);
    if (!$("live").checked) return;
    const text = callerWords();
    if (text.length < LIVE_MIN_CHARS || text === state.lastText) return;
    state.timer = setTimeout(() => analyse(), LIVE_DELAY_MS);
  }

  /** What the caller said: the text box without the operator's own questions ("Hỏi: …" lines, put
   * there by a click on a suggested question), whose words are not facts about the caller. */
  function callerWords() {
    return $("caller-text").value.split("\n").filter((line) => !line.trimStart().startsWith(QUESTION_PREFIX))
      .join("\n").trim();
  }

  function updateCount() {
    const n = $("caller-text").value.length;
    $("char-count").textContent = `${n}/${MAX_CHARS} ký tự`;
  }

  async function analyse(event) {
    if (event) event.preventDefault();
    clearTimeout(state.timer);
    const text = callerWords();
    if (!text) { $("analyse-status").textContent = "Bạn hãy nhập lời người gọi."; return; }
    if (text.length > MAX_CHARS) { $("analyse-status").textContent = `Tối đa ${MAX_CHARS} ký tự.`; return; }
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const seq = ++state.seq;
    state.lastText = text;
    $("analyse-status").textContent = "Đang phân tích…";
    document.body.dataset.analysing = "true";
    try {
      const result = await api("/api/v1/assist", { method: "POST", body: { text }, signal: controller.signal });
      if (seq !== state.seq) return;
      render(result);
      $("analyse-status").textContent = "Đã phân tích.";
      document.body.dataset.analysed = String(seq);
    } catch (error) {
      if (error && error.name === "AbortError") return;
      if (seq !== state.seq) return;
      state.lastText = "";
      $("analyse-status").textContent = "";
      if (!(error instanceof ApiError && error.status === 401)) fail(error.message || "Đã có lỗi xảy ra.");
    } finally {
      if (seq === state.seq) delete document.body.dataset.analysing;
    }
  }

  function render(result) {
    fail("");
    renderIntent(result.intent);
    renderAnswer(result);
    renderEligibility(result.eligibility);
    renderPoverty(result.poverty);
    renderQuestions(result.suggested_questions || []);
    renderPassages(result.passages || []);
    prefill(result.case_draft || {}, result.eligibility);
  }

  function renderIntent(intent) {
    $("intent-label").textContent = intent.label || intent.name;
    $("intent-name").textContent = intent.name;
    const confidence = Number(intent.confidence) || 0;
    $("intent-confidence").textContent = `${Math.round(confidence * 100)}%`;
    $("intent-meter").value = confidence;
  }

  function renderAnswer(result) {
    const text = String(result.answer || "");
    // a suggestion the knowledge base is not sure of stays folded until the operator opens it
    const low = Boolean(text) && !result.confident;
    const box = $("answer-box");
    box.open = !low;
    box.classList.toggle("low", low);
    $("answer-summary").textContent = low ? "Xem gợi ý chưa chắc chắn" : "Câu trả lời";
    $("answer-low").hidden = !low;
    const cut = text.indexOf("\n\nCăn cứ:");
    const body = cut >= 0 ? text.slice(0, cut) : text;
    let basis = cut >= 0 ? text.slice(cut + 2) : "";
    if (!basis && text && (result.citations || []).length) basis = "Căn cứ: " + result.citations.join("; ");
    $("answer-text").textContent = body || "Chưa có câu trả lời gợi ý.";
    show($("answer-basis"), basis);
    const more = String(result.answer_details || "");
    $("answer-more-text").textContent = more;
    $("answer-more").hidden = !more || !text;
    const notes = [...(result.notes || [])];
    const decided = result.eligibility && result.eligibility.status !== "need_more_info";
    if (text && !result.confident && decided) {
      notes.push("Kho tri thức chưa chắc chắn với câu hỏi này; hãy dựa vào phần “Điều kiện trợ giúp pháp lý” (có căn cứ) để trả lời.");
    }
    show($("answer-note"), notes.join(" "));
  }

  function renderEligibility(e) {
    const status = $("elig-status");
    status.textContent = e.status_label || e.status;
    status.className = "badge " + e.status;
    $("panel-eligibility").dataset.status = e.status;
    $("elig-known").replaceChildren(...(e.known_text || []).map((line) => el("li", "known", line)));
    const missing = e.missing || [];
    const items = missing.slice(0, MISSING_SHOWN).map((line) => el("li", "missing", line));
    if (missing.length > MISSING_SHOWN) items.push(el("li", "more", `… và ${missing.length - MISSING_SHOWN} điều khác chưa rõ`));
    $("elig-missing").replaceChildren(...items);
    $("elig-clauses").replaceChildren(...(e.matches || []).map((m) => el("li", null,
      el("strong", null, "Theo " + m.clause), el("span", "sub", "Vì " + m.reason),
      el("span", "sub cite", "Căn cứ: " + (m.citations || []).join("; ")))));
    $("elig-explanation").textContent = e.explanation || "";
  }

  function renderPoverty(p) {
    $("panel-poverty").hidden = !p;
    if (!p) return;
    $("poverty-per-person").textContent = "Bình quân: " + p.income_per_person_text;
    const money = (v) => v.toLocaleString("vi-VN") + " đồng";
    $("poverty-line").textContent = p.poverty_line
      ? `Chuẩn nghèo ở ${p.area_name}: ${money(p.poverty_line)}/người/tháng (${p.period}).`
      : `Chuẩn nghèo: nông thôn ${money(p.poverty_lines.rural)}, thành thị ${money(p.poverty_lines.urban)}/người/tháng (${p.period}).`;
    $("poverty-explanation").textContent = p.explanation;
  }

  function renderQuestions(questions) {
    $("questions").replaceChildren(...questions.map((q) => {
      const button = el("button", null, q);
      button.type = "button";
      button.title = "Chép câu hỏi vào lời người gọi, kèm chỗ ghi câu trả lời";
      button.addEventListener("click", () => askQuestion(q, button));
      return el("li", state.asked.has(q) ? "asked" : null, button);
    }));
    $("questions-empty").hidden = questions.length > 0;
  }

  /** Copy a question into the caller's words with a place for the answer, caret after it. */
  function askQuestion(question, button) {
    const area = $("caller-text");
    const before = area.value.replace(/\s+$/, "");
    const line = `${QUESTION_PREFIX}${question}\n${ANSWER_PROMPT}`;
    area.value = (before ? before + "\n" : "") + line;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    area.scrollTop = area.scrollHeight;
    button.closest("li").classList.add("asked");
    state.asked.add(question);
    updateCount();  // no analysis yet: it runs once the answer is typed
  }

  function where(citation) {
    const c = citation || {};
    return [c.article ? "Điều " + c.article : "", c.document_title, c.document_number ? "số " + c.document_number : ""]
      .filter(Boolean).join(" ");
  }

  /** Passages of the same article (or with the same text) become one entry with the best match. */
  function mergePassages(passages) {
    const groups = new Map();
    for (const p of passages) {
      const key = where(p.citation) || String(p.text || "").trim() || p.id;
      const group = groups.get(key);
      if (!group) { groups.set(key, { first: p, score: Number(p.score) || 0, texts: [String(p.text || "")], ids: [p.id] }); continue; }
      group.score = Math.max(group.score, Number(p.score) || 0);
      group.ids.push(p.id);
      const text = String(p.text || "");
      if (!group.texts.some((t) => t.trim() === text.trim())) group.texts.push(text);
    }
    return [...groups.values()];
  }

  function renderPassages(passages) {
    const merged = mergePassages(passages);
    $("passages").replaceChildren(...merged.map((group) => {
      const p = group.first;
      const c = p.citation || {};
      // "độ khớp": how well the passage matches the words of the call (a retrieval score, not a grade)
      const summary = el("summary", null, where(c) || p.id, " ", el("span", "score", `(độ khớp ${group.score.toFixed(2)})`));
      // the text's status on the day asked (amendment registry): "hết hiệu lực từ …" etc.
      if (c.status) summary.append(" ", el("span", "status", "— " + c.status));
      const details = el("details", null, summary, ...group.texts.map((text) => el("p", "passage", text)));
      details.dataset.id = p.id;
      details.dataset.merged = String(group.ids.length);
      return details;
    }));
    $("passages-empty").hidden = merged.length > 0;
  }

  // ---------- case form ----------

  function prefill(draft, eligibility) {
    state.draft = draft;
    prefillCaller((eligibility && eligibility.known) || {});
    for (const [id, key] of Object.entries(DRAFT_FIELDS)) {
      if (state.edited.has(id)) continue;  // never overwrite what the operator typed
      const node = $(id);
      const value = node.tagName === "SELECT" ? optionValue(node, draft[key] || "") : draft[key] || "";
      if (value === null) continue;
      node.value = value;
    }
  }

  /** The option of *select* that *wanted* names (its value, or its label in any case); "" for
   * nothing, null when no option matches (the field is then left as it is). */
  function optionValue(select, wanted) {
    if (!wanted) return "";
    const folded = String(wanted).toLocaleLowerCase("vi");
    const match = [...select.options].find((o) => o.value === wanted || o.textContent.toLocaleLowerCase("vi") === folded);
    return match ? match.value : null;
  }

  /** "mẹ tôi 70 tuổi": the caller speaks for a relative; the form says so (unless the operator chose). */
  function prefillCaller(known) {
    const subject = typeof known.subject === "string" ? known.subject : "";
    if (!subject || state.edited.has("c-caller-self")) return;
    $("c-caller-self").checked = false;
    toggleCaller();
    if (state.edited.has("c-caller-relation")) return;
    const relation = relationFor(subject);
    if (relation) $("c-caller-relation").value = relation;
  }

  /** The relation code whose meta entry names *subject* ("mẹ" → the parent code), if any. */
  function relationFor(subject) {
    const relations = (state.meta && state.meta.relations) || [];
    const word = subject.toLocaleLowerCase("vi");
    for (const item of relations) {
      const words = [item.label, ...(item.words || [])].map((w) => String(w || "").toLocaleLowerCase("vi"));
      if (words.some((w) => w === word || w.split(/[\s,/()]+/).includes(word))) return item.value;
    }
    return "";
  }

  function toggleCaller() {
    const self = $("c-caller-self").checked;
    $("caller-box").hidden = self;
    $("beneficiary-legend").textContent = self ? "Người gọi, cũng là người được trợ giúp pháp lý" : "Người được trợ giúp pháp lý";
  }

  function caseBody() {
    const value = (id) => $(id).value.trim();
    const body = {
      channel: "hotline",
      full_name: value("c-name"),
      phone: value("c-phone"),
      province: value("c-province"),
      description: value("c-description"),
      consent: $("c-consent").checked,
      client_request_id: state.requestId,
    };
    for (const [id, key] of [["c-commune", "commune"], ["c-group", "eligibility_group"], ["c-topic", "topic"]]) {
      if (value(id)) body[key] = value(id);
    }
    // the caller, when someone else than the beneficiary (fields of the case api, issue 14 item 8)
    if (!$("c-caller-self").checked) {
      for (const [id, key] of [["c-caller-name", "caller_name"], ["c-caller-phone", "caller_phone"], ["c-caller-relation", "caller_relation"]]) {
        if (value(id)) body[key] = value(id);
      }
    }
    return body;
  }

  function checkCase(body) {
    if (!body.consent) return ["c-consent", "Chưa thể lưu: cần hỏi và đánh dấu “Người gọi đồng ý cho lưu thông tin cá nhân”."];
    if (!body.full_name) return ["c-name", "Bạn hãy nhập họ và tên người được trợ giúp."];
    if (!body.phone) return ["c-phone", "Bạn hãy nhập số điện thoại."];
    if (!body.province) return ["c-province", "Bạn hãy chọn tỉnh/thành phố."];
    if (!body.description) return ["c-description", "Bạn hãy nhập nội dung yêu cầu."];
    return null;
  }

  async function saveCase(event) {
    event.preventDefault();
    show($("case-error"), "");
    show($("case-result"), "");
    if (!state.requestId) state.requestId = newRequestId();
    const body = caseBody();
    const problem = checkCase(body);
    if (problem) {
      show($("case-error"), problem[1]);
      $(problem[0]).focus();
      return;
    }
    const button = $("save-case");
    button.disabled = true;
    try {
      const saved = await api("/api/v1/cases", { method: "POST", body });
      const result = $("case-result");
      if (saved.code) {
        result.replaceChildren("Đã ghi nhận. Mã hồ sơ: ", el("strong", "case-code", saved.code), ". Hãy đọc mã này cho người gọi để tra cứu sau.");
      } else {  // a duplicate: the api gives no code (it may be another person's)
        result.replaceChildren(saved.message || "Đã ghi nhận yêu cầu.");
      }
      result.hidden = false;
      result.scrollIntoView({ block: "nearest" });  // inside the form's column: the page does not scroll
      result.dataset.code = saved.code;
      state.savedCode = saved.code || "saved";
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) show($("case-error"), error.message);
    } finally {
      button.disabled = false;
    }
  }

  function newRequestId() {
    if (window.crypto && crypto.randomUUID) return "hotline-" + crypto.randomUUID();
    return "hotline-" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  /** Is there anything of this call on screen that a new call would erase? */
  function callInProgress() {
    if ($("caller-text").value.trim()) return true;
    return [...$("case-form").elements].some((node) =>
      (node.tagName === "INPUT" && node.type !== "checkbox" && node.value.trim()) ||
      (node.tagName === "TEXTAREA" && node.value.trim()) ||
      (node.tagName === "SELECT" && node.value));
  }

  /** "Cuộc gọi mới": asks on the page before erasing a call in progress (never a browser dialog). */
  function askNewCall() {
    if (!callInProgress()) { newCall(); $("caller-text").focus(); return; }
    $("confirm-new").hidden = false;
    $("confirm-new-no").focus();
  }

  function answerNewCall(yes) {
    $("confirm-new").hidden = true;
    if (yes) newCall();
    $(yes ? "caller-text" : "new-call").focus();
  }

  /** Forget the caller: text, analysis, form. */
  function newCall() {
    clearTimeout(state.timer);
    if (state.controller) state.controller.abort();
    state.seq += 1;
    state.lastText = "";
    state.draft = {};
    state.edited.clear();
    state.requestId = null;
    state.savedCode = null;
    state.asked.clear();
    $("confirm-new").hidden = true;
    $("caller-form").reset();
    $("live").checked = true;
    $("case-form").reset();
    toggleCaller();
    for (const id of ["case-error", "case-result", "answer-basis", "answer-note", "notice", "error"]) show($(id), "");
    delete $("case-result").dataset.code;
    $("answer-text").textContent = "Nhập lời người gọi rồi nhấn “Phân tích”.";
    $("answer-more").hidden = true;
    $("answer-box").open = true;
    $("answer-box").classList.remove("low");
    $("answer-low").hidden = true;
    $("elig-details").open = false;
    for (const id of ["elig-known", "elig-missing", "elig-clauses", "questions", "passages"]) $(id).replaceChildren();
    for (const id of ["elig-explanation", "analyse-status", "intent-name", "poverty-per-person", "poverty-line", "poverty-explanation"]) $(id).textContent = "";
    $("intent-label").textContent = "—";
    $("intent-confidence").textContent = "—";
    $("intent-meter").value = 0;
    $("elig-status").textContent = "Chưa phân tích";
    $("elig-status").className = "badge";
    delete $("panel-eligibility").dataset.status;
    delete document.body.dataset.analysed;
    $("panel-poverty").hidden = true;
    $("questions-empty").hidden = false;
    $("passages-empty").hidden = false;
    updateCount();
  }

  // ---------- start ----------

  /** The form's lists: /operator/meta.json, codes and labels of the one vocabulary
   * (knowledge/vocabulary.py; relations without "the caller is the beneficiary", the checkbox). */
  async function loadMeta() {
    const response = await fetch("/operator/meta.json", { cache: "no-store" });
    if (!response.ok) throw new Error("meta " + response.status);
    state.meta = await response.json();
    $("c-province").append(...state.meta.provinces.map((p) => option(p, p)));
    $("c-group").append(...state.meta.groups.map((g) => option(g.value, g.label)));
    $("c-topic").append(...state.meta.topics.map((t) => option(t.value, t.label)));
    $("c-caller-relation").append(...state.meta.relations.map((r) => option(r.value, r.label)));
    $("c-caller-relation").closest(".field").hidden = state.meta.relations.length === 0;
  }

  function bind() {
    $("login-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", () => signOut());
    $("new-call").addEventListener("click", askNewCall);
    $("confirm-new-yes").addEventListener("click", () => answerNewCall(true));
    $("confirm-new-no").addEventListener("click", () => answerNewCall(false));
    $("confirm-new").addEventListener("keydown", (event) => { if (event.key === "Escape") answerNewCall(false); });
    $("c-caller-self").addEventListener("change", () => { state.edited.add("c-caller-self"); toggleCaller(); });
    for (const id of ["c-caller-relation"]) $(id).addEventListener("change", () => state.edited.add(id));
    $("caller-form").addEventListener("submit", analyse);
    $("caller-text").addEventListener("input", scheduleLive);
    $("caller-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) analyse(event);
    });
    for (const id of Object.keys(DRAFT_FIELDS)) {
      $(id).addEventListener("input", () => state.edited.add(id));
      $(id).addEventListener("change", () => state.edited.add(id));
    }
    $("case-form").addEventListener("submit", saveCase);
  }

  async function start() {
    bind();
    try {
      await loadMeta();
    } catch (error) {
      fail("Không tải được trang. Bạn vui lòng tải lại trang.");
      return;
    }
    updateCount();
    document.body.dataset.ready = "true";
    if (token()) showView("console"); else { showView("login"); $("token").focus(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
