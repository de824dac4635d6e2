// The dashboard's front page: the cluster, running queries with per-stage progress, and history,
// redrawn from each Server-Sent Event the server pushes.
'use strict';

function renderWorkers(workers) {
  const rows = workers.map(w => '<tr><td>' + kiln.text(w.id) + '</td><td>' + kiln.text(w.address) + '</td>'
    + '<td class="num">' + w.slots + '</td><td class="num">' + w.tasksRunning + '</td>'
    + '<td class="num">' + kiln.millis(w.heartbeatAgeMillis) + '</td><td class="num">' + kiln.bytes(w.memoryBytes) + '</td>'
    + '<td>' + (w.draining ? 'draining' : 'live') + '</td></tr>');
  kiln.html('workers', rows.length ? rows.join('')
    : '<tr><td colspan="7" class="empty">no worker has joined</td></tr>');
}

function stageRows(q) {
  return q.stages.map(s => '<tr class="stage"><td>' + s.id + '</td><td>' + kiln.text(s.label) + '</td>'
    + '<td class="num tasks">' + s.tasksDone + ' / ' + s.tasksTotal + '</td><td class="progress">' + kiln.bar(kiln.fraction(s))
    + '</td><td class="num read">' + kiln.count(s.rowsRead) + '</td><td class="num rows">' + kiln.count(s.rows) + '</td><td class="num">' + kiln.bytes(s.bytes) + '</td></tr>').join('');
}

/**
 * One block per running query, made once and then updated in place (its duration, its stage
 * rows), so that its link stays the same element while the query runs.
 */
function renderRunning(queries) {
  const container = document.getElementById('running-queries');
  const running = queries.filter(q => q.status === 'running');
  const ids = new Set(running.map(q => q.id));
  container.querySelectorAll('.running-query').forEach(div => { if (!ids.has(div.dataset.id)) div.remove(); });
  const none = container.querySelector('.empty');
  if (running.length === 0) {
    if (!none) container.innerHTML = '<p class="empty">none</p>';
    return;
  }
  if (none) none.remove();
  running.forEach(q => {
    let div = [...container.querySelectorAll('.running-query')].find(d => d.dataset.id === q.id);
    if (!div) {
      div = document.createElement('div');
      div.className = 'running-query';
      div.dataset.id = q.id;
      div.innerHTML = '<p><a href="query.html?id=' + encodeURIComponent(q.id) + '">' + kiln.text(q.id) + '</a> '
        + '<span class="sql">' + kiln.text(q.sql) + '</span> — ' + kiln.text(q.user) + ', running for '
        + '<span class="duration"></span></p>'
        + '<table><thead><tr><th>Stage</th><th>Step</th><th>Tasks done</th><th>Progress</th><th>Rows read</th><th>Rows out</th><th>Bytes</th></tr></thead>'
        + '<tbody></tbody></table>';
      container.appendChild(div);
    }
    div.querySelector('.duration').textContent = kiln.millis(q.durationMillis);
    const body = div.querySelector('tbody');
    const rows = stageRows(q);
    if (body.dataset.drawn !== rows) {
      body.innerHTML = rows;
      body.dataset.drawn = rows;
    }
  });
}

function renderHistory(queries) {
  const ended = queries.filter(q => q.status !== 'running');
  kiln.html('history-rows', ended.length ? ended.map(q => '<tr class="history-row">'
    + '<td><a href="query.html?id=' + encodeURIComponent(q.id) + '">' + kiln.text(q.id) + '</a></td>'
    + '<td class="sql" title="' + kiln.text(q.sql) + '">' + kiln.text(q.sql) + '</td><td>' + kiln.text(q.user) + '</td>'
    + '<td>' + kiln.time(q.startMillis) + '</td><td class="num">' + kiln.millis(q.durationMillis) + '</td>'
    + '<td>' + kiln.status(q.status) + '</td><td>' + kiln.text(q.error) + '</td></tr>').join('')
    : '<tr><td colspan="7" class="empty">no query has ended yet</td></tr>');
}

function render(board) {
  renderWorkers(board.workers);
  renderRunning(board.queries);
  renderHistory(board.queries);
}

const events = new EventSource('/api/events');
events.addEventListener('board', e => {
  document.getElementById('live').textContent = 'live';
  render(JSON.parse(e.data));
});
events.onerror = () => { document.getElementById('live').textContent = 'reconnecting…'; };
