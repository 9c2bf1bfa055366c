/* The materials' file pickers in the page's language. Chromium words its native file control
 * ("Choose Files / No file chosen") in the browser's language, and clips it in 大字版; so each
 * .file-picker's label is shown as the button (选择文件: it opens the chooser, being the input's
 * label), the input is hidden from sight but keeps the keyboard focus (the ring is drawn on the
 * label), and the line after it says the chosen file's name, or how many and which, or that none
 * is chosen (the input's description, said politely when it changes). Without JavaScript nothing
 * changes: the native control shows under its label.
 */
(function () {
  'use strict';

  function names(files) {
    var list = Array.prototype.map.call(files, function (file) { return file.name; });
    try {
      return new Intl.ListFormat(document.documentElement.lang || undefined,
                                 {type: 'conjunction'}).format(list);
    } catch (e) {
      return list.join(', ');
    }
  }

  function setup(picker) {
    var input = picker.querySelector('input.file-input');
    var chosen = picker.querySelector('.file-chosen');
    if (!input || !chosen || picker.classList.contains('ready')) return;
    function show() {
      var files = input.files || [];
      if (!files.length) chosen.textContent = picker.dataset.none;
      else if (files.length === 1) chosen.textContent = files[0].name;
      else chosen.textContent = picker.dataset.many.replace('{count}', String(files.length))
                                                   .replace('{names}', names(files));
    }
    input.addEventListener('change', show);
    show();  // a file kept by the browser on going back
    chosen.hidden = false;
    picker.classList.add('ready');
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('.file-picker'), setup);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
