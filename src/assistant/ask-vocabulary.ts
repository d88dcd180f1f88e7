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

/**
 * Real English words within one edit (two from 8 letters) of a keyword: taken from the English
 * lexicon that ships with `natural` (brill_pos_tagger/data/English, 42k words), misspellings in it
 * removed. A word here is never "fixed" into a keyword (waiting ≠ rating, whose ≠ shoes).
 */
export const NEAR_MISS_WORDS: readonly string[] = `
accustoms amassing amounted amounts arch attacking automaker automate automates automatic automating automaton averaged averages
back backlogs backlots bailed bale bales bark basked baskets batwings beached beaches bear beardown bearings bears beast beat
beautify beet belt bending bent beset bets blacks blank blast bleached bleacher bleachers bleeding blest block blotches blotting
book booms boors boos boots border borders braiding branched branches brawling breakdowns breathed breather breathes breeches
broached broiling broke brokenly broker brunches bust buyer came cancels cancer cantered carvings casket cast castings categorize
categorized cats champion championed chance chancel changed changes channeled channelled chanted chants chaos chaps charge charted
charts chat chattels chatter chattered cheats chipped chose chow clashing client clocking clogging clone closed closer closes
closet clothe clothed clothier clothiers clotting clouding clove clowning clutches clutching coat coats collared compacted compare
compares compelled competed competes compiled complacent complain complainant complained complains complaisant complete completely
completes complexes compliant complied complying comported composed computed concealed conceded condensation conservation
conversational conversion conversions cooks cosmetic cost counts county court cracking crackling cranking crate cravings crawling
crescent currant currants currency currently currents custom customary dairy daisy dales dally damage damages dame dark darlings
darned date dear decay decayed decent declared defended deflated defrayed defunded delays delegate deleted deliver deliverers
delivering delivers depending deplete depleted depletes deployed desolation detail detailed detection detention dhow dost
dovetails draining drawings drawling duly dumber dune eared earner earning earrings ears east eatings elapsed electronic electrons
encumber ending estate estates evenings evolution excepting exception exceptional exchanged exchanger exchangers executions
exemptions exertions fabled fame fast fate fear fears feller fellers felling fending fest filed firsts fissures fist flailed
fleeting foiled forth franking gaily gale game gasket gate gear gears geeks gist graining grate gratings grocer grocers hailed
hark harpy hast hate hats hatted hear hearings hears highness hissing historic hoes hooks hookup host inaction inactivate incomes
inequities inert iniquities injuries inquired inquiring insect inserted inserts inset invective invert irate irresolution issue
issued issuer issuers jailed jest jingles juke junk jury jute kale kissing kissings kitchens kooks lack lame lapped lapse lapses
lark lash lass lasts late lats learned learning least legion legions lending lest lifeline lift lightest lilt lint lists loathing
local lockup loft looks loot lose loss lots lowliest lumber lust mail mailed makings male males mare markings marks mars mart mask
massing mast match mate meanings meek meekly member mending messing mince mingles missions mist misusing moat moist monthsit moot
moss moth moths mots mount mouth mouths must nailed name near nears nest nooks numbed numbered numbness olden older orate
outstandingly overage overdone overdose overrule overture package packaged pact pale pales pant parcel parceled park part partings
pass passages pasta paste pasty pate patio pats pavement payments pear pears peddling peek penning perceptions periodic periods
pest picket pickets pipeline pitchmen pleading plotting poachers poplar populace popularly populate ports post pounding praising
preached preacher preachers preaches precious predicts pressing prevention previews previously pricking priori problem proceeding
procession produce produced producer producers produces professing profiled profiles profiling profited profiting progressing
projects promoting prompting proposing protects protesting providence providing provinces prowlers purchase purchased purchaser
purchasers quarrels quarterly quartet quartets race racking radio rage railed railing railings rake rankings rape rare rated rates
rating ration ratios rats rave ravings reached reaches readings rear rears rebounded rebounds recently reception receptions
recurred redelivered redounds reek refolded regiment regiments regional regionals rejection relay relayed relent religion
religions remanded remember remembers reminded remote removed removes rend repeal repeated repeater repeats repent repurchased
repurchases research reseller resellers reselling resent reserved resolutions resolve resolves resorted resounds rest resulted
retails retained retarded retentive reticent retorted reunions revenge revenuers revenues revolted revolution revolutions revolved
revolver revolves ringlets rite rote routings royal sable sables sackings sacks safe sage sages sailed sake sallying salt salts
salve salves sane sappy satisfactions save saves scale scales sealing seaports sear searched searcher searches secondly seconds
sediment sediments seek seeks seeping segmental segmented selfless send sending serpents settlers settling shacks shame sheeting
shelling shelters shelving shies shingles shipper shippers shod shoe shooters shop shopped shopper shops shores shorts shot shots
shoves shown shows showy shuck sideline sine single singled sipped skate skates skipped skippers slack slacks slapping slate
sledding sleepily slipped slippers slipping slopping sloshing slow slowest slumping smacks smelling smelters smoothly snack
sneering sneezing snorts snow snuck sole soles some sorts spate sped speed speeding spellers spelling spending spends spent
spilling spores sport sporty spots spurts squatter squatters stack stacking stacks stage stages stake stakes stale stalling starch
stare stares starters startups stat stated stats statue statues statuses statutes stave staves stealing steering stem stems
stepping sterling stick stickers stippled stock straining stripped struck stunk suck sullying sundry supports sweeping sweepings
swelling swellings tacking tackling tailing taking tale tales tame tapings teaching tear tears teller tellers telling tend tending
tends test thanking thickens thickest thicket thickets thin thus ticked ticker ticketed tightest timelier timeliness tissues toady
tonal totals tracing tracings training traipsing tramping trampling transacting transaction transitions translations trapping
trashing traveling tread treads trenches trendy trickling trifling trinkets tripling trucking tuck tune umber unpaired unsaid
unsolved updated updates upstanding user uses ushers vague valued values valve vast vending verses vest voucher wailed wales
warned warnings weak weakly wear wears weed weeds weep welling west whipped whoppers wicket wickets wince wireline wracking
wreathed wrecking wrenched wrenches wretched writings yeah yearlings yearn yearned yearning yearnings yeller yelling zest
`.trim().split(/\s+/);

/** Chat shorthand, whole words only. */
export const SHORTHAND: ReadonlyMap<string, string> = new Map([
  ['ppl', 'people'], ['tix', 'tickets'], ['custs', 'customers'], ['cust', 'customer'], ['msgs', 'messages'], ['convos', 'conversations'],
  ['rev', 'revenue'], ['amt', 'amount'], ['txns', 'transactions'], ['prods', 'products'], ['yr', 'year'], ['yrs', 'years'],
  ['mth', 'month'], ['mths', 'months'], ['wks', 'weeks'], ['thx', 'thanks'], ['pls', 'please'], ['plz', 'please'], ['u', 'you'],
  ['r', 'are'], ['cx', 'customers'], ['ords', 'orders'], ['lst', 'last'], ['tdy', 'today'], ['yest', 'yesterday'], ['avg', 'average'],
]);
