// A portal page as README "Embedding in a portal" shows it: a tile in an iframe, given the
// portal's token when it asks for one. Test parameters: tile (the tile's URL), token, hold (the
// page does not answer: the test does), beside (a page of another origin in a frame beside the tile).
const params = new URLSearchParams(location.search);
const tileUrl = new URL(params.get('tile'), location.href);
const tile = document.getElementById('tile');
window.addEventListener('message', (event) => {
  if (event.origin !== tileUrl.origin || event.source !== tile.contentWindow || event.data?.type !== 'kci-token-wanted') return;
  document.body.dataset.wanted = String(Number(document.body.dataset.wanted || 0) + 1);
  if (!params.has('hold')) tile.contentWindow.postMessage({type: 'kci-token', token: params.get('token')}, tileUrl.origin);
});
tile.src = tileUrl.href;
if (params.has('beside')) document.getElementById('beside').src = 'beside.html';
