'use strict';

// A few visible tests to start from; the reviewers run a larger hidden suite the same way.
// Run `npm install` once to get jsdom locally.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { JSDOM } = require('jsdom');

const { renderPricingTable } = require('../src/pricingTable');

const DATA = {
  currency: 'USD',
  locale: 'en-US',
  plans: [
    { id: 'solo', name: 'Solo', monthly: 10, yearly: 100, features: ['1 seat'] },
    { id: 'team', name: 'Team', monthly: 30, yearly: 300, highlighted: true, features: ['10 seats'] },
  ],
};

function render(options) {
  const { window } = new JSDOM('<main id="app"></main>');
  const container = window.document.getElementById('app');
  renderPricingTable(container, DATA, options);
  return { window, container };
}

test('renders a plan per data entry', () => {
  const { container } = render();
  assert.equal(container.querySelectorAll('article').length, 2);
});

test('shows monthly prices by default', () => {
  const { container } = render();
  const price = container.querySelector('article .plan__price');
  assert.equal(price.textContent.trim(), '$10/month');
});

test('clicking Yearly switches the prices', () => {
  const { container } = render();
  const yearly = [...container.querySelectorAll('[role="radio"]')].find((r) => r.textContent === 'Yearly');
  yearly.click();
  assert.equal(yearly.getAttribute('aria-checked'), 'true');
  assert.equal(container.querySelector('article .plan__price').textContent.trim(), '$100/year');
});
