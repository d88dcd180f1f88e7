import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/crm/seed/index.js';
import { choicesOf, createHarness, textOf, type Harness } from '../factories/engine-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const product = (sku: string) => CATALOG.find((p) => p.sku === sku)!;

describe('product questions', () => {
  it('answers stock and price of a named product from the live catalog (zh)', async () => {
    const earbuds = product('ELE-3001');
    await h.database.db.product.update({ where: { sku: earbuds.sku }, data: { stock: 3 } });
    const c = h.customer();
    const text = textOf(await c.send(`${earbuds.nameZh}现在有货吗`));
    expect(text).toContain(earbuds.nameZh);
    expect(text).toContain('仅剩 3 件');
    expect(text).toMatch(/¥\d+\.\d{2}/);
  });

  it('says when a product is out of stock (en)', async () => {
    const p = product('SPO-9001');
    await h.database.db.product.update({ where: { sku: p.sku }, data: { stock: 0 } });
    const c = h.customer({ locale: 'en-US' });
    const replies = await c.send(`is the ${p.nameEn.toLowerCase()} in stock?`);
    const text = textOf(replies);
    const picked = choicesOf(replies).find((x) => x.payload === `product:${p.sku}`);
    const final = picked ? textOf(await c.send({ type: 'postback', payload: picked.payload, text: picked.label })) : text;
    expect(final).toContain(p.nameEn);
    expect(final).toMatch(/Out of stock/);
  });

  it('leaves a general stock question without a product to the FAQ', async () => {
    const c = h.customer();
    const text = textOf(await c.send('缺货的商品什么时候补货？'));
    expect(text).not.toMatch(/SKU/);
    expect(text.length).toBeGreaterThan(10);
  });
});
