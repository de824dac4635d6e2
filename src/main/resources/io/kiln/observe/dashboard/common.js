// Shared by the dashboard's pages: formatting, and escaping of text from queries (SQL, errors).
'use strict';
const kiln = {
  text(s) {
    const d = document.createElement('div');
    d.textContent = s == null ? '' : String(s);
    return d.innerHTML;
  },
  bytes(n) {
    if (n < 1024) return n + ' B';
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n / 1024, i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return v.toFixed(1) + ' ' + units[i];
  },
  count(n) { return Number(n).toLocaleString('en-US'); },
  millis(ms) {
    if (ms < 1000) return ms + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  },
  time(epochMillis) { return new Date(epochMillis).toISOString().replace('T', ' ').substring(0, 19) + 'Z'; },
  fraction(stage) { return stage.tasksTotal > 0 ? stage.tasksDone / stage.tasksTotal : 0; },
  bar(fraction) {
    const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    return '<span class="bar" title="' + pct + '%"><div style="width:' + pct + '%"></div></span> ' + pct + '%';
  },
  /** Sets an element's HTML only when it changed, so a live update does not redraw what is being clicked. */
  html(id, html) {
    const el = document.getElementById(id);
    if (el.innerHTML !== html && el.dataset.drawn !== html) {
      el.innerHTML = html;
      el.dataset.drawn = html;
    }
  },
  status(s) { return '<span class="status-' + kiln.text(s) + '">' + kiln.text(s) + '</span>'; },
};
