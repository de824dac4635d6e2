// One query's page: its stage DAG (laid out by dagre, drawn by cytoscape), live progress per
// stage over Server-Sent Events, its EXPLAIN ANALYZE text and generated code, and a cancel button.
'use strict';

const queryId = new URLSearchParams(location.search).get('id');
let graph = null;        // the cytoscape graph, made once the stages are known
let graphShape = '';     // the stages and edges it was drawn for
let traceUrl = '';

/** Node positions from dagre, top to bottom in the direction data flows (inputs first). */
function layout(stages) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 45 });
  g.setDefaultEdgeLabel(() => ({}));
  stages.forEach(s => g.setNode(String(s.id), { width: 220, height: 48 }));
  stages.forEach(s => s.inputs.forEach(i => g.setEdge(String(i), String(s.id))));
  dagre.layout(g);
  const at = {};
  g.nodes().forEach(n => { const p = g.node(n); at[n] = { x: p.x, y: p.y }; });
  return at;
}

function nodeLabel(s) {
  return '#' + s.id + ' ' + s.label.substring(0, 32) + '\n' + s.tasksDone + '/' + s.tasksTotal + ' tasks, '
    + kiln.count(s.rows) + ' rows';
}

function drawDag(stages) {
  const shape = JSON.stringify(stages.map(s => [s.id, s.inputs]));
  if (graph === null || shape !== graphShape) {
    const at = layout(stages);
    const elements = [];
    stages.forEach(s => elements.push({ group: 'nodes', data: { id: String(s.id), label: nodeLabel(s), done: kiln.fraction(s) },
      position: at[String(s.id)] }));
    stages.forEach(s => s.inputs.forEach(i => elements.push({ group: 'edges',
      data: { id: i + '-' + s.id, source: String(i), target: String(s.id) } })));
    if (graph !== null) graph.destroy();
    graph = cytoscape({
      container: document.getElementById('dag'),
      elements: elements,
      layout: { name: 'preset', fit: true, padding: 20 },
      userZoomingEnabled: true,
      style: [
        { selector: 'node', style: { shape: 'round-rectangle', width: 220, height: 48, label: 'data(label)',
          'text-wrap': 'wrap', 'text-valign': 'center', 'font-size': 11, 'border-width': 1, 'border-color': '#9aa4ad',
          'background-color': 'mapData(done, 0, 1, #f2f4f6, #f6b27a)' } },
        { selector: 'edge', style: { width: 2, 'line-color': '#9aa4ad', 'target-arrow-color': '#9aa4ad',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier' } },
      ],
    });
    graphShape = shape;
    window.kilnGraph = graph; // for tests and the curious
  } else {
    stages.forEach(s => graph.getElementById(String(s.id)).data({ label: nodeLabel(s), done: kiln.fraction(s) }));
  }
}

function renderStages(stages) {
  kiln.html('stages', stages.map(s => '<tr class="stage"><td>' + s.id + '</td><td>'
    + kiln.text(s.label) + '</td><td>' + kiln.text(s.inputs.join(', ')) + '</td><td class="num tasks">' + s.tasksDone
    + ' / ' + s.tasksTotal + '</td><td class="progress">' + kiln.bar(kiln.fraction(s)) + '</td><td class="num read">' + kiln.count(s.rowsRead)
    + '</td><td class="num rows">' + kiln.count(s.rows)
    + '</td><td class="num">' + kiln.bytes(s.bytes) + '</td></tr>').join(''));
}

function renderTrace(q) {
  const el = document.getElementById('trace');
  if (!traceUrl) {
    el.innerHTML = '<span class="empty">no trace URL configured (--trace-url)</span>';
  } else if (!q.traceId) {
    el.innerHTML = '<span class="empty">no trace id recorded for this query</span>';
  } else {
    const url = traceUrl.replace('{traceId}', encodeURIComponent(q.traceId));
    el.innerHTML = '<a id="trace-link" href="' + kiln.text(url) + '">' + kiln.text(q.traceId) + '</a>';
  }
}

function render(q) {
  document.getElementById('query-id').textContent = q.id;
  document.getElementById('status').innerHTML = kiln.status(q.status);
  document.getElementById('sql').textContent = q.sql;
  document.getElementById('user').textContent = q.user;
  document.getElementById('start').textContent = kiln.time(q.startMillis);
  document.getElementById('duration').textContent = kiln.millis(q.durationMillis);
  document.getElementById('error').textContent = q.error;
  document.getElementById('cancel').disabled = q.status !== 'running';
  renderTrace(q);
  renderStages(q.stages);
  drawDag(q.stages);
  if (q.analyze) document.getElementById('analyze').textContent = q.analyze;
  if (q.code) document.getElementById('code').textContent = q.code;
}

document.getElementById('cancel').addEventListener('click', () => {
  document.getElementById('cancel').disabled = true;
  fetch('/api/queries/' + encodeURIComponent(queryId) + '/cancel', { method: 'POST' })
    .then(r => { if (!r.ok) return r.text().then(t => { document.getElementById('error').textContent = t; }); });
});

fetch('/api/board').then(r => r.json()).then(board => {
  traceUrl = board.traceUrl;
  const events = new EventSource('/api/queries/' + encodeURIComponent(queryId) + '/events');
  events.addEventListener('query', e => {
    document.getElementById('live').textContent = 'live';
    const q = JSON.parse(e.data);
    render(q);
    if (q.status !== 'running') {
      events.close(); // it will not change again
      document.getElementById('live').textContent = 'ended';
    }
  });
  events.addEventListener('missing', () => {
    events.close();
    document.getElementById('live').textContent = 'no such query';
    document.getElementById('error').textContent = 'the server knows no query ' + queryId;
  });
  events.onerror = () => { document.getElementById('live').textContent = 'reconnecting…'; };
});
