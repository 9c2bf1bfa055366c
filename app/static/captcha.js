/* The login form's "New picture" without reloading the page: what was typed stays. Without
 * JavaScript (or when this request fails) the button sends the form, and the page comes back
 * with the name kept and a new picture.
 */
(function () {
  'use strict';

  function setup(box) {
    var form = box.closest('form');
    var button = box.querySelector('button[name=captcha_new]');
    var input = box.querySelector('input[type=text]');
    var picture = box.querySelector('img');
    var audio = box.querySelector('audio');
    var download = box.querySelector('.captcha-sound a');
    var status = box.querySelector('.captcha-status');

    button.addEventListener('click', function (event) {
      event.preventDefault();
      var body = new FormData();
      if (form.elements.csrf_token) body.append('csrf_token', form.elements.csrf_token.value);
      body.append('captcha_key', form.elements.captcha_key.value);
      fetch(box.dataset.captchaNew, {method: 'POST', body: body, credentials: 'same-origin'})
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (fresh) {
          form.elements.captcha_key.value = fresh.key;
          picture.src = fresh.picture;
          audio.src = fresh.sound;
          download.href = fresh.sound;
          input.value = '';
          input.focus();
          status.textContent = box.dataset.captchaAnnounce;
        })
        .catch(function () { form.requestSubmit(button); });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-captcha-new]').forEach(setup);
  });
})();
