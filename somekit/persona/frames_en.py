"""English frames that make a capitalised span a thing, a place or a title, not a person.

A brand that is a full name (John Lewis, Ralph Lauren, Tommy Hilfiger) passes every test a name
can be put to on its own: a known first name and a known surname. The words around it decide:

- commerce: a shop's preposition right before it (at, outside, inside, in) with a shopping
  word in the text (sale, bought, queued, refund...), or goods before it ("a bag from",
  "returned the jacket to");
- product: a product or goods noun straight after it, without a possessive (Cath Kidston mugs,
  a Tommy Hilfiger jumper, the Paul Smith collection), "wearing", "a bottle of",
  "hosted on" before it, or a line of goods it has or launches after it (Kate Spade has a new
  line of tote bags; a person has a new bag, not a new line);
- owner: my, our, your, his, her or their right before it, with at most one of a few adjectives
  between (his old Tommy Hilfiger jumper): English puts no possessive before a full name;
- place or storm: persona/places_en.py's frames (a place word before it or opening it, a
  journey's verb before it, an airport's namesake in travel talk), or, after a one-word name, a
  possessive and a capitalised landform or landmark noun (Arthur's Seat, Land's End): a full
  name owns its place (Annika Virtanen's Hill), and a name before a longer place name is its
  visitor (Annika's Peak District photos);
- sale: a clearance or offer frame after it (closing down, clearance, half price, 30% off, is
  on offer, at duty free): shops close down and goods are on offer, people are not; a chain
  opening or closing stores or branches (Tommy Hilfiger is opening a new store), where a person
  opens a shop or a bakery; food served with something (Earl Grey with oat milk);
- act: a record format after it (Jethro Tull on vinyl), or a show or record (saw Franz
  Ferdinand live, their new album) when it ends in a known word: a private musician's surname
  is in no word list (saw Mark Yemisi live);
- software: one word, no known first name, after switching or migrating to or from,
  installing or using (switched from Dropbox to Nextcloud, installed Obsidian): a person is
  switched to with a possessive (switched to Hana's team);
- breed: an animal noun straight after it, with no known first name in it, or a breed's head
  word in its capitalised run (Golden Retriever puppies, a Border Terrier, Bernese Mountain
  Dog): people are not followed by "puppies", and a possessive owns the animal (Annika's
  puppies);
- sport: a score in the text and a word of playing before it (drew 2-2 with Chelsea);
- work: a verb of reading, watching or listening before it and the clause's end after it
  (watched Citizen Kane and..., Listened to Bohemian Rhapsody on repeat);
- noun first: two or more words opening with an ordinary English word that is nobody's first
  or last name (Beef Wellington, Citizen Kane), counting a capitalised word just before the
  span (Eggs Benedict, where the model found only Benedict): a name opens with a given name;
- title: a run of three or more capitalised words beyond the text's first (Our Winter Charity
  Bake Sale raised...) where the span ends in an ordinary
  English word and half the run is ordinary words: a headline or a work's title. A name there
  needs a person cue before the run (with, by, met, thanks...).

The word lists are short on purpose: they are the frames, not the names, so a brand or place
that no list holds is still caught by its frame.
"""

from __future__ import annotations

import re

from .gazetteer import POSSESSIVE_END, Gazetteer, without_possessive
from .places_en import names_a_place

_SHOP_PREP = re.compile(r"\b(?:at|outside|inside|in)[ \u00a0]+$", re.I)
_SHOPPING = re.compile(r"\b(?:sale|sales|shop|shopping|store|bought|buy|buying|queued|queue|queuing|refund|"
                       r"checkout|till|discount|voucher|outlet|boutique|flagship|stock|restock|aisle)\b", re.I)
_GOODS = (r"(?:bag|jacket|coat|dress|shoes|jeans|shirt|jumper|suit|boots|scarf|perfume|handbag|watch|trainers|"
          r"sweater)e?s?")
#: "a bag from X", "returned the jacket to X": goods come from and go back to shops (a book
#: returned to Hana is a loan between people).
_GOODS_FROM = re.compile(rf"\b{_GOODS}[ \u00a0]+from[ \u00a0]+$|\b(?:returned|took back|sent back)[ \u00a0]+"
                         rf"(?:the|my|a|an|our|those|these|two|three)?[ \u00a0]*(?:\w+[ \u00a0]+)?{_GOODS}"
                         rf"[ \u00a0]+to[ \u00a0]+$", re.I)
#: Product nouns after a brand (a Tommy Hilfiger jumper); not after a possessive, since people
#: own jumpers too. Nouns that are also verbs after a subject (watch, suit, tie, line) are left
#: out: "let Annika watch the kids".
PRODUCT_NOUNS = frozenset("""
jumper jumpers sweater jacket coat shirt shirts dress dresses jeans shoes trainers sneakers boots bag bags handbag
perfume fragrance cologne aftershave sunglasses underwear scarf lipstick mascara makeup
collection collections store stores shop shops outlet boutique flagship sale ad ads advert campaign
brand label catalogue menswear womenswear knitwear whisky whiskey bourbon gin rum vodka beer ale lager cider
app software server plugin framework breed ketchup sauce
mug mugs teapot teapots tableware crockery necklace necklaces earrings bracelet bracelets tote totes wallet purse
candle candles cushion cushions wallpaper lamp lamps kettle toaster trainers headphones
serum serums cream creams moisturiser moisturizer skincare tractor tractors mower lawnmower guitar guitars piano pianos camera cameras hoover scooter scooters moped
""".split())
#: Animal nouns after a breed (Golden Retriever puppies, a Jack Russell terrier), and the breed
#: heads that close one (Border Terrier); heads that are also surnames (Shepherd, Setter,
#: Pointer) are left out.
ANIMAL_NOUNS = frozenset("puppy puppies pup pups dog dogs kitten kittens cat cats horse horses foal foals pony ponies "
                         "cattle cow cows bull bulls sheep lamb lambs hen hens chicken chickens breed breeder terrier terriers "
                         "spaniel spaniels retriever retrievers poodle poodles".split())
BREED_HEADS = frozenset("Retriever Retrievers Terrier Terriers Spaniel Spaniels Poodle Poodles Bulldog Bulldogs "
                        "Labrador Labradors Dachshund Dachshunds Husky Huskies Dog Dogs Hound Hounds Sheepdog "
                        "Sheepdogs Collie Collies Mastiff Mastiffs Schnauzer Schnauzers Pinscher Pinschers".split())
#: Landforms and landmarks after a possessive (Arthur's Seat, Land's End, Hadrian's Wall).
POSSESSIVE_PLACE_NOUNS = frozenset("Seat Peak Point Bay Hall Bridge Way Park Hill Hills Head Rock Rocks Cross Well "
                                   "Wood Woods Island Castle Tower Lake Field Fields Cave Causeway Dyke Folly Leap "
                                   "Pass Vale Green Common Gate Garden Gardens Church Chapel College Inn Wharf Quay "
                                   "End Wall Dam Mill Marsh Moor Valley Gorge Falls Beach Cove Creek Landing".split())
_SALE_AFTER = re.compile(r"[ \u00a0]+(?:closing[- \u00a0]down|clearance|half[- \u00a0]price|\d+[ \u00a0]*%[ \u00a0]*off)\b", re.I)
#: Goods are on offer; a person is not, so this holds after a possessive too (Jack Daniel's is
#: on offer), where "X's closing down" may be "X is closing down".
_OFFER_AFTER = re.compile(r"(?:['’]s)?[ \u00a0]+(?:(?:is|are|was|were|now)[ \u00a0]+)?on[ \u00a0]+(?:offer|sale|special)\b|"
                          r"(?:['’]s)?[ \u00a0]+at[ \u00a0]+duty[- \u00a0]free\b", re.I)
#: One word after these is a program or service (switched from Google Drive to Nextcloud).
#: A band or a label by what follows it: a record format (Jethro Tull on vinyl), or a chain's
#: branches opening or closing (Tommy Hilfiger is opening a new store): a person opens a shop or
#: a cafe, a chain opens stores and branches.
_FORMAT_AFTER = re.compile(r"(?:['’]s)?[ \u00a0]+on[ \u00a0]+(?:vinyl|cassette|tape|cd|CD|record)\b")
#: A show or a record (saw Franz Ferdinand live, their new album): a band's name ends in a known
#: word; a private person who plays live ends in a surname no word list holds (Mark Yemisi).
_SHOW_AFTER = re.compile(r"(?:['’]s)?[ \u00a0]+(?:live(?=[ \u00a0]*(?:$|[.,;:!?]|and\b|again\b|last\b))|"
                         r"(?:new[ \u00a0]+)?(?:album|albums|setlist|discography|tour|world[ \u00a0]+tour)\b)")
_STORES_AFTER = re.compile(r"[ \u00a0]+(?:(?:is|are|was|were|has|have)[ \u00a0]+)?(?:just[ \u00a0]+)?"
                           r"(?:opening|opens|opened|closing|closes|closed|shutting)(?:[ \u00a0]+down)?[ \u00a0]+"
                           r"(?:(?:a|an|its|their|the|\d+|two|three|four|five|ten)[ \u00a0]+)?(?:(?:new|first|second|"
                           r"flagship|more|big)[ \u00a0]+)?(?:store|stores|branch|branches|outlet|outlets|location|locations)\b")
#: Food served with something (Earl Grey with oat milk): a person is not had with milk.
_SERVED_WITH = re.compile(r"[ \u00a0]+with[ \u00a0]+(?:[a-z]+[ \u00a0]+){0,2}(?:milk|sugar|honey|lemon|cream|"
                          r"custard|gravy|chips|fries|mayo|ketchup|toast|sauce|ice)\b")
_SOFTWARE_BEFORE = re.compile(r"\b(?:(?:switched|switching|migrated|migrating|moved|moving|upgraded|upgrading)"
                              r"(?:[ \u00a0]+(?:over|back|everything|all))?(?:[ \u00a0]+from[ \u00a0]+[A-Z][\w.+-]*"
                              r"(?:[ \u00a0]+[A-Z][\w.+-]*)?)?[ \u00a0]+(?:to|from)|installed|installing|reinstalled|"
                              r"uninstalled|using|self-hosting)[ \u00a0]+$", re.I)
#: A range of goods the span has or launches (has a new line of, launched its spring collection):
#: labels bring out lines and ranges; people have or buy single things.
_LINE_AFTER = re.compile(r"(?:[ \u00a0]+(?:has|have|had|just|finally|launched|launches|released|releases|dropped|drops|"
                         r"unveiled|unveils|out)){1,3}[ \u00a0]+(?:a|an|its|their)[ \u00a0]+(?:[a-z]+[ \u00a0]+){0,2}"
                         r"(?:line|range|collection|capsule)\b")
_PRODUCT_BEFORE = re.compile(r"\b(?:wearing|wears|wore|bottle of|glass of|pint of|dram of|can of|jar of|pair of|"
                             r"hosted on|running on|built on|built with|powered by|installed)[ \u00a0]+$", re.I)
_OWNER_BEFORE = re.compile(r"\b(?:my|our|your|his|her|their)(?:[ \u00a0]+(?:old|new|favourite|favorite|trusty|"
                           r"spare|vintage|cheap|fake|knock-off|battered))?[ \u00a0]+$", re.I)
#: Reading, watching and listening take a work's title (watched Citizen Kane, Reading Anna
#: Karenina): a person there is followed by what they do or own (Watching Tore speedrun, reading
#: Ada's thread), a title by the end of the clause.
_MEDIA_BEFORE = re.compile(r"\b(?:watched|watching|rewatched|rewatching|reading|read|reread|listened to|"
                           r"listening to|finished|binged|streaming)[ \u00a0]+$", re.I)
#: Not "in", "on" or "for": watching Tore Karppanen in the final is watching a person.
_CLAUSE_END = re.compile(r"[ \u00a0]*(?:$|[.,;:!?)]|(?:and|again|on repeat|last|yesterday|today)\b)")
_SCORE = re.compile(r"\b\d{1,2}[ \u00a0]*[-–][ \u00a0]*\d{1,2}\b")
_PLAY_BEFORE = re.compile(r"\b(?:with|against|beat|beating|vs\.?|versus|v)[ \u00a0]+$", re.I)
#: Words before a capitalised run that make the run (or its end) a person's name anyway.
_PERSON_BEFORE = re.compile(r"\b(?:with|by|met|meet|meeting|thanks|thank|to|from|and|told|ask|asked|cc|ft\.?|feat\.?)"
                            r"[ \u00a0]+$", re.I)
#: Greetings and address that open a text before a lone name (Hey Benedict, Congrats Benedict).
_GREETING = re.compile(r"(?:Hi|Hey|Hello|Dear|Congrats|Congratulations|Welcome|Cheers|Thanks|Thank|Love|Miss|Go|Happy|Sorry|Ask|Tell|Call)")
_CAP_WORD = re.compile(r"[A-Z][^\W\d_]*(?:['’][^\W\d_]+)?")


def _next_word(text: str, end: int) -> tuple[str, bool]:
    """The word after the span and whether a possessive ('s) came first."""
    m = re.match(r"(['’]s?)?[ \u00a0]+([^\W\d_]+)", text[end:])
    return (m.group(2), bool(m.group(1))) if m else ("", False)


def _capitalised_after(text: str, end: int, nxt: str) -> bool:
    """A capitalised word follows the word `nxt` after the span (Peak District)."""
    at = text.find(nxt, end) + len(nxt)
    return re.match(r"[ \u00a0]+[A-Z]", text[at:]) is not None


def names_a_thing_by_frame(text: str, start: int, end: int, g: Gazetteer) -> bool:
    """text[start:end] is a brand, product, place or title by the words around it (see above)."""
    before = text[:start]
    words = text[start:end].split()
    nxt, possessive = _next_word(text, end)
    possessive = possessive or POSSESSIVE_END.search(text, start, end) is not None  # the gazetteer keeps the 's
    if (nxt in PRODUCT_NOUNS and not possessive) or _PRODUCT_BEFORE.search(before) \
            or _OFFER_AFTER.match(text, end) or _FORMAT_AFTER.match(text, end) or _STORES_AFTER.match(text, end) \
            or _SERVED_WITH.match(text, end):
        return True
    if _SHOW_AFTER.match(text, end) and without_possessive(words[-1]) in g.dictionary:
        return True
    if not possessive and _LINE_AFTER.match(text, end):
        return True  # Kate Spade has a new line of tote bags: a person has a new bag, a label a line
    if possessive and len(words) == 1 and nxt in POSSESSIVE_PLACE_NOUNS and not _capitalised_after(text, end, nxt):
        return True  # Arthur's Seat
    # Golden Retriever puppies (not "Annika Virtanen dog sitting"), Ted Baker closing down,
    # switched to Nextcloud; a possessive owns what follows (Annika's puppies, Hana's team).
    first_name = any(w in g.first for w in words)
    # A breed head anywhere in the capitalised run (Bernese Mountain Dog, found as "Bernese").
    run_end = _run_bounds(text, start, end)[1]
    breed = (nxt in ANIMAL_NOUNS and not first_name) or any(w in BREED_HEADS for w in text[start:run_end].split())
    software = len(words) == 1 and not first_name and _SOFTWARE_BEFORE.search(before)
    if not possessive and (breed or software or _SALE_AFTER.match(text, end)):
        return True
    # A full name with 's after "at" is someone's own stall or shop (bread at Annika Virtanen's).
    shop_named = _SHOP_PREP.search(before) and _SHOPPING.search(text) and not (possessive and len(words) >= 2)
    if _GOODS_FROM.search(before) or shop_named:
        return True
    if len(words) >= 2 and _OWNER_BEFORE.search(before):
        return True
    if names_a_place(text, start, end, g):
        return True
    if _SCORE.search(text) and _PLAY_BEFORE.search(before):
        return True
    if _MEDIA_BEFORE.search(before) and _CLAUSE_END.match(text, end) and len(words) >= 2:
        return True
    if _opens_with_a_noun(text, start, words, g):
        return True  # Beef Wellington, Eggs Benedict: a name opens with a given name, not a noun
    return in_title_run(text, start, end, g)


def _opens_with_a_noun(text: str, start: int, words: list[str], g: Gazetteer) -> bool:
    """The span, or it with the capitalised word just before it (Eggs + Benedict: the model
    found only the second word), opens with an ordinary English word that is nobody's first or
    last name. A person cue or a greeting before the lone word keeps a name (Thanks Benedict,
    Hey Benedict)."""
    if len(words) == 1:
        prev = re.search(r"([A-Z][^\W\d_]*)[ \u00a0]$", text[:start])
        if prev is None or _PERSON_BEFORE.search(text, 0, start) or _GREETING.fullmatch(prev.group(1)):
            return False
        words = [prev.group(1), *words]
    first = words[0]
    singular = first[:-1] if first.endswith("s") else first  # Eggs: the plural of a frequent word
    return (first in g.common_words or singular in g.common_words) and first not in g.first and first not in g.last


def in_title_run(text: str, start: int, end: int, g: Gazetteer) -> bool:
    """The span sits in a headline or a title (see the module docstring)."""
    if text[start:end].split()[-1] not in g.common_words:
        return False  # a name ends in a surname (How Veli-Pekka Moisio Built a Tiny House)
    run_start, run_end = _run_bounds(text, start, end)
    run = [w for w in _CAP_WORD.findall(text[run_start:run_end])]
    if run_start == _first_word_start(text):
        run = run[1:]  # the text's first word is capitalised whatever it is
    if len(run) < 3 or sum(w in g.common_words for w in run) * 2 < len(run):
        return False
    return not _PERSON_BEFORE.search(text, 0, run_start)


def _first_word_start(text: str) -> int:
    m = re.search(r"[^\W\d_]", text)
    return m.start() if m else 0


def _run_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen the span over neighbouring capitalised words, across single spaces."""
    while (m := re.search(r"([^\W\d_]+)[ \u00a0]$", text[:start])) and m.group(1)[0].isupper():
        start = m.start()
    while (m := re.match(r"[ \u00a0]([^\W\d_]+)", text[end:])) and m.group(1)[0].isupper():
        end += m.end()
    return start, end
