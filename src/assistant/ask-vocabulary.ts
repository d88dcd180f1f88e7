/**
 * The English words the ask parser's rules are written in (a misspelling within one or two edits
 * is fixed to one of them), the common words never "fixed", and chat shorthand.
 */
export const KEYWORDS: readonly string[] = `
revenue sales sale turnover income takings earnings earned orders order purchases transactions customers customer clients buyers
shoppers users members signups average value basket spend products product items item sellers selling seller popular returned
returns return refunds refund refunded amount rate ratio repurchase repeat retention conversations conversation chats chatted
inquiries satisfaction happy ratings csat automation automated resolution resolved dormant inactive churned lapsed sleeping
tickets ticket complaints complaint backlog unresolved outstanding breaches breached overdue exchange exchanges
today yesterday tonight week weeks weekly month months monthly quarter quarters year years daily since between before last
this past previous prior recent current trailing monday tuesday wednesday thursday friday saturday sunday january february
march april june july august september october november december first second third fourth christmas valentine singles
black golden compared versus against same period trend trends breakdown category categories region regions province state
states segment segments channel channels delayed delay damaged broken customs delivered delivery deliveries shipped shipment
shipments parcels packages unpaid payment pending cancelled canceled processing completed lost missing problems exceptions
issues stuck failed wechat email website champions loyal promising electronics clothing clothes shoes footwear beauty
cosmetics books sports baby kitchen grocery snacks vouchers timeline history tracking status profile details lookup search
delete remove update cancel insert modify change mark close total number count list show numbers highest lowest most best top
`.trim().split(/\s+/);

/** Common English words that look like a keyword with one letter changed: never corrected. */
export const COMMON_WORDS: readonly string[] = `
what whats when where which while with within without would could should shall will were been being have has had does done
doing make made many much more most less least lots list lost last late later latest post cost date dates data time times
that than then them they their there these those this thus also only just like look looks find give gave tell told show shows
some same such sure very well want wants need needs know good great nice fine okay please thanks thank hello hey hiya from
into onto over under about above after again against because before below between both each every other others your yours
ours mine here hers him her his its it's our out off down upon year's send sent pull help store shop shops team teams staff
people person name names phone phones mail email address city cities town area areas sold sell cell call calls tall ball
wall mall fall bill fill will kill sale sales safe same game came come comes came care card cards cart carts case cases
word words work works worked worker working world track tracks rack stock stocks price prices cheap free paid pay pays
note notes vote rate rates late gate mate hate fate rain main mean meant mind kind wind line fine mine nine pine wine
`.trim().split(/\s+/);

/** Chat shorthand, whole words only. */
export const SHORTHAND: ReadonlyMap<string, string> = new Map([
  ['ppl', 'people'], ['tix', 'tickets'], ['custs', 'customers'], ['cust', 'customer'], ['msgs', 'messages'], ['convos', 'conversations'],
  ['rev', 'revenue'], ['amt', 'amount'], ['txns', 'transactions'], ['prods', 'products'], ['yr', 'year'], ['yrs', 'years'],
  ['mth', 'month'], ['mths', 'months'], ['wks', 'weeks'], ['thx', 'thanks'], ['pls', 'please'], ['plz', 'please'], ['u', 'you'],
  ['r', 'are'], ['cx', 'customers'], ['ords', 'orders'],
]);
