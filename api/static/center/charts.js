/* Small SVG charts for the centre dashboard: no library, every label inserted as text. */
"use strict";

window.CenterCharts = (() => {
  const SVG = "http://www.w3.org/2000/svg";

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgRoot(width, height, label) {
    const svg = svgEl("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
    svg.setAttribute("aria-label", label);
    return svg;
  }

  function empty(container) {
    const p = document.createElement("p");
    p.className = "none";
    p.textContent = "Chưa có số liệu.";
    container.replaceChildren(p);
  }

  /** A "nice" axis maximum and step for values up to max. */
  function niceScale(max, ticks) {
    if (max <= 0) return { top: 1, step: 1 };
    const raw = max / ticks;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || raw;
    const wholeStep = Math.max(1, Math.round(step));
    return { top: Math.ceil(max / wholeStep) * wholeStep, step: wholeStep };
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  /** Vertical columns, e.g. cases per month. items: [{label, value, title}] in display order. */
  function columns(container, items, options) {
    const opts = Object.assign({ height: 260, unit: "hồ sơ", label: "Biểu đồ cột" }, options || {});
    if (!items.length) return empty(container);
    const width = Math.max(280, Math.floor(container.clientWidth || 600));
    const height = opts.height;
    const left = 40, right = 10, top = 18, bottom = 42;
    const plotW = width - left - right, plotH = height - top - bottom;
    const max = Math.max(...items.map((i) => i.value));
    const { top: axisTop, step } = niceScale(max, 4);
    const svg = svgRoot(width, height, opts.label);
    for (let v = 0; v <= axisTop; v += step) {
      const y = top + plotH - (v / axisTop) * plotH;
      svg.append(svgEl("line", { class: "grid", x1: left, x2: width - right, y1: y, y2: y }));
      svg.append(svgEl("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, String(v)));
    }
    const slot = plotW / items.length;
    const barW = Math.max(4, Math.min(48, slot * 0.7));
    const labelEvery = Math.ceil(items.length / Math.max(1, Math.floor(plotW / 56)));
    items.forEach((item, index) => {
      const h = (item.value / axisTop) * plotH;
      const x = left + index * slot + (slot - barW) / 2;
      const y = top + plotH - h;
      const bar = svgEl("rect", { class: "bar", x, y, width: barW, height: Math.max(h, 0) });
      bar.append(svgEl("title", {}, `${item.title || item.label}: ${item.value} ${opts.unit}`));
      svg.append(bar);
      if (item.value > 0 && barW >= 14) {
        svg.append(svgEl("text", { class: "value", x: x + barW / 2, y: y - 4, "text-anchor": "middle" }, String(item.value)));
      }
      if (index % labelEvery === 0) {
        svg.append(svgEl("text", { x: x + barW / 2, y: top + plotH + 16, "text-anchor": "middle" }, item.label));
      }
    });
    svg.append(svgEl("line", { class: "axis", x1: left, x2: width - right, y1: top + plotH, y2: top + plotH }));
    container.replaceChildren(svg);
    return svg;
  }

  /** Horizontal bars sorted by value, e.g. by province. items: [{label, value}]. */
  function bars(container, items, options) {
    const opts = Object.assign({ limit: 12, unit: "hồ sơ", label: "Biểu đồ thanh", other: "Khác" }, options || {});
    const sorted = items.filter((i) => i.value > 0).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, "vi"));
    if (!sorted.length) return empty(container);
    let shown = sorted;
    if (sorted.length > opts.limit) {
      shown = sorted.slice(0, opts.limit - 1);
      const rest = sorted.slice(opts.limit - 1).reduce((sum, i) => sum + i.value, 0);
      shown.push({ label: `${opts.other} (${sorted.length - opts.limit + 1})`, value: rest });
    }
    const width = Math.max(260, Math.floor(container.clientWidth || 480));
    const rowH = 26, top = 4;
    const labelW = Math.min(180, Math.floor(width * 0.42));
    const valueW = 40;
    const plotW = width - labelW - valueW - 8;
    const height = top * 2 + shown.length * rowH;
    const max = Math.max(...shown.map((i) => i.value));
    const svg = svgRoot(width, height, opts.label);
    container.replaceChildren(svg);  // attached first, so label widths can be measured
    shown.forEach((item, index) => {
      const y = top + index * rowH;
      const label = svgEl("text", { x: labelW - 6, y: y + rowH / 2 + 4, "text-anchor": "end" }, item.label);
      svg.append(label);
      fit(label, item.label, labelW - 10);
      label.append(svgEl("title", {}, item.label));
      const w = Math.max(2, (item.value / max) * plotW);
      const bar = svgEl("rect", { class: "bar", x: labelW, y: y + 4, width: w, height: rowH - 8, rx: 2 });
      bar.append(svgEl("title", {}, `${item.label}: ${item.value} ${opts.unit}`));
      svg.append(bar);
      svg.append(svgEl("text", { class: "value", x: labelW + w + 5, y: y + rowH / 2 + 4 }, String(item.value)));
    });
    svg.append(svgEl("line", { class: "axis", x1: labelW, x2: labelW, y1: top, y2: height - top }));
    return svg;
  }

  /** Shorten an SVG text (with "…") until it is at most maxWidth pixels wide. */
  function fit(node, text, maxWidth) {
    let length = text.length;
    while (length > 4 && node.getComputedTextLength() > maxWidth) {
      length -= 1;
      node.textContent = shorten(text, length);
    }
  }

  /** Every month from the first to the last key ("YYYY-MM"), missing months as 0. */
  function monthSeries(byMonth) {
    const keys = Object.keys(byMonth).filter((k) => /^\d{4}-\d{2}$/.test(k)).sort();
    if (!keys.length) return [];
    const items = [];
    let [year, month] = keys[0].split("-").map(Number);
    const [lastYear, lastMonth] = keys[keys.length - 1].split("-").map(Number);
    while (year < lastYear || (year === lastYear && month <= lastMonth)) {
      const key = `${year}-${String(month).padStart(2, "0")}`;
      items.push({ label: `${String(month).padStart(2, "0")}/${year}`, title: `Tháng ${month}/${year}`, value: byMonth[key] || 0 });
      month += 1;
      if (month > 12) { month = 1; year += 1; }
      if (items.length > 240) break;
    }
    return items;
  }

  return { columns, bars, monthSeries };
})();
