/* The wizard's field enhancements. Every field also works without them:
 * - region pickers: with htmx loaded, a changed select redraws the picker (hx-get), so the
 *   "list the places" buttons for the no-JavaScript round trip are hidden (html.js-fields);
 * - signatures: the drawing pad (vendored signature_pad) is shown, with undo, redo and clear;
 *   its PNG goes into the field's hidden input, and the typed-name box is disabled while a
 *   drawing exists (a typed name, when sent, is the answer instead);
 * - a row added to a repeating group: the focus goes into it (the page already opens there);
 * - a refused step: its error summary takes the focus;
 * - the live update: what is typed or chosen while it is on its way is put back into the
 *   questions it redraws (see keepTyped), and the questions it shows or hides are said in the
 *   page's polite live region (see announce), without moving the focus.
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

  // The live update (htmx, hx-sync replace on the form: a newer one cancels the older) redraws
  // #page-fields from the answers it sent. What the citizen typed or chose after it was sent
  // is put back into the redrawn questions, and a live question among them asks again, so the
  // server sees it too. Never lost: a value typed while the answer was on its way.
  var edited = null;  // names edited since the live update in flight was sent
  var kept = null;    // their values as the citizen left them, by name

  function isLiveUpdate(event) {
    var target = event.detail && event.detail.target;
    return Boolean(target && target.id === 'page-fields');
  }

  function named(root, name) {
    return Array.prototype.filter.call(root.querySelectorAll('[name]'), function (element) {
      return element.name === name;
    });
  }

  function stateOf(element) {
    if (element.type === 'checkbox' || element.type === 'radio') return element.checked;
    if (element.multiple) {
      return Array.prototype.filter.call(element.options, function (option) {
        return option.selected;
      }).map(function (option) { return option.value; });
    }
    return element.value;
  }

  function restore(element, state) {
    var before = JSON.stringify(stateOf(element));
    if (element.type === 'checkbox' || element.type === 'radio') {
      element.checked = state;
    } else if (element.multiple) {
      Array.prototype.forEach.call(element.options, function (option) {
        option.selected = state.indexOf(option.value) >= 0;
      });
    } else {
      element.value = state;
    }
    return JSON.stringify(stateOf(element)) !== before;
  }

  function keepTyped(fields) {
    var again = null;
    Object.keys(kept).forEach(function (name) {
      var now = named(fields, name);
      kept[name].forEach(function (saved) {
        var element = saved.value === null ? now[saved.index]
          : now.filter(function (e) { return e.value === saved.value; })[0];
        if (!element || !restore(element, saved.state)) return;
        if (saved.focused && element.setSelectionRange && saved.start !== null) {
          try { element.setSelectionRange(saved.start, saved.end); } catch (e) { /* no caret */ }
        }
        if (!again && element.closest('[hx-post]')) again = element;
      });
    });
    // Ask again with what the server did not see (an older answer was cancelled, or never sent).
    if (again) again.dispatchEvent(new Event('change', {bubbles: true}));
  }

  function noteEdit(event) {
    var target = event.target;
    if (edited && target.name && target.closest && target.closest('#page-fields')) {
      edited[target.name] = true;
    }
  }

  document.addEventListener('input', noteEdit, true);
  document.addEventListener('change', noteEdit, true);
  document.addEventListener('htmx:beforeRequest', function (event) {
    if (isLiveUpdate(event)) edited = {};
  });
  document.addEventListener('htmx:beforeSwap', function (event) {
    if (!isLiveUpdate(event) || !edited) return;
    var fields = document.getElementById('page-fields');
    kept = {};
    Object.keys(edited).forEach(function (name) {
      kept[name] = named(fields, name).map(function (element, index) {
        var checkable = element.type === 'checkbox' || element.type === 'radio';
        var focused = element === document.activeElement, start = null, end = null;
        try { start = element.selectionStart; end = element.selectionEnd; } catch (e) { /* */ }
        return {index: index, value: checkable ? element.value : null, state: stateOf(element),
                focused: focused, start: start, end: end};
      });
    });
    edited = null;
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.target.id !== 'page-fields' || !kept) return;
    keepTyped(event.target);
    kept = null;
  });

  // Which questions the live update showed or hid, said in #page-fields-status (aria-live
  // polite): a screen reader hears that 新手机号码 appeared below, the focus stays where it is.
  var asked = null;  // the questions shown before the live update, by id: their names

  function questions(fields) {
    var found = {};
    Array.prototype.forEach.call(fields.querySelectorAll('.question[id^="q-"]'), function (q) {
      var name = q.querySelector('legend, label, .label');
      found[q.id] = (name ? name.textContent : q.id).trim();
    });
    return found;
  }

  function announce(fields) {
    var status = document.getElementById('page-fields-status');
    if (!status || !asked) return;
    var now = questions(document.getElementById('page-fields') || fields), before = asked;
    var said = [], and = /^zh/.test(document.documentElement.lang) ? '、' : ', ';
    var shown = Object.keys(now).filter(function (id) { return !(id in before); });
    var hidden = Object.keys(before).filter(function (id) { return !(id in now); });
    if (shown.length) {
      said.push(status.dataset.shown.replace('{questions}',
        shown.map(function (id) { return now[id]; }).join(and)));
    }
    if (hidden.length) {
      said.push(status.dataset.hidden.replace('{questions}',
        hidden.map(function (id) { return before[id]; }).join(and)));
    }
    asked = null;
    if (!said.length) return;
    status.textContent = '';  // the same words again are a new announcement
    window.setTimeout(function () { status.textContent = said.join(' '); }, 50);
  }

  document.addEventListener('htmx:beforeSwap', function (event) {
    if (isLiveUpdate(event)) asked = questions(document.getElementById('page-fields'));
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.target.id === 'page-fields') announce(event.target);
  });

  if (window.htmx) document.documentElement.classList.add('js-fields');
  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  // A refused step opens with its error summary focused, so that it is read first and its
  // links are the next Tab stops; not when the page opens at a fragment (an added row).
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.querySelector('main section.problems[tabindex="-1"]');
    if (summary && !window.location.hash) summary.focus();
  });
  // After the browser's own move to the fragment, which drops the focus.
  window.addEventListener('load', function () { window.setTimeout(focusAddedRow, 0); });
  document.addEventListener('htmx:load', function (event) { enhance(event.target); });
})();
