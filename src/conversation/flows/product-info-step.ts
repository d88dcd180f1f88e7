import type { CatalogEntry } from '../../crm/index.js';
import type { OutboundMessage } from '../../shared/message-types.js';
import { matchProducts } from '../nlu/product-matcher.js';
import { normaliseText } from '../text/text-normaliser.js';
import type { TurnContext } from '../engine/turn-types.js';
import { money } from '../replies/order-formatting.js';

/** "Is X in stock?", "how much is X?": answered from the live catalog, not from an FAQ article. */
export const STOCK_OR_PRICE = /有货|现货|库存|缺货|没货|补货|到货|还有吗|多少钱|价格|价钱|几块|多钱|in stock|out of stock|sold out|available|availability|restock|back in stock|price|how much|cost/i;

const LOW_STOCK = 10;

export function productCard(p: CatalogEntry, ctx: TurnContext): OutboundMessage {
  const zh = ctx.u.lang === 'zh';
  const stock = p.stock <= 0
    ? (zh ? '暂时缺货，补货后会第一时间上架，可以在商品页点“到货通知”' : 'Out of stock for now; tap "Notify me" on the product page to hear when it is back')
    : p.stock <= LOW_STOCK
      ? (zh ? `有货，仅剩 ${p.stock} 件` : `In stock, only ${p.stock} left`)
      : (zh ? '有货，下单后 48 小时内发货' : 'In stock, ships within 48 hours');
  return {
    type: 'card',
    title: zh ? p.nameZh : p.nameEn,
    fields: [
      { label: zh ? '价格' : 'Price', value: money(p.priceCents, ctx.policy.currency) },
      { label: zh ? '库存' : 'Stock', value: stock },
      { label: 'SKU', value: p.sku },
    ],
  };
}

/**
 * Finds the product a message is about. One clear match gets its card; two or three close ones
 * are offered as choices; none leaves the question to the FAQ (undefined).
 */
export async function productInfoStep(ctx: TurnContext): Promise<OutboundMessage[] | undefined> {
  const catalog = await ctx.catalog();
  const matches = matchProducts(normaliseText(ctx.u.text), catalog);
  if (!matches.length) return undefined;
  const bySku = new Map(catalog.map((p) => [p.sku, p]));
  // the cached catalog only finds the product; price and stock are read live for the answer
  const live = async (sku: string) => {
    const p = await ctx.crm.products.bySku(sku);
    return p ? [productCard(p, ctx)] : undefined;
  };
  const [best, second] = matches;
  if (best.score >= 0.8 && (!second || best.score - second.score >= 0.2)) return live(best.sku);
  const close = matches.filter((m) => m.score >= best.score - 0.1).slice(0, 3);
  if (close.length === 1) return live(best.sku);
  const zh = ctx.u.lang === 'zh';
  return [{
    type: 'choices',
    text: zh ? '您问的是哪一款？' : 'Which one do you mean?',
    choices: close.map((m) => ({ label: zh ? bySku.get(m.sku)!.nameZh : bySku.get(m.sku)!.nameEn, payload: `product:${m.sku}` })),
  }];
}
