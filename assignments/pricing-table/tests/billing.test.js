'use strict';

// Hidden tests: the monthly/yearly toggle, by mouse, keyboard and API.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const { renderPricingTable } = h.loadComponent();

function render(options) {
  const env = h.setup();
  const table = renderPricingTable(env.container, h.clone(h.PLANS), options);
  return { ...env, table };
}

function checked(container) {
  return h.radios(container).filter((r) => r.getAttribute('aria-checked') === 'true').map(h.text);
}

test('the toggle is a labelled radio group with two options', () => {
  const { container } = render();
  const group = container.querySelector('[role="radiogroup"]');
  assert.ok(group, 'the billing toggle should have role="radiogroup"');
  assert.equal(group.getAttribute('aria-label'), 'Billing period');
  assert.deepEqual(h.radios(group).map(h.text), ['Monthly', 'Yearly']);
  assert.deepEqual(checked(container), ['Monthly'], 'monthly is selected by default (aria-checked="true")');
  assert.equal(h.radio(container, 'Yearly').getAttribute('aria-checked'), 'false', 'the other radio has aria-checked="false"');
});

test('roving tabindex: only the selected radio is in the tab order', () => {
  const { container } = render();
  assert.equal(h.radio(container, 'Monthly').tabIndex, 0);
  assert.equal(h.radio(container, 'Yearly').tabIndex, -1);
});

test('clicking Yearly switches every price', () => {
  const { container } = render();
  h.radio(container, 'Yearly').click();
  assert.deepEqual(checked(container), ['Yearly']);
  assert.equal(h.price(container, 'Team'), `${h.euro(290)}/year`);
  assert.equal(h.price(container, 'Starter'), `${h.euro(90)}/year`);
  assert.equal(h.radio(container, 'Yearly').tabIndex, 0, 'tabindex follows the selection');
  assert.equal(h.radio(container, 'Monthly').tabIndex, -1);
});

test('yearly billing shows the saving, monthly does not', () => {
  const { container } = render();
  assert.doesNotMatch(h.text(h.plan(container, 'Team')), /save/i, 'no saving is shown for monthly billing');
  h.radio(container, 'Yearly').click();
  assert.match(h.text(h.plan(container, 'Team')), /Save 17%/, '290 a year instead of 12 x 29 saves 17%');
  assert.match(h.text(h.plan(container, 'Scale')), /Save 17%/);
});

test('no saving line when yearly is not cheaper', () => {
  const env = h.setup();
  const data = h.clone(h.PLANS);
  data.plans[0].yearly = 108; // exactly 12 x 9
  renderPricingTable(env.container, data, { billing: 'yearly' });
  assert.doesNotMatch(h.text(h.plan(env.container, 'Starter')), /save/i);
});

test('links follow the billing period', () => {
  const { container } = render();
  h.radio(container, 'Yearly').click();
  assert.equal(h.plan(container, 'Team').querySelector('a.plan__cta').getAttribute('href'), '/signup?plan=team&billing=yearly');
});

test('the change is announced in a status region', () => {
  const { container } = render();
  const status = container.querySelector('[role="status"]');
  assert.ok(status, 'a role="status" element lets screen readers announce the change');
  h.radio(container, 'Yearly').click();
  assert.match(h.text(status), /yearly/i, `status should mention yearly prices, got "${h.text(status)}"`);
});

test('arrow keys move the selection and the focus', () => {
  const { container, window, document } = render();
  const monthly = h.radio(container, 'Monthly');
  monthly.focus();
  const event = h.press(window, monthly, 'ArrowRight');
  assert.deepEqual(checked(container), ['Yearly'], 'ArrowRight selects the next option');
  assert.equal(document.activeElement, h.radio(container, 'Yearly'), 'focus moves with the selection');
  assert.ok(event.defaultPrevented, 'handled arrow keys should not also scroll the page');
  h.press(window, document.activeElement, 'ArrowLeft');
  assert.deepEqual(checked(container), ['Monthly'], 'ArrowLeft selects the previous option');
});

test('arrow keys wrap around, up and down work too', () => {
  const { container, window, document } = render();
  const monthly = h.radio(container, 'Monthly');
  monthly.focus();
  h.press(window, monthly, 'ArrowUp');
  assert.deepEqual(checked(container), ['Yearly'], 'ArrowUp from the first option wraps to the last');
  h.press(window, document.activeElement, 'ArrowDown');
  assert.deepEqual(checked(container), ['Monthly'], 'ArrowDown from the last option wraps to the first');
});

test('Home and End select the first and last options', () => {
  const { container, window } = render();
  const monthly = h.radio(container, 'Monthly');
  h.press(window, monthly, 'End');
  assert.deepEqual(checked(container), ['Yearly']);
  h.press(window, h.radio(container, 'Yearly'), 'Home');
  assert.deepEqual(checked(container), ['Monthly']);
});

test('Space selects the focused option', () => {
  const { container, window } = render();
  h.press(window, h.radio(container, 'Yearly'), ' ');
  assert.deepEqual(checked(container), ['Yearly']);
  assert.equal(h.price(container, 'Team'), `${h.euro(290)}/year`);
});

test('initial billing option and the controller API', () => {
  const { container, table } = render({ billing: 'yearly' });
  assert.deepEqual(checked(container), ['Yearly'], 'options.billing sets the initial period');
  assert.equal(table.getBilling(), 'yearly');
  table.setBilling('monthly');
  assert.equal(h.price(container, 'Team'), `${h.euro(29)}/month`);
  assert.equal(table.getBilling(), 'monthly');
  assert.throws(() => table.setBilling('weekly'), RangeError, 'an unknown period is a RangeError');
});

test('onChange is called once per actual change', () => {
  const calls = [];
  const { container, table } = render({ onChange: (period) => calls.push(period) });
  h.radio(container, 'Monthly').click();
  h.radio(container, 'Yearly').click();
  table.setBilling('yearly');
  table.setBilling('monthly');
  assert.deepEqual(calls, ['yearly', 'monthly'], 'selecting the period that is already selected is not a change');
});

test('destroy empties the container and stops listening', () => {
  const calls = [];
  const { container, table } = render({ onChange: (period) => calls.push(period) });
  const yearly = h.radio(container, 'Yearly');
  table.destroy();
  assert.equal(container.children.length, 0, 'destroy() removes what the component rendered');
  yearly.click();
  assert.deepEqual(calls, [], 'a destroyed table no longer reacts');
});
