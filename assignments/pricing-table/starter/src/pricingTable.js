'use strict';

/**
 * An accessible pricing table, rendered from data into a container element.
 *
 * No framework and no global `document`: create elements through `container.ownerDocument`,
 * so the component works in a page, in jsdom and in an iframe. Keep this file free of
 * `require`s so that demo/index.html can load it directly.
 */

/**
 * Format an amount in the currency: whole amounts without decimals ("€29"), others with the
 * currency's usual decimals ("€9.50"). Hint: Intl.NumberFormat.
 */
function formatPrice(amount, { currency, locale }) {
  // TODO
  return String(amount);
}

/**
 * Render `data` into `container`, replacing what was there (see README.md for the design).
 *
 * @param {Element} container
 * @param {{title?: string, currency: string, locale?: string, plans: Array<object>}} data
 * @param {{billing?: 'monthly'|'yearly', onChange?: (period: string) => void}} [options]
 * @returns {{getBilling(): string, setBilling(period: string): void, destroy(): void}}
 */
function renderPricingTable(container, data, options = {}) {
  const doc = container.ownerDocument;
  let period = options.billing || 'monthly';

  // TODO: the whole component. A first line to show where things go:
  const title = doc.createElement('h2');
  title.textContent = data.title || 'Pricing';
  container.replaceChildren(title);

  return {
    getBilling: () => period,
    setBilling(next) {
      // TODO
      period = next;
    },
    destroy() {
      // TODO
    },
  };
}

if (typeof module !== 'undefined') {
  module.exports = { renderPricingTable, formatPrice };
}
