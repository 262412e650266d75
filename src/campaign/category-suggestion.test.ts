import { describe, expect, it } from 'vitest';
import { campaignSchema } from './campaign-schema.js';
import { suggestCategory } from './category-suggestion.js';

const { enum: codes, enumDescriptions: labels } = campaignSchema.definitions.Category;

describe('suggestCategory', () => {
  it.each([
    ['Coffee', 'CoffeeAndTea'],
    ['Coffee & Tea', 'CoffeeAndTea'],
    ['咖啡茶飲', 'CoffeeAndTea'],
    ['Food & Beverage', 'Food'],
    ['cosmetic', 'Cosmetics'],
    ['Jewelry', 'Jewellery'],
    ['E-commerce', 'Ecommerce'],
    ['Watches', 'Jewellery'],
    ['Electronic Games', 'Games'],
  ])('suggests the code meant by %s', (text, code) => {
    expect(suggestCategory(text, codes, labels)).toBe(code);
  });

  it('suggests nothing for words unlike any category', () => {
    expect(suggestCategory('Zzzzzz', codes, labels)).toBeUndefined();
  });
});
