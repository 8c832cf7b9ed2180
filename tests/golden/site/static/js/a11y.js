/* dangjian 适老化 controls: text size (A+ / A−) and high contrast, remembered in localStorage.
   Loaded synchronously in <head> so the saved choice is applied to <html> before the first paint
   (no flash of small or low-contrast text); the buttons are wired up once the page is parsed.
   Plain ES2017, no modules, no build step. With JavaScript off the controls stay hidden. */
(function () {
  'use strict';
  var SIZE_KEY = 'dangjian-text-size';
  var CONTRAST_KEY = 'dangjian-contrast';
  var MAX_STEP = 3; // keep in step with html[data-text-size] rules in style.css
  var root = document.documentElement;

  // localStorage can throw (storage disabled, some file:// setups): then nothing is remembered.
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* not remembered */ }
  }

  function clamp(step) {
    return isNaN(step) ? 0 : Math.min(Math.max(step, 0), MAX_STEP);
  }

  function currentStep() {
    return clamp(parseInt(root.getAttribute('data-text-size') || '0', 10));
  }

  function applySize(step) {
    if (step > 0) {
      root.setAttribute('data-text-size', String(step));
    } else {
      root.removeAttribute('data-text-size');
    }
  }

  function applyContrast(high) {
    if (high) {
      root.setAttribute('data-contrast', 'high');
    } else {
      root.removeAttribute('data-contrast');
    }
  }

  applySize(clamp(parseInt(load(SIZE_KEY) || '0', 10)));
  applyContrast(load(CONTRAST_KEY) === 'high');

  function refresh(tools) {
    var step = currentStep();
    var smaller = tools.querySelector('[data-a11y="smaller"]');
    var larger = tools.querySelector('[data-a11y="larger"]');
    var contrast = tools.querySelector('[data-a11y="contrast"]');
    // aria-disabled, not disabled: a disabled button would drop keyboard focus to the page start.
    smaller.setAttribute('aria-disabled', step === 0 ? 'true' : 'false');
    larger.setAttribute('aria-disabled', step === MAX_STEP ? 'true' : 'false');
    contrast.setAttribute('aria-pressed', root.getAttribute('data-contrast') === 'high' ? 'true' : 'false');
  }

  function setup() {
    var tools = document.querySelector('.a11y-tools');
    if (!tools) {
      return;
    }
    tools.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-a11y]');
      if (!button) {
        return;
      }
      var action = button.getAttribute('data-a11y');
      if (action === 'larger' || action === 'smaller') {
        var step = clamp(currentStep() + (action === 'larger' ? 1 : -1));
        applySize(step);
        save(SIZE_KEY, String(step));
      } else if (action === 'contrast') {
        var high = root.getAttribute('data-contrast') !== 'high';
        applyContrast(high);
        save(CONTRAST_KEY, high ? 'high' : 'normal');
      }
      refresh(tools);
    });
    refresh(tools);
    tools.hidden = false;
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setup);
  } else {
    setup();
  }
}());
