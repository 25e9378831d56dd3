'use strict';

// Helpers for the hidden suite: a fresh jsdom document per test and the candidate's component.

const path = require('node:path');
const { JSDOM } = require('jsdom');

const SUBMISSION_DIR = process.env.SUBMISSION_DIR || process.cwd();

function loadComponent() {
  return require(path.join(SUBMISSION_DIR, 'src', 'pricingTable.js'));
}

const PLANS = {
  title: 'Plans for every team',
  currency: 'EUR',
  locale: 'en-IE',
  plans: [
    { id: 'starter', name: 'Starter', monthly: 9, yearly: 90, features: ['3 projects', 'Email support'] },
    { id: 'team', name: 'Team', monthly: 29, yearly: 290, highlighted: true, features: ['Unlimited projects', 'SSO'], cta: 'Start free trial' },
    { id: 'scale', name: 'Scale', monthly: 79.5, yearly: 795, features: ['Audit log'] },
    { id: 'enterprise', name: 'Enterprise', monthly: null, yearly: null, features: ['Dedicated support'] },
  ],
};

function setup() {
  const dom = new JSDOM('<!doctype html><html><body><main id="app"></main></body></html>');
  const { document } = dom.window;
  return { dom, window: dom.window, document, container: document.getElementById('app') };
}

function clone(data) {
  return JSON.parse(JSON.stringify(data));
}

function radios(container) {
  return [...container.querySelectorAll('[role="radio"]')];
}

function radio(container, label) {
  const found = radios(container).find((r) => r.textContent.trim() === label);
  if (!found) throw new Error(`no role="radio" element with the text "${label}"`);
  return found;
}

function plans(container) {
  return [...container.querySelectorAll('article')];
}

/** The article whose labelling heading reads `name`. */
function plan(container, name) {
  const doc = container.ownerDocument;
  const found = plans(container).find((article) => {
    const heading = doc.getElementById(article.getAttribute('aria-labelledby') || '');
    return heading && heading.textContent.trim() === name;
  });
  if (!found) throw new Error(`no <article aria-labelledby=...> whose heading reads "${name}"`);
  return found;
}

function text(node) {
  return (node ? node.textContent : '').replace(/\s+/g, ' ').trim();
}

function price(container, name) {
  return text(plan(container, name).querySelector('.plan__price'));
}

function press(window, target, key) {
  const event = new window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

/** The expected text of a euro amount (whitespace normalised like text()). */
function euro(amount, locale = 'en-IE', fractionDigits = 0) {
  const formatted = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(amount);
  return formatted.replace(/\s+/g, ' ');
}

module.exports = { loadComponent, PLANS, setup, clone, radios, radio, plans, plan, text, price, press, euro };
