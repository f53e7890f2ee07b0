/** Baseline page for B5: renders every message into the DOM and re-renders the list on each chunk, as the peers do. */
export const NAIVE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; font: 13px sans-serif; } #log { height: 700px; overflow: auto; } .row { padding: 6px 12px; white-space: pre-wrap; }
</style></head><body><div id="log" role="log"></div><script>
const esc = (s) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
let messages = [];
function render() {
  document.getElementById('log').innerHTML = messages.map((m) => '<div class="row" data-key="' + m.id + '"><b>' + m.role + '</b> ' + esc(m.text) + '</div>').join('');
}
window.__load = (entries) => { messages = entries; render(); };
window.__chunk = (id, text) => {
  const last = messages[messages.length - 1];
  if (last && last.id === id) last.text += text; else messages.push({ id, role: 'assistant', text });
  render();
};
</script></body></html>`;
