// The dashboard's currency panel (one topic per currency, from a view with expand and process):
// what it keeps of each topic, how it counts price updates, how it shows a rate.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CurrencyBoard, formatRate } from '../../src/main/resources/META-INF/resources/js/dashboard-model.js';

describe('CurrencyBoard', () => {
  test('keeps each currency topic with its code, rate and updates, sorted by path', () => {
    const board = new CurrencyBoard('USD');
    assert.equal(board.update('views/btc/currency/USD', { code: 'USD', rate_float: 43017.5 }), true);
    assert.equal(board.update('views/btc/currency/EUR', { code: 'EUR', rate_float: 39576.1 }), true);
    assert.equal(board.update('views/btc/currency/USD', { code: 'USD', rate_float: 43100 }), true);
    assert.deepEqual(board.rows(), [
      { topic: 'views/btc/currency/EUR', code: 'EUR', rate: 39576.1, updates: 1 },
      { topic: 'views/btc/currency/USD', code: 'USD', rate: 43100, updates: 2 },
    ]);
  });

  test('counts a price update for each update of its price currency only', () => {
    const board = new CurrencyBoard('USD');
    board.update('views/btc/currency/GBP', { code: 'GBP', rate_float: 1 });
    board.update('views/btc/currency/GBP', { code: 'GBP', rate_float: 2 });
    assert.equal(board.priceUpdates, 0);
    board.update('views/btc/currency/USD', { code: 'USD', rate_float: 3 });
    assert.equal(board.priceUpdates, 1);
  });

  test('ignores values that are not currency entries, and takes the code from the path when the value has none', () => {
    const board = new CurrencyBoard();
    assert.equal(board.update('views/btc/currency/USD', 'not an object'), false);
    assert.equal(board.update('views/btc/currency/USD', { code: 'USD' }), false);
    assert.equal(board.update('views/btc/currency/USD', null), false);
    assert.equal(board.rows().length, 0);
    assert.equal(board.update('views/btc/currency/CHF', { rate_float: '7.5' }), true);
    assert.deepEqual(board.rows(), [{ topic: 'views/btc/currency/CHF', code: 'CHF', rate: 7.5, updates: 1 }]);
  });

  test('forgets a topic that went', () => {
    const board = new CurrencyBoard();
    board.update('views/btc/currency/USD', { code: 'USD', rate_float: 1 });
    board.remove('views/btc/currency/USD');
    assert.deepEqual(board.rows(), []);
  });
});

describe('formatRate', () => {
  test('shows a rate in its currency', () => {
    assert.equal(formatRate(43220, 'USD'), '$43,220.00');
    assert.equal(formatRate(34143.8, 'GBP'), '£34,143.80');
    assert.equal(formatRate(39762.4, 'EUR'), '€39,762.40');
  });

  test('a code that is no currency goes after the number; no number is a dash', () => {
    assert.equal(formatRate(1.5, 'not-a-code'), '1.5 not-a-code');
    assert.equal(formatRate(Number.NaN, 'USD'), '–');
  });
});
