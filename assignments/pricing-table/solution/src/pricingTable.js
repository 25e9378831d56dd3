'use strict';

/**
 * An accessible pricing table, rendered from data into a container element.
 *
 * No framework and no global `document`: everything is created through
 * `container.ownerDocument`, so the component works in a page, in jsdom and in an iframe.
 * This file has no `require`s so that demo/index.html can load it directly.
 */

const PERIODS = ['monthly', 'yearly'];
const PERIOD_LABELS = { monthly: 'Monthly', yearly: 'Yearly' };
const PERIOD_SUFFIX = { monthly: '/month', yearly: '/year' };

let instanceCount = 0;

/**
 * Format an amount in the currency: whole amounts without decimals ("€29"), others with the
 * currency's usual decimals ("€9.50").
 */
function formatPrice(amount, { currency, locale }) {
  const whole = Number.isInteger(amount);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: whole ? 0 : undefined,
    maximumFractionDigits: whole ? 0 : undefined,
  }).format(amount);
}

/** Percentage saved by paying yearly, rounded; 0 when there is no saving. */
function yearlySavingPercent(plan) {
  if (plan.monthly == null || plan.yearly == null || plan.monthly <= 0) return 0;
  const saving = Math.round((1 - plan.yearly / (plan.monthly * 12)) * 100);
  return Math.max(saving, 0);
}

function signupHref(plan, period) {
  if (plan.monthly == null || plan.yearly == null) return '/contact-sales';
  const params = new URLSearchParams({ plan: plan.id, billing: period });
  return `/signup?${params}`;
}

function validate(container, data) {
  if (!container || container.nodeType !== 1) {
    throw new TypeError('renderPricingTable needs a container element');
  }
  if (!data || !Array.isArray(data.plans)) {
    throw new TypeError('renderPricingTable needs data with a plans array');
  }
  if (typeof data.currency !== 'string' || !/^[A-Z]{3}$/.test(data.currency)) {
    throw new TypeError('data.currency must be an ISO 4217 code such as "EUR"');
  }
}

/**
 * Render `data` into `container`, replacing what was there.
 *
 * @param {Element} container
 * @param {{currency: string, locale?: string, plans: Array<object>}} data
 * @param {{billing?: 'monthly'|'yearly', onChange?: (period: string) => void}} [options]
 * @returns {{getBilling(): string, setBilling(period: string): void, destroy(): void}}
 */
function renderPricingTable(container, data, options = {}) {
  validate(container, data);
  const doc = container.ownerDocument;
  const prefix = `pricing-${(instanceCount += 1)}`;
  const money = { currency: data.currency, locale: data.locale || 'en-US' };
  let period = PERIODS.includes(options.billing) ? options.billing : 'monthly';

  const el = (tag, attributes = {}, text) => {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text; // never innerHTML: plan data is not trusted
    return node;
  };

  container.replaceChildren();
  const root = el('section', { class: 'pricing', 'aria-labelledby': `${prefix}-title` });
  root.append(el('h2', { id: `${prefix}-title`, class: 'pricing__title' }, data.title || 'Pricing'));

  // The billing period toggle: a radio group with a roving tabindex.
  const group = el('div', { role: 'radiogroup', 'aria-label': 'Billing period', class: 'pricing__billing' });
  const radios = PERIODS.map((value) => {
    const radio = el('button', { type: 'button', role: 'radio', 'data-period': value }, PERIOD_LABELS[value]);
    group.append(radio);
    return radio;
  });
  root.append(group);

  const status = el('p', { role: 'status', class: 'visually-hidden' });
  root.append(status);

  const plans = data.plans;
  const highlightedId = (plans.find((plan) => plan.highlighted) || {}).id;
  const priceNodes = [];

  if (plans.length === 0) {
    root.append(el('p', { class: 'pricing__empty' }, 'No plans are available right now.'));
  } else {
    const list = el('ul', { class: 'pricing__plans', role: 'list' });
    plans.forEach((plan, index) => {
      const id = `${prefix}-plan-${index}`;
      const item = el('li', { class: 'plan' });
      const card = el('article', { 'aria-labelledby': `${id}-name` });
      card.append(el('h3', { id: `${id}-name`, class: 'plan__name' }, plan.name));
      if (plan.id === highlightedId) {
        item.classList.add('is-highlighted');
        card.append(el('p', { id: `${id}-badge`, class: 'plan__badge' }, 'Most popular'));
        card.setAttribute('aria-describedby', `${id}-badge`);
      }
      if (plan.description) card.append(el('p', { class: 'plan__description' }, plan.description));

      const price = el('p', { class: 'plan__price' });
      const saving = el('p', { class: 'plan__saving' });
      card.append(price, saving);

      const features = el('ul', { class: 'plan__features', 'aria-label': `${plan.name} features` });
      for (const feature of plan.features || []) features.append(el('li', {}, feature));
      card.append(features);

      const custom = plan.monthly == null || plan.yearly == null;
      const cta = el('a', { class: 'plan__cta' }, plan.cta || (custom ? 'Contact sales' : `Choose ${plan.name}`));
      card.append(cta);

      item.append(card);
      list.append(item);
      priceNodes.push({ plan, price, saving, cta, custom });
    });
    root.append(list);
  }
  container.append(root);

  function update() {
    radios.forEach((radio) => {
      const checked = radio.dataset.period === period;
      radio.setAttribute('aria-checked', String(checked));
      radio.tabIndex = checked ? 0 : -1;
    });
    for (const { plan, price, saving, cta, custom } of priceNodes) {
      if (custom) {
        price.textContent = 'Custom pricing';
      } else {
        const amount = formatPrice(plan[period], money);
        price.replaceChildren(
          el('span', { class: 'plan__amount' }, amount),
          el('span', { class: 'plan__period' }, PERIOD_SUFFIX[period]),
        );
      }
      const percent = period === 'yearly' ? yearlySavingPercent(plan) : 0;
      saving.textContent = percent > 0 ? `Save ${percent}%` : '';
      saving.hidden = percent === 0;
      cta.setAttribute('href', signupHref(plan, period));
    }
    status.textContent = `Showing ${period} prices`;
  }

  function select(next, { focus = false } = {}) {
    if (!PERIODS.includes(next)) throw new RangeError(`unknown billing period: ${next}`);
    const changed = next !== period;
    period = next;
    update();
    if (focus) radios[PERIODS.indexOf(next)].focus();
    if (changed && typeof options.onChange === 'function') options.onChange(period);
  }

  const onClick = (event) => {
    const radio = event.target.closest('[role="radio"]');
    if (radio && group.contains(radio)) select(radio.dataset.period, { focus: true });
  };
  const onKeyDown = (event) => {
    const radio = event.target.closest('[role="radio"]');
    if (!radio) return;
    const index = PERIODS.indexOf(radio.dataset.period);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      select(PERIODS[(index + step + PERIODS.length) % PERIODS.length], { focus: true });
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      select(radio.dataset.period, { focus: true });
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      select(event.key === 'Home' ? PERIODS[0] : PERIODS[PERIODS.length - 1], { focus: true });
    }
  };
  group.addEventListener('click', onClick);
  group.addEventListener('keydown', onKeyDown);
  update();

  return {
    getBilling: () => period,
    setBilling: (next) => select(next),
    destroy() {
      group.removeEventListener('click', onClick);
      group.removeEventListener('keydown', onKeyDown);
      container.replaceChildren();
    },
  };
}

if (typeof module !== 'undefined') {
  module.exports = { renderPricingTable, formatPrice, yearlySavingPercent };
}
