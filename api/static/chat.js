// The web chat page (issue 14). The conversation id is issued by the server and kept in an HttpOnly
// cookie (tgpl_chat, same origin only): this script never sees, invents or stores it.
//
// * First screen: the server's greeting with its topic chips, one line on privacy, the national
//   hotline (GET /api/v1/chat/welcome); then the conversation so far with its times
//   (GET /api/v1/chat/history), so a reload in the middle of a form shows where the person is.
// * Each new answer opens at its start; "Căn cứ: …" lines are a short line that expands.
// * One message at a time, 15 s timeout with "Thử lại", errors styled as errors, the unsent text
//   kept; chips of earlier turns disabled once answered; the case code in a box with a copy button.
// * "Nghe" reads an answer aloud where the browser has a Vietnamese voice; "Nói" (voice input) where
//   it has speech recognition. Everything from the server is inserted as text, never as HTML.
"use strict";
(() => {
  const TIMEOUT_MS = 15000;
  const BASIS = "Căn cứ:";
  const $ = (id) => document.getElementById(id);
  const log = $("log"), statusLine = $("status"), input = $("text"), sendButton = $("send"), mic = $("mic");
  let busy = false;
  localStorage.removeItem("tgpl-sender-id");  // the id an older version of this page made up

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clock(at) {
    const when = at instanceof Date ? at : new Date(at);
    const time = el("time");
    time.dateTime = when.toISOString();
    const sameDay = when.toDateString() === new Date().toDateString();
    const options = sameDay ? {hour: "2-digit", minute: "2-digit"}
      : {day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit"};
    time.textContent = when.toLocaleString("vi-VN", options);
    return time;
  }

  // ---- read aloud (speech synthesis with a Vietnamese voice only) ----
  const synth = "speechSynthesis" in window ? window.speechSynthesis : null;
  let voice = null;
  function pickVoice() {
    if (!synth) return;
    const voices = synth.getVoices() || [];
    voice = voices.find((v) => /^vi([-_]|$)/i.test(v.lang || "")) || null;
    document.body.classList.toggle("can-speak", voice !== null);
  }
  if (synth) {
    pickVoice();
    if (synth.addEventListener) synth.addEventListener("voiceschanged", pickVoice);
  }
  function listenButton(text) {
    const button = el("button", "listen");
    button.type = "button";
    button.append(el("span", "", "🔊"), " Nghe");
    button.firstChild.setAttribute("aria-hidden", "true");
    button.onclick = () => {
      if (!synth || !voice) return;
      synth.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice.lang || "vi-VN";
      utterance.voice = voice;
      synth.speak(utterance);
    };
    return button;
  }

  // ---- messages ----
  function meta(at, extra) {
    const box = el("div", "meta");
    box.append(clock(at || new Date()));
    if (extra) box.append(extra);
    return box;
  }

  function basisNode(line) {
    // "Căn cứ: A; B; C" → a short line ("Căn cứ: A") that opens the full reference
    const items = line.slice(BASIS.length).split(";").map((s) => s.trim()).filter(Boolean);
    const short = (items[0] || "").replace(/\s*\([^)]*\)/g, "").trim();
    if (items.length <= 1 && line.length <= 90) return el("p", "basis", line);
    const details = el("details", "basis");
    const more = items.length > 1 ? ` và ${items.length - 1} căn cứ khác` : "";
    details.append(el("summary", "", `${BASIS} ${short}${more}`), el("p", "full", items.join("\n")));
    return details;
  }

  function caseCodeBox(code) {
    const box = el("div", "case-code");
    const strong = el("strong", "", code);
    const copy = el("button", "copy", "Chép mã");
    copy.type = "button";
    copy.onclick = async () => {
      try {
        await navigator.clipboard.writeText(code);
      } catch (error) {
        const range = document.createRange();
        range.selectNodeContents(strong);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("copy");
      }
      copy.textContent = "Đã chép mã";
    };
    box.append(el("span", "label", "Mã hồ sơ của bạn"), strong, copy);
    return box;
  }

  function addUser(text, at) {
    const div = el("div", "msg user");
    div.append(el("div", "text", text), meta(at));
    log.append(div);
    return div;
  }

  function addBot(message, at) {
    const text = message.text || "";
    let bubble = null;
    if (text) {
      bubble = el("div", "msg bot");
      let plain = [];
      const flush = () => {
        const chunk = plain.join("\n").trim();
        if (chunk) bubble.append(el("div", "text", chunk));
        plain = [];
      };
      for (const line of text.split("\n")) {
        if (line.trim().startsWith(BASIS)) {
          flush();
          bubble.append(basisNode(line.trim()));
        } else {
          plain.push(line);
        }
      }
      flush();
      // the server finds the code (the one format of knowledge/vocabulary.py), the page shows it
      if (message.case_code) bubble.append(caseCodeBox(message.case_code));
      bubble.append(meta(at, listenButton(text)));
      log.append(bubble);
    }
    if (message.buttons && message.buttons.length) {
      const box = el("div", "chips");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Bạn có thể chọn");
      for (const b of message.buttons) {
        const chip = el("button", "", b.title);
        chip.type = "button";
        chip.onclick = () => send(b.payload, b.title);
        box.append(chip);
      }
      log.append(box);
      bubble = bubble || box;
    }
    return bubble;
  }

  function addError(text, retry) {
    const div = el("div", "msg bot error", "");
    div.setAttribute("role", "alert");
    div.append(el("div", "text", text));
    log.append(div);
    if (retry) {
      const box = el("div", "chips");
      const again = el("button", "", "Thử lại");
      again.type = "button";
      again.onclick = retry;
      box.append(again);
      log.append(box);
    }
    return div;
  }

  function addNotice(text) {
    const div = el("div", "msg bot notice");
    div.append(el("div", "text", text));
    log.append(div);
    return div;
  }

  function showStart(node) {  // the start of an answer at the top of the view, never its end
    if (node) node.scrollIntoView({block: "start"});
  }

  function disableChips() {  // the turn is answered: its chips (and any "Thử lại") are spent
    const disabled = [];
    for (const chip of log.querySelectorAll(".chips button:not(:disabled)")) {
      chip.disabled = true;
      disabled.push(chip);
    }
    return disabled;
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    statusLine.textContent = value ? "Đang trả lời..." : "";
  }

  function keepUnsent(text, shown) {  // a typed message that was not handled goes back into the box
    if (!shown && !input.value) input.value = text;
  }

  function errorText(body) {
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail) && body.detail[0] && body.detail[0].msg) {
      return String(body.detail[0].msg).replace(/^Value error, /, "");
    }
    return "Xin lỗi, có lỗi xảy ra. Bạn vui lòng thử lại.";
  }

  async function send(text, shown) {
    if (busy) return;  // one message at a time: no double sends
    const disabled = disableChips();
    setBusy(true);
    addUser(shown || text);
    const retry = () => {
      if (busy) return;
      if (!shown && input.value === text) input.value = "";
      send(text, shown);
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let first = null, failed = false;
    try {
      const r = await fetch("/api/v1/chat", {
        method: "POST", credentials: "same-origin", headers: {"content-type": "application/json"},
        body: JSON.stringify({text}), signal: controller.signal,
      });
      let body = {};
      try { body = await r.json(); } catch (error) { body = {}; }
      if (!r.ok) {
        failed = true;
        // 401: the conversation ran out (or its id is not valid); the server has cleared the cookie,
        // so the next message starts a new conversation. 503: not handled, to be sent again.
        const notHandled = r.status === 503 || r.status === 502 || r.status === 504;  // gateway: resend
        first = addError(errorText(body), notHandled || r.status >= 500 ? retry : null);
        if (r.status === 401 || notHandled) keepUnsent(text, shown);
      } else {
        const now = new Date();
        for (const m of body.messages || []) {
          const node = addBot(m, now);
          first = first || node;
        }
      }
    } catch (error) {
      failed = true;
      const timedOut = error && error.name === "AbortError";
      first = addError(timedOut
        ? "Máy chủ trả lời quá lâu (hơn 15 giây). Bạn bấm \"Thử lại\" nhé."
        : "Không kết nối được máy chủ. Bạn kiểm tra mạng rồi bấm \"Thử lại\" nhé.", retry);
      keepUnsent(text, shown);
    } finally {
      clearTimeout(timer);
      setBusy(false);
    }
    if (failed && shown) disabled.forEach((chip) => { chip.disabled = false; });  // tap again
    showStart(first);
  }

  $("form").onsubmit = (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    send(text);
  };

  // ---- voice input (the browser's speech recognition, where it has one) ----
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  let listening = null;
  if (Recognition) {
    mic.hidden = false;
    mic.onclick = () => {
      if (listening) { listening.stop(); return; }
      const recognition = new Recognition();
      recognition.lang = "vi-VN";
      recognition.interimResults = false;
      recognition.maxAlternatives = 1;
      recognition.onresult = (event) => {
        const said = event.results[0][0].transcript.trim();
        input.value = input.value ? `${input.value} ${said}` : said;
        input.focus();
      };
      recognition.onerror = () => { statusLine.textContent = "Chưa nghe rõ. Bạn thử nói lại, hoặc gõ chữ nhé."; };
      recognition.onend = () => { listening = null; mic.setAttribute("aria-pressed", "false"); };
      listening = recognition;
      mic.setAttribute("aria-pressed", "true");
      recognition.start();
    };
  }

  // ---- first screen and the conversation so far ----
  function notes(welcome) {
    const list = el("ul", "notes");
    list.setAttribute("aria-label", "Lưu ý");
    list.append(el("li", "", welcome.privacy));
    const h = welcome.hotline;
    const hotline = el("li", "", `Cần nói chuyện với người thật: gọi ${h.name} `);
    const call = el("a", "", h.number);
    call.href = `tel:${h.tel}`;
    hotline.append(call, ` (${h.free ? "miễn phí, " : ""}${h.hours}).`);
    list.append(hotline);
    if (Recognition) {
      list.append(el("li", "", "Nút \"Nói\": giọng nói của bạn được gửi tới dịch vụ nhận dạng giọng nói của trình duyệt."));
    }
    return list;
  }

  async function getJson(url) {
    const r = await fetch(url, {credentials: "same-origin", headers: {accept: "application/json"}});
    let body = {};
    try { body = await r.json(); } catch (error) { body = {}; }
    return {ok: r.ok, status: r.status, body};
  }

  async function start() {
    input.disabled = sendButton.disabled = true;  // the conversation so far comes first
    try {
      const welcome = await getJson("/api/v1/chat/welcome");
      if (!welcome.ok) throw new Error(String(welcome.status));
      for (const m of welcome.body.greeting) addBot(m, new Date());
      log.append(notes(welcome.body));
    } catch (error) {
      addError("Chưa tải được lời chào của trợ lý. Bạn vẫn có thể gõ câu hỏi bên dưới.");
    }
    try {
      const history = await getJson("/api/v1/chat/history");
      if (history.ok) {
        if (history.body.notice) addNotice(history.body.notice);
        for (const m of history.body.messages || []) {
          if (m.role === "user") {
            addUser(m.text, m.at);
          } else {
            addBot(m, m.at);
          }
        }
      } else {
        addNotice(errorText(history.body));
      }
    } catch (error) {
      addNotice("Chưa tải lại được các tin nhắn trước. Bạn cứ nhắn tiếp.");
    }
    input.disabled = sendButton.disabled = false;
    const users = log.querySelectorAll(".msg.user");
    if (users.length) {  // earlier turns were answered: only the chips after the last message stay
      const lastUser = users[users.length - 1];
      for (const chip of log.querySelectorAll(".chips button")) {
        if (lastUser.compareDocumentPosition(chip) & Node.DOCUMENT_POSITION_PRECEDING) chip.disabled = true;
      }
      showStart(lastUser.nextElementSibling || lastUser);
    }
  }

  start();
})();
