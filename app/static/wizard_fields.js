/* The wizard's field enhancements. Every field also works without them:
 * - region pickers: with htmx loaded, a changed select redraws the picker (hx-get), so the
 *   "list the places" buttons for the no-JavaScript round trip are hidden (html.js-fields);
 * - signatures: the drawing pad (vendored signature_pad) is shown, with undo, redo and clear;
 *   its PNG goes into the field's hidden input, and the typed-name box is disabled while a
 *   drawing exists (a typed name, when sent, is the answer instead);
 * - a row added to a repeating group: the focus goes into it (the page already opens there).
 */
(function () {
  'use strict';
  var MAX_RATIO = 2;  // the PNG stays small (the server takes at most 200 KB)

  function setupPad(wrapper) {
    if (wrapper.dataset.ready || !window.SignaturePad) return;
    wrapper.dataset.ready = '1';
    var canvas = wrapper.querySelector('canvas');
    var input = document.getElementById(wrapper.dataset.input);
    var typed = document.getElementById(wrapper.dataset.typed);
    var saved = document.getElementById(wrapper.dataset.input + '-saved');
    var pad = new window.SignaturePad(canvas, {minWidth: 1, maxWidth: 3, penColor: '#111'});
    var undone = [];
    // A saved drawing is shown as an image: it has no strokes to undo, and it stays the
    // answer until a new stroke or "clear" replaces it.
    var loaded = false;

    function store() {
      var empty = !loaded && pad.isEmpty();
      if (!loaded) input.value = empty ? '' : pad.toDataURL('image/png');
      if (typed) {
        if (!empty) typed.value = '';
        typed.disabled = !empty;
      }
      wrapper.querySelector('[data-pad=undo]').disabled = !pad.toData().length;
      wrapper.querySelector('[data-pad=redo]').disabled = !undone.length;
      wrapper.querySelector('[data-pad=clear]').disabled = empty;
    }

    function draw(strokes) {
      pad.clear();
      if (strokes.length) pad.fromData(strokes);
    }

    function resize() {
      if (!document.body.contains(canvas)) return;  // redrawn by a live update since
      var ratio = Math.min(window.devicePixelRatio || 1, MAX_RATIO);
      var strokes = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext('2d').scale(ratio, ratio);
      if (loaded && input.value) {
        pad.fromDataURL(input.value, {width: canvas.offsetWidth, height: canvas.offsetHeight});
      } else {
        draw(strokes);
      }
    }

    pad.addEventListener('beginStroke', function () {
      if (loaded) {  // drawing over a saved signature starts a new one
        loaded = false;
        pad.clear();
      }
    });
    pad.addEventListener('endStroke', function () {
      undone = [];
      store();
    });
    wrapper.addEventListener('click', function (event) {
      var action = event.target.getAttribute('data-pad');
      if (!action) return;
      var strokes = pad.toData();
      if (action === 'undo' && strokes.length) {
        undone.push(strokes.pop());
        draw(strokes);
      } else if (action === 'redo' && undone.length) {
        strokes.push(undone.pop());
        draw(strokes);
      } else if (action === 'clear') {
        loaded = false;
        undone = [];
        pad.clear();
      }
      store();
    });

    wrapper.hidden = false;
    if (saved) saved.hidden = true;
    loaded = Boolean(input.value);
    resize();
    window.addEventListener('resize', resize);
    store();
  }

  function enhance(root) {
    (root.querySelectorAll ? root : document).querySelectorAll('.signature-pad').forEach(setupPad);
  }

  // A row just added opens the page at its fieldset (#<group>-<n>-row, the add button's
  // formaction): put the focus on its first question, where the citizen goes on typing.
  function focusAddedRow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || !target.matches('fieldset.row')) return;
    var first = target.querySelector('input:not([type=hidden]):not([readonly]):not([disabled]), ' +
                                     'select:not([disabled]), textarea:not([readonly])');
    (first || target).focus();
  }

  if (window.htmx) document.documentElement.classList.add('js-fields');
  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  // After the browser's own move to the fragment, which drops the focus.
  window.addEventListener('load', function () { window.setTimeout(focusAddedRow, 0); });
  document.addEventListener('htmx:load', function (event) { enhance(event.target); });
})();
