'use strict';

// Hidden tests: what the pricing table renders and how assistive technology sees it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const { renderPricingTable } = h.loadComponent();

test('renders one article per plan, in data order, labelled by its name', () => {
  const { container, document } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  const names = h.plans(container).map((article) => {
    const heading = document.getElementById(article.getAttribute('aria-labelledby') || '');
    assert.ok(heading, 'each plan <article> needs aria-labelledby pointing at its heading');
    assert.match(heading.tagName, /^H[1-6]$/, 'the label of a plan should be a heading');
    return h.text(heading);
  });
  assert.deepEqual(names, ['Starter', 'Team', 'Scale', 'Enterprise']);
});

test('plans are inside a list', () => {
  const { container } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  for (const article of h.plans(container)) {
    const item = article.closest('li, [role="listitem"]');
    assert.ok(item, 'each plan should sit in a list item so screen readers announce "list, 4 items"');
    assert.ok(item.parentElement.matches('ul, ol, [role="list"]'));
  }
});

test('features are listed', () => {
  const { container } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  const items = [...h.plan(container, 'Team').querySelectorAll('li')].map(h.text);
  assert.deepEqual(items, ['Unlimited projects', 'SSO'], 'features are <li> items in data order');
});

test('monthly prices by default, formatted in the currency', () => {
  const { container } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  assert.equal(h.price(container, 'Team'), `${h.euro(29)}/month`, 'a whole amount has no decimals: "€29/month"');
  assert.equal(h.price(container, 'Scale'), `${h.euro(79.5, 'en-IE', 2)}/month`, 'other amounts show cents: "€79.50/month"');
});

test('the locale decides the number format', () => {
  const { container } = h.setup();
  const data = h.clone(h.PLANS);
  data.locale = 'de-DE';
  renderPricingTable(container, data);
  assert.equal(h.price(container, 'Scale'), `${h.euro(79.5, 'de-DE', 2)}/month`, 'de-DE writes "79,50 €"');
});

test('another currency', () => {
  const { container } = h.setup();
  const data = h.clone(h.PLANS);
  data.currency = 'USD';
  data.locale = 'en-US';
  renderPricingTable(container, data);
  assert.equal(h.price(container, 'Team'), '$29/month');
});

test('plans without prices show custom pricing and a contact link', () => {
  const { container } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  const enterprise = h.plan(container, 'Enterprise');
  assert.equal(h.text(enterprise.querySelector('.plan__price')), 'Custom pricing');
  const cta = enterprise.querySelector('a.plan__cta');
  assert.equal(cta.getAttribute('href'), '/contact-sales');
  assert.equal(h.text(cta), 'Contact sales', 'default call to action for a custom plan');
});

test('call to action links carry plan and billing period', () => {
  const { container } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  const team = h.plan(container, 'Team').querySelector('a.plan__cta');
  assert.equal(team.getAttribute('href'), '/signup?plan=team&billing=monthly');
  assert.equal(h.text(team), 'Start free trial', 'a plan\'s own cta text is used');
  assert.equal(h.text(h.plan(container, 'Starter').querySelector('a.plan__cta')), 'Choose Starter', 'default: "Choose <name>"');
});

test('the highlighted plan is marked visually and for screen readers', () => {
  const { container, document } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  const team = h.plan(container, 'Team');
  assert.ok(team.closest('li').classList.contains('is-highlighted'), 'the highlighted plan\'s <li> has class is-highlighted');
  const describedBy = team.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the highlighted plan\'s article needs aria-describedby pointing at its badge');
  assert.equal(h.text(document.getElementById(describedBy)), 'Most popular');
  assert.ok(team.contains(document.getElementById(describedBy)), 'the badge is inside the plan');
  const others = h.plans(container).filter((article) => article !== team);
  assert.ok(others.every((a) => !a.closest('li').classList.contains('is-highlighted') && !a.hasAttribute('aria-describedby')));
});

test('only the first highlighted plan is highlighted', () => {
  const { container } = h.setup();
  const data = h.clone(h.PLANS);
  data.plans[2].highlighted = true;
  renderPricingTable(container, data);
  assert.equal(container.querySelectorAll('.is-highlighted').length, 1, 'at most one plan can be "Most popular"');
});

test('plan data is text, never HTML', () => {
  const { container } = h.setup();
  const data = h.clone(h.PLANS);
  data.plans[0].name = '<img src=x onerror="alert(1)">Starter';
  data.plans[0].features = ['<b>bold</b>'];
  renderPricingTable(container, data);
  assert.equal(container.querySelector('img'), null, 'a plan name must not be parsed as HTML');
  assert.equal(container.querySelector('b'), null, 'a feature must not be parsed as HTML');
  assert.ok(container.textContent.includes('<img src=x onerror="alert(1)">Starter'));
});

test('ids are unique when two tables share a page', () => {
  const { document } = h.setup();
  const first = document.createElement('div');
  const second = document.createElement('div');
  document.body.append(first, second);
  renderPricingTable(first, h.clone(h.PLANS));
  renderPricingTable(second, h.clone(h.PLANS));
  const ids = [...document.querySelectorAll('[id]')].map((node) => node.id);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`);
  const label = h.plan(second, 'Team').getAttribute('aria-labelledby');
  assert.ok(second.contains(document.getElementById(label)), 'labels must resolve inside their own table');
});

test('an empty plan list renders a message, not an empty table', () => {
  const { container } = h.setup();
  renderPricingTable(container, { currency: 'EUR', plans: [] });
  assert.equal(h.plans(container).length, 0);
  assert.match(h.text(container), /no plans/i, 'tell the visitor there is nothing to show');
});

test('rendering again replaces the previous table', () => {
  const { container } = h.setup();
  renderPricingTable(container, h.clone(h.PLANS));
  renderPricingTable(container, h.clone(h.PLANS));
  assert.equal(h.plans(container).length, 4, 'a second render must not append a second table');
  assert.equal(container.querySelectorAll('[role="radiogroup"]').length, 1);
});

test('invalid arguments throw TypeError', () => {
  const { container } = h.setup();
  assert.throws(() => renderPricingTable(null, h.clone(h.PLANS)), TypeError, 'no container');
  assert.throws(() => renderPricingTable(container, {}), TypeError, 'no plans array');
  assert.throws(() => renderPricingTable(container, { currency: 'euro', plans: [] }), TypeError, 'not an ISO currency code');
});

test('works without a global document', () => {
  assert.equal(typeof globalThis.document, 'undefined', 'precondition: tests run without a global document');
  const { container } = h.setup();
  assert.doesNotThrow(() => renderPricingTable(container, h.clone(h.PLANS)), 'use container.ownerDocument');
});
