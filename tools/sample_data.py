"""The bundled demo data: deterministic sample CSVs whose numbers hold the stories listed in STORIES."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

START = dt.date(2025, 11, 16)  # a Sunday, so every Sunday-Saturday reporting week is whole
END = dt.date(2026, 11, 14)
DAYS = (END - START).days + 1

Columns = dict[str, np.ndarray]
Rng = np.random.Generator


def _day(date: dt.date) -> int:
    return (date - START).days


# --- Campaigns -------------------------------------------------------------------------------------------

ALWAYS_ON, NEW_YEAR, PRIME_DAY, LAUNCH = range(4)
CAMPAIGNS = ("Always-on", "New Year Reset", "Prime Day 2026", "Launch: Electrolyte Sticks")
NEW_YEAR_DAYS = (_day(dt.date(2025, 12, 26)), _day(dt.date(2026, 1, 31)))
PRIME_DAY_DAYS = (_day(dt.date(2026, 7, 7)), _day(dt.date(2026, 7, 17)))
PRIME_PEAK_DAYS = (_day(dt.date(2026, 7, 14)), _day(dt.date(2026, 7, 17)))
BLACK_FRIDAY_DAYS = (_day(dt.date(2025, 11, 27)), _day(dt.date(2025, 12, 1)))
# The sales events of the sample's year, as the brand would list them (events.csv): Prime Day is the peak above;
# the fall deal days are Amazon's October event, on the Tuesday and Wednesday of its second week.
EVENTS = (
    ("Prime Day", START + dt.timedelta(days=PRIME_PEAK_DAYS[0]), START + dt.timedelta(days=PRIME_PEAK_DAYS[1])),
    ("Prime Big Deal Days", dt.date(2026, 10, 6), dt.date(2026, 10, 7)),
)

# The brand's campaign ledger (campaigns.csv), budgets per copy of the brand: at the autumn's pace the Always-on
# budget for 2026 runs out in late November, weeks before the year ends; the Electrolyte Sticks launch ends within a
# week of the last day of data; New Year Reset has no ledger row (its spend still shows); the holiday guide is still
# to come.
CAMPAIGN_LEDGER = (
    ("Always-on", "always-on", dt.date(2026, 1, 1), dt.date(2026, 12, 31), 36_000, None),
    ("Launch: Electrolyte Sticks", "launch", dt.date(2026, 9, 28), dt.date(2026, 11, 20), 500, 0.10),
    ("Prime Day 2026", "event", dt.date(2026, 7, 7), dt.date(2026, 7, 17), 2_500, 0.05),
    ("Holiday Gift Guide", "event", dt.date(2026, 11, 27), dt.date(2026, 12, 6), 1_500, 0.08),
)

# --- Product lines and catalog ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    name: str
    standard_bp: int  # Amazon's standard affiliate rate for the category, in basis points
    sns_share: float  # share of order lines on Subscribe & Save for an average audience
    new_year: bool  # part of the New Year Reset campaign


LINES = (
    Line("Protein", 100, 0.14, True),
    Line("Hydration", 100, 0.10, True),
    Line("Vitamins", 100, 0.24, True),
    Line("Pet Care", 300, 0.20, False),
    Line("Skin Care", 300, 0.07, False),
)
_LINE_INDEX = {line.name: i for i, line in enumerate(LINES)}

# The first ASINs join the program late enough to leave a 35-day rank baseline inside the data.
WAVE_1 = START + dt.timedelta(days=35)
WAVE_2 = dt.date(2026, 2, 15)


# Story parameters: which products and creators carry each story, and how strongly.
HERO = "electrolyte_lemon_lime"
LAUNCH_SKU = "electrolyte_sticks"
LAUNCH_DATE = END - dt.timedelta(days=55)
LAUNCH_ACTIVATION = END - dt.timedelta(days=48)
FLAT_RANK = "plant_protein"
RISING_RANK = "magnesium"
FLAT_RANK_BASE = (12, 30)  # organic rank range of its keywords, unchanged by activation
RISING_RANK_BASE = (40, 50)
RISING_RANK_LIFT = 0.67  # share of the rank number gone within days of activation: ~45 -> ~15
CHEAP_PAYOUT = "dental_chews_mini"
UNCATALOGUED = "protein_sampler"
DRIFT_LINE = "Vitamins"
DRIFT_DAY = _day(END - dt.timedelta(days=41))  # the last six Sunday-Saturday weeks
DRIFT_RAISE_BP = 500  # bonus raised from 10 % to 15 % ...
DRIFT_CONVERSION = 0.7  # ... while conversion falls
RAISE_LINE = "Pet Care"
RAISED = ("hip_joint", "dog_probiotic")  # some ASINs of the line, not all
RAISE_DATE = dt.date(2026, 6, 7)  # a Sunday, mid-year
RAISE_BP = 400  # their bonus went from 8 % to 12 %, dated in the catalog by effective_date
DEAL_SEEKER = "@dealsbydana"
LOYAL_NICHE = "@naturallynina"
NO_SALES = "@liftwithlogan"
LAUNCH_CREATORS = ("@runnerrachel", "@hikingwithhannah", "@marathonmarcus")


@dataclass(frozen=True)
class Product:
    key: str
    line: str
    price_cents: int
    launch: dt.date
    activation: dt.date | None  # None: never entered Creator Connections
    bonus_bp: int
    popularity: float  # how often creators pick it and how much their audiences click it
    in_catalog: bool = True
    activation_listed: bool = True
    consumable: bool = True  # only consumables are bought on Subscribe & Save

    @property
    def title(self) -> str:
        return TITLES[self.key]

    @property
    def keywords(self) -> tuple[str, ...]:
        return KEYWORDS[self.key]


_d = dt.date
PRODUCTS: tuple[Product, ...] = (
    Product("whey_chocolate", "Protein", 4499, _d(2022, 3, 1), WAVE_1, 1000, 3.0),
    Product("whey_vanilla", "Protein", 4499, _d(2022, 3, 1), WAVE_1, 1000, 1.8),
    Product(FLAT_RANK, "Protein", 3499, _d(2023, 6, 12), _d(2026, 4, 12), 1000, 1.6),
    Product("protein_bars", "Protein", 2499, _d(2023, 1, 9), WAVE_1, 1000, 2.0),
    Product("collagen", "Protein", 3299, _d(2022, 9, 19), WAVE_2, 1000, 1.4),
    Product("casein", "Protein", 4999, _d(2024, 2, 5), WAVE_2, 1000, 0.7, activation_listed=False),
    Product(UNCATALOGUED, "Protein", 1699, _d(2026, 4, 20), _d(2026, 5, 3), 1000, 0.6, in_catalog=False),
    Product(HERO, "Hydration", 2999, _d(2021, 5, 3), WAVE_1, 1200, 5.0),
    Product("electrolyte_berry", "Hydration", 1999, _d(2022, 7, 11), WAVE_1, 1200, 0.9),
    Product("hydration_tablets", "Hydration", 1599, _d(2023, 4, 17), WAVE_2, 1200, 0.7),
    Product("electrolyte_sugar_free", "Hydration", 2199, _d(2024, 5, 6), WAVE_2, 1200, 0.7),
    Product("water_bottle", "Hydration", 2799, _d(2023, 3, 6), _d(2026, 5, 17), 1200, 0.4, consumable=False),
    # Popularity 0: only the launch campaign's creators promote it.
    Product(LAUNCH_SKU, "Hydration", 1799, LAUNCH_DATE, LAUNCH_ACTIVATION, 2000, 0.0),
    Product("multi_women", "Vitamins", 2499, _d(2021, 11, 1), WAVE_1, 1000, 2.2),
    Product("multi_men", "Vitamins", 2699, _d(2021, 11, 1), WAVE_1, 1000, 1.5),
    Product(RISING_RANK, "Vitamins", 2299, _d(2023, 8, 14), _d(2026, 3, 15), 1000, 1.8),
    Product("vitamin_d", "Vitamins", 1799, _d(2022, 1, 10), WAVE_1, 1000, 1.2),
    Product("omega_3", "Vitamins", 2999, _d(2022, 1, 10), _d(2026, 6, 7), 1000, 1.0),
    Product("sleep_gummies", "Vitamins", 1999, _d(2023, 10, 2), WAVE_2, 1000, 1.3),
    Product("ashwagandha", "Vitamins", 2199, _d(2024, 3, 4), WAVE_2, 1000, 0.9),
    Product(CHEAP_PAYOUT, "Pet Care", 999, _d(2022, 8, 1), WAVE_1, 500, 1.6),
    Product("hip_joint", "Pet Care", 3499, _d(2021, 9, 13), WAVE_1, 800, 2.0),
    Product("salmon_oil", "Pet Care", 2499, _d(2022, 4, 4), WAVE_2, 800, 1.2),
    Product("dog_probiotic", "Pet Care", 2999, _d(2023, 2, 20), WAVE_1, 800, 1.3),
    Product("calming_chews", "Pet Care", 2799, _d(2023, 5, 15), _d(2026, 6, 28), 800, 1.0),
    Product("cat_treats", "Pet Care", 1599, _d(2024, 9, 9), WAVE_2, 800, 0.8),
    Product("vitamin_c_serum", "Skin Care", 2499, _d(2022, 2, 14), WAVE_1, 1500, 2.0),
    Product("moisturizer", "Skin Care", 2899, _d(2022, 2, 14), WAVE_1, 1500, 1.5),
    Product("sunscreen", "Skin Care", 1999, _d(2023, 4, 3), _d(2026, 4, 26), 1500, 1.3),
    Product("retinol", "Skin Care", 3299, _d(2023, 9, 25), WAVE_2, 1500, 1.1),
    Product("cleanser", "Skin Care", 1699, _d(2022, 2, 14), WAVE_2, 1500, 0.9, activation_listed=False),
    Product("gift_set", "Skin Care", 5999, _d(2025, 10, 13), None, 1500, 0.5),
)
TITLES: dict[str, str] = {
    "whey_chocolate": "Grass-Fed Whey Protein, Chocolate, 2 lb",
    "whey_vanilla": "Grass-Fed Whey Protein, Vanilla, 2 lb",
    FLAT_RANK: "Plant Protein, Chocolate Peanut Butter, 20 servings",
    "protein_bars": "Protein Bars, Variety Pack, 12 ct",
    "collagen": "Collagen Peptides, Unflavored, 20 oz",
    "casein": "Micellar Casein, Chocolate, 2 lb",
    UNCATALOGUED: "Protein Sampler, 8 single servings",
    HERO: "Electrolyte Drink Mix, Lemon Lime, 60 servings",
    "electrolyte_berry": "Electrolyte Drink Mix, Mixed Berry, 30 servings",
    "hydration_tablets": "Hydration Tablets, Orange, 4 tubes",
    "electrolyte_sugar_free": "Electrolyte Drink Mix, Sugar Free, 30 servings",
    "water_bottle": "Insulated Water Bottle, 32 oz",
    LAUNCH_SKU: "Electrolyte Sticks, Variety Pack, 20 ct",
    "multi_women": "Women's Multivitamin Gummies, 90 ct",
    "multi_men": "Men's Multivitamin, 120 ct",
    RISING_RANK: "Magnesium Glycinate, 120 capsules",
    "vitamin_d": "Vitamin D3 + K2, 60 softgels",
    "omega_3": "Omega-3 Fish Oil, 120 softgels",
    "sleep_gummies": "Sleep Gummies with Melatonin, 60 ct",
    "ashwagandha": "Ashwagandha KSM-66, 60 capsules",
    CHEAP_PAYOUT: "Dog Dental Chews, Mini, 12 ct",
    "hip_joint": "Hip & Joint Chews for Dogs, 90 ct",
    "salmon_oil": "Wild Salmon Oil for Dogs & Cats, 16 oz",
    "dog_probiotic": "Probiotic Chews for Dogs, 60 ct",
    "calming_chews": "Calming Chews for Dogs, 60 ct",
    "cat_treats": "Freeze-Dried Chicken Cat Treats, 3 oz",
    "vitamin_c_serum": "Vitamin C Serum, 1 fl oz",
    "moisturizer": "Hyaluronic Acid Moisturizer, 1.7 oz",
    "sunscreen": "Mineral Sunscreen SPF 50, 3 oz",
    "retinol": "Retinol Night Cream, 1.7 oz",
    "cleanser": "Gentle Foaming Cleanser, 8 oz",
    "gift_set": "Skin Care Holiday Gift Set",
}
KEYWORDS: dict[str, tuple[str, ...]] = {
    "whey_chocolate": (
        "whey protein powder",
        "grass fed whey protein",
        "chocolate protein powder",
        "protein powder",
    ),
    "whey_vanilla": ("whey protein powder", "vanilla protein powder", "grass fed whey protein"),
    FLAT_RANK: ("plant based protein powder", "vegan protein powder", "pea protein", "dairy free protein"),
    "protein_bars": ("protein bars", "low sugar protein bars", "protein snacks"),
    "collagen": ("collagen peptides", "collagen powder", "collagen for women", "hydrolyzed collagen"),
    "casein": ("casein protein", "night time protein", "slow release protein"),
    UNCATALOGUED: ("protein sampler", "protein powder samples", "single serve protein"),
    HERO: (
        "electrolyte powder",
        "hydration drink mix",
        "electrolytes",
        "sugar free electrolytes",
        "keto electrolytes",
    ),
    "electrolyte_berry": ("electrolyte powder", "berry electrolyte drink mix", "hydration packets"),
    "hydration_tablets": ("electrolyte tablets", "hydration tablets", "effervescent electrolytes"),
    "electrolyte_sugar_free": (
        "sugar free electrolytes",
        "electrolyte powder no sugar",
        "zero sugar hydration",
    ),
    "water_bottle": ("insulated water bottle", "32 oz water bottle", "gym water bottle"),
    LAUNCH_SKU: ("electrolyte sticks", "electrolyte packets", "hydration sticks", "travel electrolytes"),
    "multi_women": ("womens multivitamin", "multivitamin gummies", "daily vitamins for women"),
    "multi_men": ("mens multivitamin", "multivitamin for men", "daily vitamins"),
    RISING_RANK: ("magnesium glycinate", "magnesium supplement", "magnesium for sleep", "chelated magnesium"),
    "vitamin_d": ("vitamin d3 k2", "vitamin d supplement", "d3 k2 softgels"),
    "omega_3": ("omega 3 fish oil", "fish oil supplement", "omega 3 softgels", "epa dha"),
    "sleep_gummies": ("sleep gummies", "melatonin gummies", "sleep aid"),
    "ashwagandha": ("ashwagandha", "ashwagandha ksm 66", "stress supplement", "cortisol supplement"),
    CHEAP_PAYOUT: ("dog dental chews", "dental treats for small dogs", "dog breath freshener"),
    "hip_joint": ("dog joint supplement", "hip and joint chews for dogs", "glucosamine for dogs"),
    "salmon_oil": ("salmon oil for dogs", "fish oil for dogs", "omega 3 for cats"),
    "dog_probiotic": ("probiotics for dogs", "dog probiotic chews", "dog digestive supplement"),
    "calming_chews": ("calming chews for dogs", "dog anxiety relief", "calming treats"),
    "cat_treats": ("freeze dried cat treats", "healthy cat treats", "chicken cat treats"),
    "vitamin_c_serum": ("vitamin c serum", "face serum", "brightening serum"),
    "moisturizer": ("hyaluronic acid moisturizer", "face moisturizer", "moisturizer for dry skin"),
    "sunscreen": ("mineral sunscreen", "spf 50 sunscreen", "reef safe sunscreen", "zinc sunscreen"),
    "retinol": ("retinol cream", "night cream", "anti aging cream"),
    "cleanser": ("face wash", "gentle cleanser", "foaming cleanser"),
    "gift_set": ("skin care gift set", "gift sets for women", "self care gift"),
}
_PRODUCT_INDEX = {p.key: i for i, p in enumerate(PRODUCTS)}
_RAISED_INDEX = [_PRODUCT_INDEX[key] for key in RAISED]

# --- Creators ----------------------------------------------------------------------------------------------

# (name, niche): the niche is the product line the audience cares about; None promotes anything.
CREATORS: tuple[tuple[str, str | None], ...] = (
    ("@fitwithmaya", "Protein"),
    (NO_SALES, "Protein"),
    ("@coachdre.fit", "Protein"),
    ("@thegymcouple", "Protein"),
    ("@crossfitcarla", "Protein"),
    ("@mealprepmatt", "Protein"),
    ("@strongherstudio", "Protein"),
    ("@runnerrachel", "Hydration"),
    ("@hikingwithhannah", "Hydration"),
    ("@marathonmarcus", "Hydration"),
    ("@cyclingsam", "Hydration"),
    ("@hotyogahailey", "Hydration"),
    (LOYAL_NICHE, "Vitamins"),
    ("@wellnesswithwren", "Vitamins"),
    ("@dr.sleepwell", "Vitamins"),
    ("@mindfulmornings", "Vitamins"),
    ("@herbalisthazel", "Vitamins"),
    ("@busymomhacks", "Vitamins"),
    ("@healthyhabits.hq", "Vitamins"),
    ("@goldenretrieverben", "Pet Care"),
    ("@catladycleo", "Pet Care"),
    ("@doodledaily", "Pet Care"),
    ("@rescuepupsrosie", "Pet Care"),
    ("@thepetvet.sam", "Pet Care"),
    ("@frenchiefrank", "Pet Care"),
    ("@glowwithgrace", "Skin Care"),
    ("@skinbyselena", "Skin Care"),
    ("@dermdiaries", "Skin Care"),
    ("@minimalbeauty.mo", "Skin Care"),
    ("@spfsophie", "Skin Care"),
    ("@cleanbeautykai", "Skin Care"),
    (DEAL_SEEKER, None),
    ("@budgetbabe.finds", None),
    ("@thriftythomas", None),
    ("influencer-3f9a2c71", None),
    ("influencer-8b04e6d2", "Vitamins"),
    ("influencer-c51d9e08", "Protein"),
    ("influencer-1e7b4a95", "Pet Care"),
    ("influencer-a62f0b3c", "Skin Care"),
    ("influencer-5d8c17fe", "Hydration"),
)
_CREATOR_INDEX = {name: i for i, (name, _) in enumerate(CREATORS)}


@dataclass(frozen=True)
class Audience:
    """A creator whose audience is fixed by a story instead of drawn at random."""

    asins: tuple[str, ...]
    clicks: float  # mean clicks per active day per ASIN
    active: float  # share of days with a post or link in circulation
    conversion: float
    ntb: float
    sns_factor: float
    rebuy: float  # share of acquired customers who buy again directly
    reuse: float  # share of returning (not new-to-brand) buyers who are the brand's own baseline buyers
    join: dt.date


STORY_AUDIENCES: dict[str, Audience] = {
    DEAL_SEEKER: Audience(
        ("whey_chocolate", "protein_bars", HERO, "multi_men", "omega_3", "vitamin_c_serum"),
        clicks=7.0,
        active=0.8,
        conversion=0.115,
        ntb=0.12,
        sns_factor=0.15,
        rebuy=0.02,
        reuse=0.0,
        join=WAVE_1,
    ),
    LOYAL_NICHE: Audience(
        ("multi_women", RISING_RANK, "vitamin_d", "sleep_gummies", "dog_probiotic", "hip_joint"),
        clicks=1.0,
        active=0.5,
        conversion=0.05,
        ntb=0.82,
        sns_factor=2.4,
        rebuy=0.4,
        reuse=0.3,
        join=WAVE_1,
    ),
    NO_SALES: Audience(
        ("whey_chocolate", FLAT_RANK, HERO),
        clicks=1.4,
        active=0.9,
        conversion=0.0,
        ntb=0.5,
        sns_factor=1.0,
        rebuy=0.2,
        reuse=0.2,
        join=END - dt.timedelta(days=150),
    ),
}
LAUNCH_CLICKS = 2.0  # launch-campaign creators post about the new SKU far less than about the hero

# --- Customers ------------------------------------------------------------------------------------------

BASELINE_CUSTOMERS_PER_ATTRIBUTED_LINE = 0.45
BASELINE_REPEAT = 0.24  # share of ordinary buyers who order again within the year
BASELINE_NTB = 0.45
SECOND_LINE_SHARE = 0.15  # orders holding two ASINs
RENEWAL_SHARE = 0.7  # Subscribe & Save starts that renew at least once inside the data
RENEWAL_DAYS = 30
SNS_DISCOUNT = 0.95
PRIME_DISCOUNT = 0.85
BLACK_FRIDAY_DISCOUNT = 0.8
NOT_RANKED_SHARE = 0.03
RANK_DAYS_AROUND = 35  # rank history on each side of activation

ASIN_SALT = 0x2F6A1C3B9
CUSTOMER_SALT = 0x5E1F9A2B7
ORDER_SALT = 0x1B873593A


def _mix(values: np.ndarray, bits: int, salt: int) -> np.ndarray:
    """A bijection on [0, 2**bits): distinct inputs give distinct, random-looking outputs."""
    mask = np.uint64((1 << bits) - 1)
    x = (values.astype(np.uint64) + np.uint64(salt)) & mask
    for multiplier, shift in ((0x9E3779B97F4A7C15, bits // 2), (0xBF58476D1CE4E5B9, bits // 3)):
        x = (x * np.uint64(multiplier)) & mask  # odd multipliers are invertible modulo 2**bits
        x ^= x >> np.uint64(shift)
    return x


def _asin_codes(indices: np.ndarray) -> np.ndarray:
    """ASINs for product indices: B0 plus 8 base-36 characters, the same for every seed."""
    alphabet = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
    x = _mix(np.asarray(indices), 41, ASIN_SALT)  # 2**41 < 36**8, so 8 characters always suffice
    chars = np.empty((len(x), 10), dtype=np.uint8)
    chars[:, 0], chars[:, 1] = ord("B"), ord("0")
    for position in range(9, 1, -1):
        chars[:, position] = alphabet[(x % np.uint64(36)).astype(np.intp)]
        x //= np.uint64(36)
    return chars.view("S10").ravel().astype(str)


def _asin(key: str) -> str:
    return str(_asin_codes(np.array([_PRODUCT_INDEX[key]]))[0])


STORIES: dict[str, str] = {
    "hero_sku": (
        f"Hydration rides on its hero {_asin(HERO)} (Electrolyte Drink Mix, Lemon Lime): over 60 % of the "
        f"line's creator revenue in the last 90 days, while the new launch {_asin(LAUNCH_SKU)} (Electrolyte "
        f"Sticks, launched {LAUNCH_DATE.isoformat()}) earns under 10 % of it."
    ),
    "deal_seeker": (
        f"{DEAL_SEEKER} converts among the best of all creators, but under 20 % of her buyers are new to "
        "brand and few of them ever buy again: a deal-seeking audience."
    ),
    "loyal_niche": (
        f"{LOYAL_NICHE} sells modestly, yet over 70 % of her buyers are new to brand and over 30 % of her "
        "order lines are Subscribe & Save."
    ),
    "flat_rank": (
        f"{_asin(FLAT_RANK)} (Plant Protein) gains creator revenue after its activation but its organic rank "
        "stays flat (median before and after within 2 places)."
    ),
    "rising_rank": (
        f"{_asin(RISING_RANK)} (Magnesium Glycinate) climbs in organic search after activation, its keywords "
        "moving from around rank 45 to around rank 15."
    ),
    "commission_drift": (
        f"{DRIFT_LINE} commission share rises by about 5 points over the last six weeks: its bonus went from "
        "10 % to 15 % while its conversion fell."
    ),
    "bonus_raise": (
        f"{RAISE_LINE} raised the bonus on {_asin(RAISED[0])} (Hip & Joint Chews) and {_asin(RAISED[1])} (Probiotic "
        f"Chews) from 8 % to 12 % on {RAISE_DATE.isoformat()}, mid-year, and Vitamins on all its ASINs from 10 % to "
        "15 % six weeks before the end: the catalog dates each rate (effective_date), so payouts follow the dates and "
        "the Products page shows each ASIN's rate history; ASINs whose bonus never moved while their conversion fell "
        "are flagged."
    ),
    "cheap_payout": (
        f"{_asin(CHEAP_PAYOUT)} (Dog Dental Chews, $9.99) pays creators under $1.00 per sale "
        "(3 % standard plus 5 % bonus)."
    ),
    "no_sales": f"{NO_SALES} drives hundreds of clicks, most in the last 90 days, and not one purchase.",
    "campaign_pacing": (
        "The Always-on campaign spends its $36,000 budget for 2026 by late November at its current pace, weeks "
        "before the year ends; the Electrolyte Sticks launch ends within a week of the last day of data."
    ),
    "catalog_gaps": (
        f"{_asin(UNCATALOGUED)} (Protein Sampler) sells through creators but is missing from the catalog "
        f"(product line Unassigned); {_asin('casein')} (Micellar Casein) and {_asin('cleanser')} (Gentle "
        "Foaming Cleanser) have no activation date in the catalog, so activation falls back to their first "
        "click."
    ),
}


# --- Brand arrays (all copies of the brand at once) --------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """One entry per product per copy of the brand; index = copy * len(PRODUCTS) + product."""

    copies: int
    code: np.ndarray
    copy: np.ndarray
    line: np.ndarray
    price_cents: np.ndarray
    launch_day: np.ndarray
    activation_day: np.ndarray  # -1: never activated
    bonus_bp: np.ndarray
    popularity: np.ndarray
    sns_share: np.ndarray


@dataclass(frozen=True)
class Creators:
    """One entry per creator per copy of the brand; index = copy * len(CREATORS) + creator."""

    name: np.ndarray
    copy: np.ndarray
    clicks: np.ndarray
    active: np.ndarray
    conversion: np.ndarray
    ntb: np.ndarray
    sns_factor: np.ndarray
    rebuy: np.ndarray
    reuse: np.ndarray
    join_day: np.ndarray
    end_day: np.ndarray
    prime_day: np.ndarray
    new_year: np.ndarray


def _tile(values: Sequence[float], copies: int) -> np.ndarray:
    return np.tile(np.asarray(values), copies)


def _catalog(copies: int) -> Catalog:
    n = len(PRODUCTS)
    line = _tile([_LINE_INDEX[p.line] for p in PRODUCTS], copies)
    activation = [_day(p.activation) if p.activation else -1 for p in PRODUCTS]
    line_sns = np.array([line.sns_share for line in LINES])
    return Catalog(
        copies=copies,
        code=_asin_codes(np.arange(n * copies)),
        copy=np.repeat(np.arange(copies), n),
        line=line,
        price_cents=_tile([p.price_cents for p in PRODUCTS], copies),
        launch_day=_tile([_day(p.launch) for p in PRODUCTS], copies),
        activation_day=_tile(activation, copies),
        bonus_bp=_tile([p.bonus_bp for p in PRODUCTS], copies),
        popularity=_tile([p.popularity for p in PRODUCTS], copies),
        sns_share=line_sns[line] * _tile([p.consumable for p in PRODUCTS], copies),
    )


def _creators(rng: Rng, copies: int) -> Creators:
    n = len(CREATORS) * copies
    names = [name if copy == 0 else f"{name}-{copy:03d}" for copy in range(copies) for name, _ in CREATORS]
    join = np.where(rng.random(n) < 0.3, _day(WAVE_1) + rng.integers(0, 200, n), _day(WAVE_1))
    churned = rng.random(n) < 0.15
    end = np.where(churned, rng.integers(join + 60, DAYS + 60), DAYS - 1).clip(max=DAYS - 1)
    creators = Creators(
        name=np.array(names, dtype=object),
        copy=np.repeat(np.arange(copies), len(CREATORS)),
        clicks=np.exp(rng.normal(np.log(3.5), 0.7, n)).clip(0.8, 25),
        active=rng.uniform(0.35, 0.9, n),
        conversion=np.exp(rng.normal(np.log(0.04), 0.3, n)).clip(0.02, 0.08),
        ntb=rng.uniform(0.35, 0.65, n),
        sns_factor=rng.uniform(0.6, 1.4, n),
        rebuy=rng.uniform(0.15, 0.35, n),
        reuse=rng.uniform(0.2, 0.4, n),
        join_day=join,
        end_day=end,
        prime_day=rng.random(n) < 0.6,
        new_year=rng.random(n) < 0.6,
    )
    for name, audience in STORY_AUDIENCES.items():
        rows = _CREATOR_INDEX[name] + len(CREATORS) * np.arange(copies)
        creators.clicks[rows] = audience.clicks
        creators.active[rows] = audience.active
        creators.conversion[rows] = audience.conversion
        creators.ntb[rows] = audience.ntb
        creators.sns_factor[rows] = audience.sns_factor
        creators.rebuy[rows] = audience.rebuy
        creators.reuse[rows] = audience.reuse
        creators.join_day[rows] = _day(audience.join)
        creators.end_day[rows] = DAYS - 1
    return creators


def _expand(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each i, the integers starts[i] .. starts[i] + lengths[i] - 1, with i as their owner."""
    lengths = lengths.clip(min=0)
    owner = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.arange(owner.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owner, starts[owner] + offsets


def _pairs(rng: Rng, catalog: Catalog, creators: Creators) -> Columns:
    """Which creator promotes which ASIN, from when to when, and how hard."""
    n_local = len(PRODUCTS)
    niche = np.array([_LINE_INDEX[n] if n else -1 for _, n in CREATORS])
    local_line = catalog.line[:n_local]
    affinity = np.where(niche[:, None] < 0, 1.0, np.where(niche[:, None] == local_line[None, :], 4.0, 0.35))
    weights = affinity * catalog.popularity[:n_local][None, :]
    weights[:, catalog.activation_day[:n_local] < 0] = 0.0
    picks = rng.integers(3, 13, len(CREATORS))
    for name, audience in STORY_AUDIENCES.items():
        row = _CREATOR_INDEX[name]
        weights[row] = 0.0
        weights[row, [_PRODUCT_INDEX[key] for key in audience.asins]] = 1.0
        picks[row] = len(audience.asins)
    weights = np.tile(weights, (catalog.copies, 1))
    picks = np.tile(picks, catalog.copies)
    # Gumbel top-k: a weighted sample without replacement for every creator at once.
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    ranked = np.argsort(-keys, axis=1)
    creator, position = np.nonzero(np.arange(n_local)[None, :] < picks[:, None])
    local = ranked[creator, position]
    keep = np.isfinite(keys[creator, local])
    creator, local = creator[keep], local[keep]

    launch_rows = np.array([_CREATOR_INDEX[name] for name in LAUNCH_CREATORS])
    launch_creators = (launch_rows[None, :] + len(CREATORS) * np.arange(catalog.copies)[:, None]).ravel()
    creator = np.concatenate([creator, launch_creators])
    local = np.concatenate([local, np.full(launch_creators.size, _PRODUCT_INDEX[LAUNCH_SKU])])
    asin = creators.copy[creator] * n_local + local

    story = np.isin(creators.name[creator], list(STORY_AUDIENCES))
    # Creators discover a newly activated ASIN over weeks, so its creator revenue ramps up.
    delay = np.where(story, 0, rng.exponential(20, creator.size).astype(np.int64))
    start = np.maximum(catalog.activation_day[asin], creators.join_day[creator]) + delay
    end = creators.end_day[creator]
    reach = creators.clicks[creator] * np.sqrt(catalog.popularity[asin])
    clicks = reach * np.exp(rng.normal(0, 0.3, creator.size))
    clicks = np.where(story, creators.clicks[creator], clicks)
    clicks = np.where(local == _PRODUCT_INDEX[LAUNCH_SKU], LAUNCH_CLICKS, clicks)
    ok = start <= end
    order = np.lexsort((asin[ok], creator[ok]))
    return {
        "creator": creator[ok][order],
        "asin": asin[ok][order],
        "start": start[ok][order],
        "end": end[ok][order],
        "clicks": clicks[ok][order],
    }


def _day_factors() -> np.ndarray:
    """Clicks by day: weekday rhythm and a slow build of the program over the year."""
    days = np.arange(DAYS)
    weekday = np.array([0.9, 1.05, 1.05, 1.0, 1.0, 0.95, 0.85])[days % 7]  # day 0 is a Sunday
    return weekday * (0.85 + 0.3 * days / DAYS)


def _within(days: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    return (days >= window[0]) & (days <= window[1])


def _performance(rng: Rng, catalog: Catalog, creators: Creators, pairs: Columns) -> Columns:
    """Daily clicks and orders per creator and ASIN (revenue and the rest follow from the order lines)."""
    pair, day = _expand(pairs["start"], pairs["end"] - pairs["start"] + 1)
    creator_of_pair = pairs["creator"]
    active = rng.random(pair.size) < creators.active[creator_of_pair][pair]
    pair, day = pair[active], day[active]
    creator, asin = creator_of_pair[pair], pairs["asin"][pair]
    line = catalog.line[asin]

    new_year_lines = np.array([line.new_year for line in LINES])
    campaign = np.full(pair.size, ALWAYS_ON, dtype=np.int8)
    campaign[_within(day, NEW_YEAR_DAYS) & creators.new_year[creator] & new_year_lines[line]] = NEW_YEAR
    campaign[_within(day, PRIME_DAY_DAYS) & creators.prime_day[creator]] = PRIME_DAY
    campaign[asin % len(PRODUCTS) == _PRODUCT_INDEX[LAUNCH_SKU]] = LAUNCH

    boost = np.select([campaign == NEW_YEAR, campaign == PRIME_DAY], [1.4, 2.0], 1.0)
    peak = _within(day, PRIME_PEAK_DAYS)
    boost = np.where(peak & (campaign == PRIME_DAY), 3.0, boost)
    clicks = rng.poisson(pairs["clicks"][pair] * _day_factors()[day] * boost)

    conversion = creators.conversion[creator] * np.where(peak, 1.4, 1.0)
    drifting = (line == _LINE_INDEX[DRIFT_LINE]) & (day >= DRIFT_DAY)
    conversion = np.where(drifting, conversion * DRIFT_CONVERSION, conversion)
    orders = rng.binomial(clicks, conversion.clip(0, 0.5))

    kept = clicks > 0
    order = np.argsort(day[kept].astype(np.int64) * len(creator_of_pair) + pair[kept])
    return {
        "day": day[kept][order],
        "campaign": campaign[kept][order],
        "creator": creator[kept][order],
        "asin": asin[kept][order],
        "clicks": clicks[kept][order],
        "orders": orders[kept][order],
    }


def _unit_price_cents(catalog: Catalog, asin: np.ndarray, day: np.ndarray, sns: np.ndarray) -> np.ndarray:
    discount = np.ones(day.size)
    discount[_within(day, PRIME_PEAK_DAYS)] = PRIME_DISCOUNT
    discount[_within(day, BLACK_FRIDAY_DAYS)] = BLACK_FRIDAY_DISCOUNT
    discount = np.where(sns, discount * SNS_DISCOUNT, discount)
    return np.rint(catalog.price_cents[asin] * discount).astype(np.int64)


def _units(rng: Rng, size: int) -> np.ndarray:
    return rng.choice(np.array([1, 2, 3]), size=size, p=[0.86, 0.11, 0.03])


def _attributed_lines(rng: Rng, catalog: Catalog, creators: Creators, perf: Columns) -> Columns:
    """One order line per attributed order; sums them back into the performance rows."""
    row = np.repeat(np.arange(perf["day"].size), perf["orders"])
    day, asin, creator = perf["day"][row], perf["asin"][row], perf["creator"][row]
    ntb = rng.random(row.size) < creators.ntb[creator]
    sns = rng.random(row.size) < (catalog.sns_share[asin] * creators.sns_factor[creator]).clip(0, 0.9)
    units = _units(rng, row.size)
    revenue = _unit_price_cents(catalog, asin, day, sns) * units

    rows = perf["day"].size
    perf["units"] = np.bincount(row, weights=units, minlength=rows).astype(np.int64)
    perf["revenue_cents"] = np.rint(np.bincount(row, weights=revenue, minlength=rows)).astype(np.int64)
    perf["ntb_orders"] = np.bincount(row, weights=ntb, minlength=rows).astype(np.int64)
    perf["sns_orders"] = np.bincount(row, weights=sns, minlength=rows).astype(np.int64)
    drifting = (catalog.line[perf["asin"]] == _LINE_INDEX[DRIFT_LINE]) & (perf["day"] >= DRIFT_DAY)
    bonus_bp = catalog.bonus_bp[perf["asin"]] + np.where(drifting, DRIFT_RAISE_BP, 0)
    raised = np.isin(perf["asin"] % len(PRODUCTS), _RAISED_INDEX) & (perf["day"] >= _day(RAISE_DATE))
    bonus_bp = bonus_bp + np.where(raised, RAISE_BP, 0)
    perf["commission_cents"] = (perf["revenue_cents"] * bonus_bp + 5_000) // 10_000  # half-up to the cent
    return {
        "day": day,
        "asin": asin,
        "creator": creator,
        "campaign": perf["campaign"][row],
        "units": units,
        "revenue_cents": revenue,
        "ntb": ntb,
        "sns": sns,
    }


def _draw_products(rng: Rng, catalog: Catalog, copy: np.ndarray) -> np.ndarray:
    """Random ASINs of each given copy of the brand, weighted by popularity (ordinary shoppers' mix)."""
    weights = catalog.popularity[: len(PRODUCTS)].copy()
    weights[_PRODUCT_INDEX[LAUNCH_SKU]] = 0.8  # unknown to creators yet, but it sells on Amazon
    cumulative = np.cumsum(weights) / weights.sum()
    local = np.searchsorted(cumulative, rng.random(copy.size), side="right").clip(max=len(PRODUCTS) - 1)
    return copy * len(PRODUCTS) + local


def _baseline_customers(rng: Rng, catalog: Catalog, count: int) -> Columns:
    """Ordinary buyers of the brand: their orders, one or two lines each, with no creator."""
    copy = np.arange(count) % catalog.copies
    asin = _draw_products(rng, catalog, copy)
    seasonal = _day_factors()
    seasonal[_within(np.arange(DAYS), BLACK_FRIDAY_DAYS)] *= 2.0
    seasonal[_within(np.arange(DAYS), PRIME_PEAK_DAYS)] *= 2.5
    cumulative = np.cumsum(seasonal) / seasonal.sum()
    first = np.searchsorted(cumulative, rng.random(count), side="right").clip(max=DAYS - 1)
    launch = catalog.launch_day[asin].clip(min=0)
    first = np.where(first < launch, launch + (rng.random(count) * (DAYS - launch)).astype(np.int64), first)

    extra = np.where(rng.random(count) < BASELINE_REPEAT, rng.geometric(0.55, count), 0)
    gap = 20 + rng.exponential(45, count)
    customer, number = _expand(np.zeros(count, dtype=np.int64), extra + 1)
    day = first[customer] + (number * gap[customer]).astype(np.int64)
    keep = day < DAYS
    customer, number, day = customer[keep], number[keep], day[keep]
    asin = np.where(
        (number == 0) | (rng.random(customer.size) < 0.6),
        asin[customer],
        _draw_products(rng, catalog, copy[customer]),
    )
    asin = np.where(catalog.launch_day[asin] > day, _first_order_asin(asin, customer, number), asin)
    return {
        "customer": customer,
        "first_day": first,
        "copy": copy,
        "day": day,
        "asin": asin,
        "ntb": (number == 0) & (rng.random(customer.size) < BASELINE_NTB),
    }


def _first_order_asin(asin: np.ndarray, customer: np.ndarray, number: np.ndarray) -> np.ndarray:
    """Each order's customer's first ASIN (orders are grouped by customer, first order first)."""
    first_position = np.flatnonzero(number == 0)
    return asin[first_position[np.searchsorted(customer[first_position], customer)]]


def _follow_ups(
    rng: Rng, catalog: Catalog, creators: Creators, lines: Columns, new: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Later direct orders by new creator-acquired customers: Subscribe & Save renewals and plain rebuys.

    Returns, per follow-up order, the attributed line it follows, its day, ASIN and Subscribe & Save flag.
    """
    n = lines["day"].size
    renews = new & lines["sns"] & (rng.random(n) < RENEWAL_SHARE)
    rebuys = new & ~renews & (rng.random(n) < creators.rebuy[lines["creator"]])
    source = np.concatenate([np.flatnonzero(renews), np.flatnonzero(rebuys)])
    renewals = rng.geometric(0.4, renews.sum()).clip(max=8)
    count = np.concatenate([renewals, 1 + (rng.random(rebuys.sum()) < 0.3)])
    is_renewal = np.concatenate([np.ones(renews.sum(), bool), np.zeros(rebuys.sum(), bool)])
    gap = np.where(is_renewal, RENEWAL_DAYS, 20 + rng.exponential(50, source.size))
    owner, number = _expand(np.ones(source.size, dtype=np.int64), count)
    src = source[owner]
    day = lines["day"][src] + (number * gap[owner]).astype(np.int64) + rng.integers(-2, 3, owner.size)
    same = is_renewal[owner] | (rng.random(owner.size) < 0.6)
    asin = np.where(same, lines["asin"][src], _draw_products(rng, catalog, catalog.copy[lines["asin"][src]]))
    asin = np.where(catalog.launch_day[asin] > day, lines["asin"][src], asin)
    sns = is_renewal[owner] | (rng.random(owner.size) < catalog.sns_share[asin] * 0.5)
    keep = day < DAYS
    return src[keep], day[keep], asin[keep], sns[keep]


def _orders(rng: Rng, catalog: Catalog, creators: Creators, lines: Columns) -> Columns:
    """All order lines: the attributed ones, their customers' later direct orders, and ordinary buyers."""
    n_attr = lines["day"].size
    base = _baseline_customers(rng, catalog, round(BASELINE_CUSTOMERS_PER_ATTRIBUTED_LINE * n_attr))
    n_base_customers = base["first_day"].size

    # A returning (not new-to-brand) creator buyer is sometimes one of the brand's own baseline buyers,
    # which needs a baseline customer whose first order came earlier in the same copy of the brand.
    by_first = np.lexsort((base["first_day"], base["copy"]))
    first_key = base["copy"][by_first].astype(np.int64) * DAYS + base["first_day"][by_first]
    line_copy = catalog.copy[lines["asin"]].astype(np.int64)
    low = np.searchsorted(first_key, line_copy * DAYS)
    high = np.searchsorted(first_key, line_copy * DAYS + lines["day"])
    reused = ~lines["ntb"] & (rng.random(n_attr) < creators.reuse[lines["creator"]]) & (high > low)
    pick = by_first[(low + rng.random(n_attr) * (high - low)).astype(np.int64).clip(max=len(by_first) - 1)]
    customer = np.where(reused, pick, n_base_customers + np.arange(n_attr))

    src, f_day, f_asin, f_sns = _follow_ups(rng, catalog, creators, lines, ~reused)

    n_follow = src.size
    n_base = base["day"].size
    order_key = np.arange(n_attr + n_follow + n_base)
    parts: Columns = {
        "order_key": order_key,
        "day": np.concatenate([lines["day"], f_day, base["day"]]),
        "customer": np.concatenate([customer, customer[src], base["customer"]]),
        "asin": np.concatenate([lines["asin"], f_asin, base["asin"]]),
        "creator": np.concatenate([lines["creator"], np.full(n_follow + n_base, -1)]),
        "campaign": np.concatenate([lines["campaign"], np.full(n_follow + n_base, -1)]),
        "ntb": np.concatenate([lines["ntb"], np.zeros(n_follow, bool), base["ntb"]]),
        "sns": np.concatenate(
            [lines["sns"], f_sns, rng.random(n_base) < catalog.sns_share[base["asin"]]],
        ),
    }
    parts = _add_second_lines(rng, catalog, parts, first_unattributed=n_attr)
    sns = parts["sns"]
    units = np.concatenate([lines["units"], _units(rng, parts["day"].size - n_attr)])
    revenue = np.concatenate(
        [
            lines["revenue_cents"],
            (_unit_price_cents(catalog, parts["asin"], parts["day"], sns) * units)[n_attr:],
        ]
    )
    parts["units"], parts["revenue_cents"] = units, revenue
    # Stable, so an order's second line (appended last) stays after its first.
    order = np.argsort(parts["day"] * order_key.size + parts["order_key"], kind="stable")
    return {name: values[order] for name, values in parts.items()}


def _add_second_lines(rng: Rng, catalog: Catalog, parts: Columns, first_unattributed: int) -> Columns:
    """Give some direct orders a second, different ASIN (creator-attributed orders stay single-line)."""
    candidates = np.arange(first_unattributed, parts["day"].size)
    chosen = candidates[rng.random(candidates.size) < SECOND_LINE_SHARE]
    n = len(PRODUCTS)
    first_asin = parts["asin"][chosen]
    # A shift of 1 .. n-1 within the copy's products can never land back on the first line's ASIN.
    other = first_asin - first_asin % n + (first_asin % n + rng.integers(1, n, chosen.size)) % n
    on_sale = catalog.launch_day[other] <= parts["day"][chosen]
    chosen, other = chosen[on_sale], other[on_sale]
    extra = {name: values[chosen] for name, values in parts.items()}
    extra["asin"] = other
    extra["sns"] = rng.random(chosen.size) < catalog.sns_share[other]
    return {name: np.concatenate([parts[name], extra[name]]) for name in parts}


def _ranks(rng: Rng, catalog: Catalog) -> Columns:
    """Daily organic rank per ASIN and tracked keyword, around each ASIN's activation."""
    keywords = sorted({k for p in PRODUCTS for k in p.keywords})
    keyword_index = {k: i for i, k in enumerate(keywords)}
    local = np.array([i for i, p in enumerate(PRODUCTS) for _ in p.keywords])
    keyword = np.array([keyword_index[k] for p in PRODUCTS for k in p.keywords])
    copies = catalog.copies
    asin = (np.arange(copies)[:, None] * len(PRODUCTS) + local[None, :]).ravel()
    keyword = np.tile(keyword, copies)
    local = np.tile(local, copies)
    n = asin.size

    # A product never activated is tracked all the same (over the last weeks), so the rank page meets an
    # ASIN with readings but no activation date and therefore no lift.
    activation = catalog.activation_day[asin]
    centre = np.where(activation >= 0, activation, DAYS - RANK_DAYS_AROUND - 1)
    base = np.exp(rng.uniform(np.log(6), np.log(140), n))
    lift = rng.uniform(-0.1, 0.2, n)
    noise = np.full(n, 0.12)
    ramp = np.full(n, 14.0)
    flat = local == _PRODUCT_INDEX[FLAT_RANK]
    base[flat] = rng.uniform(*FLAT_RANK_BASE, flat.sum())
    lift[flat], noise[flat] = 0.0, 0.06
    rising = local == _PRODUCT_INDEX[RISING_RANK]
    base[rising] = rng.uniform(*RISING_RANK_BASE, rising.sum())
    lift[rising], noise[rising], ramp[rising] = RISING_RANK_LIFT, 0.08, 5.0
    # A new listing starts deep in the results and climbs as reviews arrive.
    launch = local == _PRODUCT_INDEX[LAUNCH_SKU]
    base[launch], lift[launch] = rng.uniform(90, 160, launch.sum()), 0.15
    volume = np.exp(rng.uniform(np.log(900), np.log(90_000), len(keywords)))  # monthly searches

    first = (centre - RANK_DAYS_AROUND).clip(min=0)
    last = (centre + RANK_DAYS_AROUND).clip(max=DAYS - 1)
    series, day = _expand(first, last - first + 1)
    progress = ((day - centre[series] + 1) / ramp[series]).clip(0, 1)
    rank = base[series] * (1 - lift[series] * progress) * np.exp(rng.normal(0, noise[series]))
    rank = np.rint(rank).astype(np.int64).clip(min=1)
    on_sale = catalog.launch_day[asin[series]] <= day
    ranked = on_sale & (rank <= 300) & (rng.random(series.size) >= NOT_RANKED_SHARE)
    sponsored = np.where(rng.random(series.size) < 0.6, rng.integers(1, 21, series.size), 0)
    searches = np.rint(volume[keyword[series]] * rng.uniform(0.9, 1.1, series.size)).astype(np.int64)
    order = np.lexsort((keyword[series], asin[series], day))
    return {
        "day": day[order],
        "asin": asin[series][order],
        "keyword": keyword[series][order],
        "keyword_names": np.array(keywords, dtype=object),
        "organic_rank": np.where(ranked, rank, 0)[order],
        "sponsored_rank": np.where(on_sale, sponsored, 0)[order],
        "search_volume": searches[order],
    }


def _categorical(codes: np.ndarray, names: np.ndarray | list[str] | tuple[str, ...]) -> pd.Categorical:
    """Codes into names without building a string per row; DuckDB reads it as an ENUM (-1 is NULL)."""
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=pd.Index(list(names), dtype=object))


def _copy(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, select: str, path: Path) -> Path:
    """Write select (over the registered frame; $start is the first day) as a CSV at path."""
    con.register("frame", frame)
    con.execute(f"copy ({select}) to $path (header, delimiter ',')", {"path": str(path), "start": START})
    con.unregister("frame")
    return path


def _write_performance(
    con: duckdb.DuckDBPyConnection, perf: Columns, catalog: Catalog, creators: Creators, path: Path
) -> Path:
    frame = pd.DataFrame(
        {
            "day": perf["day"].astype(np.int32),
            "campaign": _categorical(perf["campaign"], CAMPAIGNS),
            "creator": _categorical(perf["creator"], creators.name),
            "asin": _categorical(perf["asin"], catalog.code),
            "clicks": perf["clicks"],
            "orders": perf["orders"],
            "units": perf["units"],
            "revenue_cents": perf["revenue_cents"],
            "commission_cents": perf["commission_cents"],
            "ntb_orders": perf["ntb_orders"],
            "sns_orders": perf["sns_orders"],
        }
    )
    select = """
        select
            $start + day as date,
            campaign,
            creator,
            asin,
            clicks,
            orders,
            units,
            (revenue_cents / 100)::decimal(18, 2) as revenue,
            (commission_cents / 100)::decimal(18, 2) as commission,
            ntb_orders,
            sns_orders
        from frame
    """
    return _copy(con, frame, select, path)


def _write_orders(
    con: duckdb.DuckDBPyConnection, orders: Columns, catalog: Catalog, creators: Creators, path: Path
) -> Path:
    order_hash = _mix(orders["order_key"], 46, ORDER_SALT)  # 2**46 < 10**14: fits the 7+7 digit body
    frame = pd.DataFrame(
        {
            "order_prefix": (111 + (order_hash >> np.uint64(23)) % np.uint64(4)).astype(np.int64),
            "order_high": (order_hash // np.uint64(10**7)).astype(np.int64),
            "order_low": (order_hash % np.uint64(10**7)).astype(np.int64),
            "day": orders["day"].astype(np.int32),
            "customer_hash": _mix(orders["customer"], 40, CUSTOMER_SALT).astype(np.int64),
            "asin": _categorical(orders["asin"], catalog.code),
            "revenue_cents": orders["revenue_cents"],
            "creator": _categorical(orders["creator"], creators.name),
            "campaign": _categorical(orders["campaign"], CAMPAIGNS),
            "units": orders["units"],
            "new_to_brand": orders["ntb"],
            "subscribe_and_save": orders["sns"],
        }
    )
    select = """
        select
            printf('%03d-%07d-%07d', order_prefix, order_high, order_low) as order_id,
            $start + day as order_date,
            printf('c%010x', customer_hash) as customer_id,
            asin,
            (revenue_cents / 100)::decimal(18, 2) as revenue,
            creator,
            campaign,
            units,
            new_to_brand,
            subscribe_and_save
        from frame
    """
    return _copy(con, frame, select, path)


def _write_ranks(con: duckdb.DuckDBPyConnection, ranks: Columns, catalog: Catalog, path: Path) -> Path:
    frame = pd.DataFrame(
        {
            "day": ranks["day"].astype(np.int32),
            "asin": _categorical(ranks["asin"], catalog.code),
            "keyword": _categorical(ranks["keyword"], ranks["keyword_names"]),
            "organic_rank": ranks["organic_rank"],
            "sponsored_rank": ranks["sponsored_rank"],
            "search_volume": ranks["search_volume"],
        }
    )
    select = """
        select
            $start + day as date,
            asin,
            keyword,
            nullif(organic_rank, 0) as organic_rank,
            nullif(sponsored_rank, 0) as sponsored_rank,
            search_volume
        from frame
    """
    return _copy(con, frame, select, path)


def _write_events(path: Path) -> Path:
    frame = pd.DataFrame(EVENTS, columns=["name", "start", "end"])
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def _write_campaigns(path: Path, scale: int) -> Path:
    frame = pd.DataFrame(
        [
            {
                "campaign": name,
                "program": "creator_connections",
                "type": kind,
                "start": start,
                "end": end,
                "budget": f"{budget * scale:.2f}",
                "bonus_rate": "" if rate is None else f"{rate:.2f}",
            }
            for name, kind, start, end, budget, rate in CAMPAIGN_LEDGER
        ]
    )
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def _write_products(con: duckdb.DuckDBPyConnection, catalog: Catalog, path: Path) -> Path:
    listed = np.tile([p.in_catalog for p in PRODUCTS], catalog.copies)
    shown = np.tile([p.activation_listed for p in PRODUCTS], catalog.copies)
    drifting = catalog.line == _LINE_INDEX[DRIFT_LINE]
    frame = pd.DataFrame(
        {
            "asin": catalog.code,
            "product_line": [LINES[line].name for line in catalog.line],
            "title": np.tile([p.title for p in PRODUCTS], catalog.copies),
            "price_cents": catalog.price_cents,
            "launch_day": catalog.launch_day.astype(np.int32),
            "activation_day": np.where(shown, catalog.activation_day, -1).astype(np.int32),
            "standard_bp": np.array([line.standard_bp for line in LINES])[catalog.line],
            "bonus_bp": catalog.bonus_bp,
            # Each ASIN's first rate holds from its launch or the first day of data, whichever is later.
            "effective_day": np.maximum(catalog.launch_day, 0).astype(np.int32),
        }
    )[listed]
    # The raises, each a second row of its ASIN dated the day it took effect.
    raised = np.isin(np.arange(catalog.code.size) % len(PRODUCTS), _RAISED_INDEX)[listed]
    raises = [
        frame[drifting[listed]].assign(bonus_bp=lambda f: f["bonus_bp"] + DRIFT_RAISE_BP, effective_day=DRIFT_DAY),
        frame[raised].assign(bonus_bp=lambda f: f["bonus_bp"] + RAISE_BP, effective_day=_day(RAISE_DATE)),
    ]
    frame = pd.concat([frame, *raises]).sort_index(kind="stable").astype({"effective_day": np.int32})
    select = """
        select
            asin,
            product_line,
            title,
            (price_cents / 100)::decimal(18, 2) as price,
            $start + launch_day as launch_date,
            $start + nullif(activation_day, -1) as activation_date,
            standard_bp / 10000 as standard_rate,
            bonus_bp / 10000 as bonus_rate,
            $start + effective_day as effective_date
        from frame
    """
    return _copy(con, frame, select, path)


# --- The brand's own downloads: Business Report, Search Query Performance, Repeat Purchase ------------------------

# The brand's name: Amazon's listings and shoppers' branded queries carry it (the catalog's titles do not).
BRAND = "Kestrel"
REPORT_WEEKS = 26  # Brand Analytics and the Business Report cover the last 26 Sunday-Saturday weeks
REPORT_START = END - dt.timedelta(days=7 * REPORT_WEEKS - 1)
REPEAT_MONTHS = 6  # the last six whole months of Repeat Purchase Behavior, May to October
# Organic (not creator) sales per ASIN: this many times its creator units, drawn per product; no creator sales
# floor at ORGANIC_FLOOR_UNITS a day per unit of popularity.
ORGANIC_MULTIPLIER = (3.0, 8.0)
ORGANIC_FLOOR_UNITS = 0.3
ORGANIC_UNIT_SESSION = (0.09, 0.14)  # units per organic session
# Creators take most of this ASIN's sales (is it incremental?), and much of the hero's.
CREATOR_MAJORITY = "protein_bars"
CREATOR_MAJORITY_MULTIPLIER = 0.45
HERO_MULTIPLIER = 1.6
# A third-party seller undercuts this ASIN for the last weeks: its Buy Box falls to about 60 %, its organic sales
# with it, while creators keep sending clicks.
LOW_BUY_BOX = FLAT_RANK
LOW_BUY_BOX_WEEKS = 8
LOW_BUY_BOX_PCT = 0.60
# Branded queries: (query, product line it follows or None for the whole brand, weekly searches). 60 % of each
# query's volume follows the creator clicks of its line one to two weeks earlier (70 % and 30 %).
BRANDED_QUERIES: tuple[tuple[str, str | None, int], ...] = (
    (BRAND.lower(), None, 2600),
    (f"{BRAND.lower()} electrolytes", "Hydration", 1900),
    (f"{BRAND.lower()} electrolyte powder lemon lime", HERO, 900),
    (f"{BRAND.lower()} protein powder", "Protein", 1300),
    (f"{BRAND.lower()} vitamins", "Vitamins", 800),
    (f"{BRAND.lower()} dog chews", "Pet Care", 450),
    (f"{BRAND.lower()} vitamin c serum", "Skin Care", 350),
)
BRANDED_FROM_CLICKS = 0.6
SEARCH_LAGS = (0.7, 0.3)  # share of the click-driven searches one and two weeks after the clicks

STORIES["low_buy_box"] = (
    f"{_asin(LOW_BUY_BOX)} (Plant Protein) holds the Buy Box on only about {LOW_BUY_BOX_PCT * 100:.0f} % of its "
    f"sessions in the last {LOW_BUY_BOX_WEEKS} weeks of the Business Report, so the finding on {NO_SALES}'s clicks "
    "without orders names it."
)
STORIES["branded_search"] = (
    f"Searches for {BRAND} (Search Query Performance queries with the brand's name, its search term) rise a week "
    "after creator clicks rise, most visibly after Prime Day: the Overview states the one-week lead."
)
STORIES["creator_majority"] = (
    f"Creators take most of {_asin(CREATOR_MAJORITY)} (Protein Bars)'s sales in the Business Report (about 70 %), "
    "against under 40 % for every other ASIN: is that business incremental?"
)


def _weekly_sums(day: np.ndarray, index: np.ndarray, values: np.ndarray, rows: int, first_day: int) -> np.ndarray:
    """values summed per (index, week of the report) into a rows x REPORT_WEEKS array (days outside dropped)."""
    week = (day - first_day) // 7
    keep = (week >= 0) & (week < REPORT_WEEKS)
    flat = index[keep].astype(np.int64) * REPORT_WEEKS + week[keep]
    return np.bincount(flat, weights=values[keep], minlength=rows * REPORT_WEEKS).reshape(rows, REPORT_WEEKS)


@dataclass(frozen=True)
class Sales:
    """Per catalog entry and report week: the Business Report's figures."""

    on_sale: np.ndarray  # bool: the ASIN was on sale by the week's last day
    units: np.ndarray
    revenue_cents: np.ndarray
    sessions: np.ndarray
    buy_box: np.ndarray  # fraction
    organic_daily: np.ndarray  # expected organic units per catalog entry and day of the data


def _sales(rng: Rng, catalog: Catalog, perf: Columns) -> Sales:
    n = catalog.code.size
    first = _day(REPORT_START)
    report_days = np.arange(first, DAYS)
    attributed_units = _weekly_sums(perf["day"], perf["asin"], perf["units"].astype(float), n, first)
    attributed_cents = _weekly_sums(perf["day"], perf["asin"], perf["revenue_cents"].astype(float), n, first)
    clicks = _weekly_sums(perf["day"], perf["asin"], perf["clicks"].astype(float), n, first)

    local = np.arange(n) % len(PRODUCTS)
    multiplier = rng.uniform(*ORGANIC_MULTIPLIER, n)
    multiplier[local == _PRODUCT_INDEX[CREATOR_MAJORITY]] = CREATOR_MAJORITY_MULTIPLIER
    multiplier[local == _PRODUCT_INDEX[HERO]] = HERO_MULTIPLIER
    on_sale_days = np.maximum(DAYS - np.maximum(catalog.launch_day, first), 1)
    creator_daily = attributed_units.sum(axis=1) / on_sale_days
    popularity = np.where(local == _PRODUCT_INDEX[LAUNCH_SKU], 0.8, catalog.popularity)
    daily = np.maximum(multiplier * creator_daily, ORGANIC_FLOOR_UNITS * popularity)

    seasonal = _day_factors()
    seasonal[_within(np.arange(DAYS), BLACK_FRIDAY_DAYS)] *= 2.0
    seasonal[_within(np.arange(DAYS), PRIME_PEAK_DAYS)] *= 2.5
    seasonal /= seasonal[report_days].mean()
    week_end = first + 7 * np.arange(REPORT_WEEKS) + 6
    on_sale = catalog.launch_day[:, None] <= week_end[None, :]
    buy_box = rng.uniform(0.93, 1.0, (n, REPORT_WEEKS))
    low = local == _PRODUCT_INDEX[LOW_BUY_BOX]
    buy_box[np.ix_(low, np.arange(REPORT_WEEKS - LOW_BUY_BOX_WEEKS, REPORT_WEEKS))] = rng.uniform(
        LOW_BUY_BOX_PCT - 0.03, LOW_BUY_BOX_PCT + 0.03, (int(low.sum()), LOW_BUY_BOX_WEEKS)
    )
    buy_box = np.round(buy_box, 4)
    days = np.arange(DAYS)
    organic_daily = daily[:, None] * seasonal[None, :] * (catalog.launch_day[:, None] <= days[None, :])
    day_buy_box = np.ones((n, DAYS))
    day_buy_box[:, first:] = np.repeat(buy_box, 7, axis=1) / 0.97
    organic_daily = organic_daily * day_buy_box.clip(max=1.0)

    expected = organic_daily[:, first:].reshape(n, REPORT_WEEKS, 7).sum(axis=2)
    organic_units = rng.poisson(expected) * on_sale
    discount = np.ones(DAYS)
    discount[_within(days, PRIME_PEAK_DAYS)] = PRIME_DISCOUNT
    week_discount = discount[first:].reshape(REPORT_WEEKS, 7).mean(axis=1)
    organic_cents = np.rint(organic_units * catalog.price_cents[:, None] * week_discount[None, :])
    per_session = rng.uniform(*ORGANIC_UNIT_SESSION, n)
    organic_sessions = np.rint(rng.poisson(expected / per_session[:, None]) * on_sale)
    return Sales(
        on_sale=on_sale,
        units=(attributed_units + organic_units).astype(np.int64),
        revenue_cents=(attributed_cents + organic_cents).astype(np.int64),
        sessions=(clicks + organic_sessions).astype(np.int64),
        buy_box=buy_box,
        organic_daily=organic_daily,
    )


def _count_text(value: int) -> str:
    return f"{value:,}"


def _dollar_text(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _percent_text(fraction: float) -> str:
    return f"{fraction * 100:.2f}%"


def _write_csv(path: Path, title_lines: list[str], header: list[str], rows: list[list[str]]) -> Path:
    """A CSV the way Amazon writes these downloads: metadata lines above the header, then every field quoted."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        for line in title_lines:
            handle.write(line + "\n")
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


BUSINESS_REPORT_HEADER = [
    "Start Date",
    "End Date",
    "(Parent) ASIN",
    "(Child) ASIN",
    "Title",
    "SKU",
    "Sessions - Total",
    "Sessions - Total - B2B",
    "Session Percentage - Total",
    "Session Percentage - Total - B2B",
    "Page Views - Total",
    "Page Views - Total - B2B",
    "Page Views Percentage - Total",
    "Page Views Percentage - Total - B2B",
    "Featured Offer (Buy Box) Percentage",
    "Featured Offer (Buy Box) Percentage - B2B",
    "Units Ordered",
    "Units Ordered - B2B",
    "Unit Session Percentage",
    "Unit Session Percentage - B2B",
    "Ordered Product Sales",
    "Ordered Product Sales - B2B",
    "Total Order Items",
    "Total Order Items - B2B",
]


def _write_business_report(rng: Rng, catalog: Catalog, sales: Sales, path: Path) -> Path:
    """The weekly "Detail Page Sales and Traffic By Child Item" reports, stacked: each download's rows with the
    week it was run for as the first two columns (the download itself states no period)."""
    n = catalog.code.size
    page_views = np.rint(sales.sessions * rng.uniform(1.15, 1.35, sales.sessions.shape)).astype(np.int64)
    sessions_b2b = rng.binomial(sales.sessions, 0.015)
    views_b2b = sessions_b2b + rng.binomial(sessions_b2b, 0.2)
    units_b2b = rng.binomial(sales.units.clip(min=0), 0.01)
    items = sales.units - rng.binomial(sales.units.clip(min=0), 0.07)
    items_b2b = units_b2b - rng.binomial(units_b2b, 0.07)
    b2b_box = np.where(rng.random(sales.sessions.shape) < 0.8, 1.0, np.round(rng.uniform(0.9, 1.0), 4))
    local = np.arange(n) % len(PRODUCTS)
    copy = np.arange(n) // len(PRODUCTS)
    rows: list[list[str]] = []
    for week in range(REPORT_WEEKS):
        start = REPORT_START + dt.timedelta(days=7 * week)
        end = start + dt.timedelta(days=6)
        listed = np.flatnonzero(sales.on_sale[:, week])
        totals = {
            name: np.bincount(copy[listed], weights=values[listed, week], minlength=catalog.copies)
            for name, values in (
                ("sessions", sales.sessions),
                ("sessions_b2b", sessions_b2b),
                ("views", page_views),
                ("views_b2b", views_b2b),
            )
        }
        for i in listed:
            product = PRODUCTS[local[i]]
            c = copy[i]
            sessions, units = int(sales.sessions[i, week]), int(sales.units[i, week])
            b2b_sessions, b2b_units = int(sessions_b2b[i, week]), int(units_b2b[i, week])
            sku = f"KES-{product.key.upper().replace('_', '-')}" + (f"-{c:03d}" if c else "")
            rows.append(
                [
                    start.isoformat(),
                    end.isoformat(),
                    catalog.code[i],
                    catalog.code[i],
                    f"{BRAND} {product.title}",
                    sku,
                    _count_text(sessions),
                    _count_text(b2b_sessions),
                    _percent_text(sessions / max(totals["sessions"][c], 1)),
                    _percent_text(b2b_sessions / max(totals["sessions_b2b"][c], 1)),
                    _count_text(int(page_views[i, week])),
                    _count_text(int(views_b2b[i, week])),
                    _percent_text(page_views[i, week] / max(totals["views"][c], 1)),
                    _percent_text(views_b2b[i, week] / max(totals["views_b2b"][c], 1)),
                    _percent_text(float(sales.buy_box[i, week])),
                    _percent_text(float(b2b_box[i, week])),
                    _count_text(units),
                    _count_text(b2b_units),
                    _percent_text(units / sessions if sessions else 0.0),
                    _percent_text(b2b_units / b2b_sessions if b2b_sessions else 0.0),
                    _dollar_text(int(sales.revenue_cents[i, week])),
                    _dollar_text(b2b_units * int(catalog.price_cents[i])),
                    _count_text(int(items[i, week])),
                    _count_text(int(items_b2b[i, week])),
                ]
            )
    return _write_csv(path, [], BUSINESS_REPORT_HEADER, rows)


SEARCH_HEADER = [
    "Search Query",
    "Search Query Score",
    "Search Query Volume",
    "Impressions: Total Count",
    "Impressions: Brand Count",
    "Impressions: Brand Share %",
    "Clicks: Total Count",
    "Clicks: Click Rate %",
    "Clicks: Brand Count",
    "Clicks: Brand Share %",
    "Clicks: Price (Median)",
    "Clicks: Brand Price (Median)",
    "Clicks: Same Day Shipping Speed",
    "Clicks: 1D Shipping Speed",
    "Clicks: 2D Shipping Speed",
    "Cart Adds: Total Count",
    "Cart Adds: Cart Add Rate %",
    "Cart Adds: Brand Count",
    "Cart Adds: Brand Share %",
    "Cart Adds: Price (Median)",
    "Cart Adds: Brand Price (Median)",
    "Cart Adds: Same Day Shipping Speed",
    "Cart Adds: 1D Shipping Speed",
    "Cart Adds: 2D Shipping Speed",
    "Purchases: Total Count",
    "Purchases: Purchase Rate %",
    "Purchases: Brand Count",
    "Purchases: Brand Share %",
    "Purchases: Price (Median)",
    "Purchases: Brand Price (Median)",
    "Purchases: Same Day Shipping Speed",
    "Purchases: 1D Shipping Speed",
    "Purchases: 2D Shipping Speed",
    "Reporting Date",
]


def _query_clicks(catalog: Catalog, perf: Columns, follows: str | None) -> np.ndarray:
    """Creator clicks per week for the weeks of the report and the two before it, of a line, an ASIN or all."""
    first = _day(REPORT_START) - 14
    week = (perf["day"] - first) // 7
    local = perf["asin"] % len(PRODUCTS)
    if follows is None:
        chosen = np.ones(local.size, bool)
    elif follows in _LINE_INDEX:
        chosen = catalog.line[perf["asin"]] == _LINE_INDEX[follows]
    else:
        chosen = local == _PRODUCT_INDEX[follows]
    keep = chosen & (week >= 0)
    return np.bincount(week[keep], weights=perf["clicks"][keep], minlength=REPORT_WEEKS + 2)[: REPORT_WEEKS + 2]


def _search_rows(rng: Rng, catalog: Catalog, perf: Columns) -> list[list[str]]:
    """Search Query Performance, Brand View: the branded queries, following creator clicks, and the category's
    generic queries, where the brand has a small share."""
    volumes: dict[str, np.ndarray] = {}
    brand_share: dict[str, float] = {}
    for query, follows, level in BRANDED_QUERIES:
        clicks = _query_clicks(catalog, perf, follows)
        lagged = SEARCH_LAGS[0] * clicks[1:-1] + SEARCH_LAGS[1] * clicks[:-2]
        driven = lagged / lagged.mean()
        steady = np.exp(rng.normal(0, 0.01, REPORT_WEEKS))
        volumes[query] = np.rint(level * ((1 - BRANDED_FROM_CLICKS) * steady + BRANDED_FROM_CLICKS * driven))
        brand_share[query] = rng.uniform(0.72, 0.86)
    generic = sorted({k for p in PRODUCTS for k in p.keywords})
    levels = np.exp(rng.uniform(np.log(1_500), np.log(60_000), len(generic)))
    for query, weekly in zip(generic, levels, strict=True):
        volumes[query] = np.rint(weekly * np.exp(rng.normal(0, 0.08, REPORT_WEEKS)))
        brand_share[query] = rng.uniform(0.005, 0.04)
    price = {q: round(float(rng.uniform(15, 45)), 2) for q in volumes}
    rows: list[list[str]] = []
    for week in range(REPORT_WEEKS):
        saturday = REPORT_START + dt.timedelta(days=7 * week + 6)
        ordered = sorted(volumes, key=lambda q: (-volumes[q][week], q))
        for score, query in enumerate(ordered, start=1):
            volume = int(volumes[query][week])
            share = brand_share[query]
            counts = []
            for stage, rate in (("impressions", 18.0), ("clicks", 1.5), ("cart", 0.4), ("purchases", 0.2)):
                total = int(volume * rate * rng.uniform(0.85, 1.15))
                lift = {"impressions": 0.85, "clicks": 1.0, "cart": 1.05, "purchases": 1.1}[stage]
                brand = int(rng.binomial(total, min(share * lift, 0.97)))
                counts.append((total, brand))
            row = [query, str(score), str(volume)]
            for position, (total, brand) in enumerate(counts):
                stage_share = f"{brand / total * 100:.2f}" if total else "0.00"
                if position == 0:
                    row += [str(total), str(brand), stage_share]
                    continue
                rate_of_volume = f"{total / volume * 100:.2f}" if volume else "0.00"
                same_day = int(total * 0.02)
                one_day = int(total * 0.31)
                two_day = int(total * 0.52)
                median = f"{price[query]:.2f}"
                brand_median = f"{price[query] * 0.97:.2f}" if brand else ""
                row += [str(total), rate_of_volume, str(brand), stage_share, median, brand_median]
                row += [str(same_day), str(one_day), str(two_day)]
            rows.append([*row, saturday.isoformat()])
    return rows


def _write_search(rng: Rng, catalog: Catalog, perf: Columns, path: Path) -> Path:
    """The weekly Brand View downloads of the report's weeks, stacked under one metadata line: each row's Reporting
    Date is the last day of its week."""
    title = f'Brand=["{BRAND}"],Reporting Range=["Weekly"]'
    return _write_csv(path, [title], SEARCH_HEADER, _search_rows(rng, catalog, perf))


REPEAT_HEADER = [
    "ASIN",
    "Product Title",
    "Brand Name",
    "Category Name",
    "Number of Orders",
    "Unique Customer Count",
    "Repeat Ordered Product Sales: Sales",
    "Repeat Ordered Product Sales: Change vs. Prior Period",
    "Repeat Ordered Product Sales: % Share of Total Sales",
    "Repeat Ordered Units: Units",
    "Repeat Ordered Units: Change vs. Prior Period",
    "Repeat Ordered Units: % Share of Total Units",
    "Repeat Customer Count: Count",
    "Repeat Customer Count: Change vs. Prior Period",
    "Repeat Customer Share: % Share of Total Customers",
    "Repeat Customer Share: Change vs. Prior Period",
    "Reporting Date",
]
CATEGORIES = {
    "Protein": "Health & Household",
    "Hydration": "Grocery & Gourmet Food",
    "Vitamins": "Health & Household",
    "Pet Care": "Pet Supplies",
    "Skin Care": "Beauty & Personal Care",
}


def _change(now: float, before: float) -> str:
    return f"{(now - before) / before * 100:.2f}" if before else ""


def _write_repeat_purchase(rng: Rng, catalog: Catalog, perf: Columns, sales: Sales, path: Path) -> Path:
    """Repeat Purchase Behavior by month for the last whole months (and the month before, for the changes)."""
    n = catalog.code.size
    month_starts = [dt.date(2026, 4 + m, 1) for m in range(REPEAT_MONTHS + 2)]
    bounds = [_day(m) for m in month_starts]
    creator_units = np.zeros((n, REPEAT_MONTHS + 1))
    organic_units = np.zeros((n, REPEAT_MONTHS + 1))
    for m in range(REPEAT_MONTHS + 1):
        inside = (perf["day"] >= bounds[m]) & (perf["day"] < bounds[m + 1])
        creator_units[:, m] = np.bincount(perf["asin"][inside], weights=perf["units"][inside], minlength=n)
        organic_units[:, m] = sales.organic_daily[:, bounds[m] : bounds[m + 1]].sum(axis=1)
    units = rng.poisson(creator_units + organic_units)
    customers = np.rint(units / rng.uniform(1.08, 1.16, units.shape)).astype(np.int64)
    consumable = np.tile([p.consumable for p in PRODUCTS], catalog.copies)
    repeat_rate = np.where(consumable[:, None], 0.04 + 0.35 * catalog.sns_share[:, None], 0.01)
    repeaters = rng.binomial(customers, (repeat_rate * rng.uniform(0.8, 1.2, units.shape)).clip(0, 1))
    repeat_units = repeaters + rng.binomial(repeaters, 0.25)
    orders = customers + repeaters + rng.binomial(repeaters, 0.15)
    repeat_cents = repeat_units * catalog.price_cents[:, None]
    total_cents = np.maximum(units * catalog.price_cents[:, None], 1)
    local = np.arange(n) % len(PRODUCTS)
    rows: list[list[str]] = []
    for m in range(1, REPEAT_MONTHS + 1):
        last_day = month_starts[m + 1] - dt.timedelta(days=1)
        for i in np.flatnonzero(customers[:, m] > 0):
            product = PRODUCTS[local[i]]
            share = repeaters[i, m] / customers[i, m]
            share_before = repeaters[i, m - 1] / customers[i, m - 1] if customers[i, m - 1] else 0.0
            rows.append(
                [
                    catalog.code[i],
                    f"{BRAND} {product.title}",
                    BRAND,
                    CATEGORIES[product.line],
                    str(int(orders[i, m])),
                    str(int(customers[i, m])),
                    f"{repeat_cents[i, m] / 100:.2f}",
                    _change(repeat_cents[i, m], repeat_cents[i, m - 1]),
                    f"{repeat_cents[i, m] / total_cents[i, m] * 100:.2f}",
                    str(int(repeat_units[i, m])),
                    _change(repeat_units[i, m], repeat_units[i, m - 1]),
                    f"{repeat_units[i, m] / max(units[i, m], 1) * 100:.2f}",
                    str(int(repeaters[i, m])),
                    _change(repeaters[i, m], repeaters[i, m - 1]),
                    f"{share * 100:.2f}",
                    f"{(share - share_before) * 100:.2f}",
                    last_day.isoformat(),
                ]
            )
    return _write_csv(path, ['Reporting Range=["Monthly"]'], REPEAT_HEADER, rows)


def _write_brand_downloads(seed: int, catalog: Catalog, perf: Columns, out_dir: Path) -> dict[str, Path]:
    """The Business Report, Search Query Performance and Repeat Purchase files, from a random stream of their own,
    so the files written before them stay as they were."""
    rng = np.random.default_rng([seed, 1])
    sales = _sales(rng, catalog, perf)
    return {
        "sales": _write_business_report(rng, catalog, sales, out_dir / "business_report.csv"),
        "search": _write_search(rng, catalog, perf, out_dir / "search_query_performance.csv"),
        "repeat_purchase": _write_repeat_purchase(rng, catalog, perf, sales, out_dir / "repeat_purchase.csv"),
    }


# --- Summer in Hydration: a seasonal line, whose control group moves too ------------------------------------------

# Three summer flavours, tracked from mid-May to late August; none has creator clicks. Watermelon was activated in
# mid-June, just as summer lifted every flavour's keywords: its organic rank climbs, but so does that of the two
# flavours never activated, its control group over the same days, so its lift against the control is about zero.
# Their readings start after the Water Bottle's before-window ends and stop before the Electrolyte Sticks' begins,
# so neither gains a control from them, and the catalog's other ASINs keep every rank figure they had.
SEASONAL_SKU = "electrolyte_watermelon"
NEVER_ACTIVATED = "electrolyte_peach_mango"
SUMMER_PRODUCTS: tuple[Product, ...] = (
    Product(SEASONAL_SKU, "Hydration", 1999, _d(2025, 4, 7), _d(2026, 6, 14), 1200, 0.0),
    Product(NEVER_ACTIVATED, "Hydration", 1999, _d(2025, 4, 7), None, 1200, 0.0),
    Product("electrolyte_lemonade", "Hydration", 1999, _d(2025, 4, 7), None, 1200, 0.0),
)
TITLES.update(
    {
        SEASONAL_SKU: "Electrolyte Drink Mix, Watermelon, 30 servings",
        NEVER_ACTIVATED: "Electrolyte Drink Mix, Peach Mango, 30 servings",
        "electrolyte_lemonade": "Electrolyte Drink Mix, Lemonade, 30 servings",
    }
)
KEYWORDS.update(
    {
        SEASONAL_SKU: ("electrolyte powder", "watermelon electrolytes", "hydration drink mix"),
        NEVER_ACTIVATED: ("electrolyte powder", "peach mango electrolytes", "hydration packets"),
        "electrolyte_lemonade": ("electrolyte powder", "lemonade electrolyte drink mix", "hydration drink mix"),
    }
)
SUMMER_READINGS = (_d(2026, 5, 17), _d(2026, 8, 29))
SUMMER_RAMP = (_d(2026, 5, 24), _d(2026, 7, 5))  # the season lifts every flavour's keywords over these weeks
SUMMER_RANK_BASE = (40, 46)
SUMMER_LIFT = 0.45  # share of the rank number the season takes away by early July: ~43 -> ~24
# Their ASIN codes come from indices far above any copy's catalog entry, so they never meet one.
SUMMER_ASIN_BASE = 1 << 40


def _summer_codes(copies: int) -> np.ndarray:
    """The summer flavours' ASINs, one row per copy of the brand."""
    count = len(SUMMER_PRODUCTS)
    return _asin_codes(SUMMER_ASIN_BASE + np.arange(copies * count)).reshape(copies, count)


def _summer_asin(key: str) -> str:
    return str(_summer_codes(1)[0, [p.key for p in SUMMER_PRODUCTS].index(key)])


def _append_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Rows after those of a CSV written with `header`, each given by column name, quoted only where needed."""
    with path.open("r", encoding="utf-8") as handle:
        written = next(csv.reader(handle))
    if written != header:
        raise ValueError(f"{path.name} has the columns {written}, not {header}")
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([row[name] for name in header] for row in rows)


def _append_summer_products(path: Path, copies: int) -> None:
    """The summer flavours' catalog rows after the rest: Hydration's rates, one rate each from the first day."""
    codes = _summer_codes(copies)
    line = LINES[_LINE_INDEX["Hydration"]]
    rows = [
        {
            "asin": codes[copy, k],
            "product_line": product.line,
            "title": product.title,
            "price": f"{product.price_cents / 100:.2f}",
            "launch_date": product.launch.isoformat(),
            "activation_date": product.activation.isoformat() if product.activation else "",
            "standard_rate": f"{line.standard_bp / 10_000:g}",
            "bonus_rate": f"{product.bonus_bp / 10_000:g}",
            "effective_date": max(product.launch, START).isoformat(),
        }
        for copy in range(copies)
        for k, product in enumerate(SUMMER_PRODUCTS)
    ]
    header = [
        "asin",
        "product_line",
        "title",
        "price",
        "launch_date",
        "activation_date",
        "standard_rate",
        "bonus_rate",
        "effective_date",
    ]
    _append_rows(path, header, rows)


def _append_summer_ranks(rng: Rng, path: Path, copies: int) -> None:
    """The summer flavours' daily ranks after the rest: every keyword climbs with the season, activated or not."""
    codes = _summer_codes(copies)
    series = [
        (codes[c, k], keyword) for c in range(copies) for k, p in enumerate(SUMMER_PRODUCTS) for keyword in p.keywords
    ]
    base = rng.uniform(*SUMMER_RANK_BASE, len(series))
    volume = {k: np.exp(rng.uniform(np.log(5_000), np.log(40_000))) for k in sorted({k for _, k in series})}
    first, last = SUMMER_READINGS
    ramp_days = (SUMMER_RAMP[1] - SUMMER_RAMP[0]).days
    rows = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        season = min(max((day - SUMMER_RAMP[0]).days / ramp_days, 0.0), 1.0)
        ranks = np.rint(base * (1 - SUMMER_LIFT * season) * np.exp(rng.normal(0, 0.06, len(series))))
        ranked = rng.random(len(series)) >= NOT_RANKED_SHARE
        sponsored = np.where(rng.random(len(series)) < 0.6, rng.integers(1, 21, len(series)), 0)
        searches = rng.uniform(0.9, 1.1, len(series))
        for i in sorted(range(len(series)), key=lambda i: series[i]):
            asin, keyword = series[i]
            rows.append(
                {
                    "date": day.isoformat(),
                    "asin": asin,
                    "keyword": keyword,
                    "organic_rank": str(int(ranks[i])) if ranked[i] else "",
                    "sponsored_rank": str(int(sponsored[i])) if sponsored[i] else "",
                    "search_volume": str(round(volume[keyword] * (1 + season) * searches[i])),
                }
            )
    _append_rows(path, ["date", "asin", "keyword", "organic_rank", "sponsored_rank", "search_volume"], rows)


def _add_summer_line(seed: int, copies: int, products: Path, ranks: Path) -> None:
    """The summer flavours' catalog rows and ranks, after the other rows of those files and from a random stream
    of their own, so every other row stays as it was."""
    _append_summer_products(products, copies)
    _append_summer_ranks(np.random.default_rng([seed, 2]), ranks, copies)


STORIES["seasonal_control"] = (
    f"Hydration is seasonal: {_summer_asin(SEASONAL_SKU)} (Electrolyte Drink Mix, Watermelon), activated "
    f"{SUMMER_PRODUCTS[0].activation}, climbs over 10 places in organic rank in its first four weeks, but the line's "
    "flavours not yet activated climb as much over the same days, so on the Organic rank page its lift against "
    "the control is within 3 places of zero: summer, not the creators."
)
STORIES["never_activated_control"] = (
    f"{_summer_asin(NEVER_ACTIVATED)} (Electrolyte Drink Mix, Peach Mango) has keyword ranks over the summer but no "
    f"activation date and no creator clicks: with {_summer_asin('electrolyte_lemonade')} (Lemonade) it is the "
    f"control group, 2 ASINs, of {_summer_asin(SEASONAL_SKU)} (Watermelon) on the Organic rank page."
)
# --- A dormant recruitment stretch -------------------------------------------------------------------------------

# Creators join the program within 200 days of the first wave, so recruiting stops in early July: the weeks since
# are a dormant stretch with no new creator.
DORMANT_SINCE = dt.date(2026, 7, 5)
STORIES["dormant_recruitment"] = (
    f"No new creator has joined since early July: the Creators page's program health counts 0 new creators in every "
    f"week from {DORMANT_SINCE} on ({((END - DORMANT_SINCE).days + 1) // 7} weeks), and the weekly review warns that "
    "none has clicked through in the last 6 weeks."
)

# --- Clean-room cohorts ---------------------------------------------------------------------------------------------

# A clean-room (Amazon Marketing Cloud) query's results, counted from the order lines: per whole calendar month, the
# distinct buyers of the top creators' attributed order lines, and (blank creator) of all the brand's order lines.
COHORT_CREATORS = 10  # per copy of the brand: the creators with the most buyers over the months
REPEAT_DAYS = 90  # a buyer repeats with another order within this many days of their first of the month
FIRST_MONTH = dt.date(START.year + START.month // 12, START.month % 12 + 1, 1) if START.day > 1 else START
LAST_MONTH = dt.date(END.year, END.month, 1) - dt.timedelta(days=1)  # the last day of the last whole month


def _write_cohorts(
    con: duckdb.DuckDBPyConnection, orders: Columns, creators: Creators, copies: int, path: Path
) -> Path:
    """Buyers, new-to-brand buyers (with a new-to-brand line among theirs), Subscribe & Save buyers (with a Subscribe
    & Save line) and repeat buyers (another order with the brand, of any attribution, from their first line's day
    to REPEAT_DAYS after it) per month; repeat buyers only where every buyer of the month had those days in the
    data, blank for the last months."""
    frame = pd.DataFrame(
        {
            "day": orders["day"].astype(np.int32),
            "customer": orders["customer"],
            "order_key": orders["order_key"],
            "creator_key": orders["creator"].astype(np.int64),
            "creator": _categorical(orders["creator"], creators.name),
            "ntb": orders["ntb"],
            "sns": orders["sns"],
        }
    )
    select = f"""
        with
        lines as (
            select *, date_trunc('month', $start + day)::date as period_start
            from frame
            where $start + day between date '{FIRST_MONTH}' and date '{LAST_MONTH}'
        ),
        top_creators as (
            select creator_key
            from lines
            where creator_key >= 0
            group by creator_key
            order by count(distinct customer) desc, any_value(creator)::varchar
            limit {COHORT_CREATORS * copies}
        ),
        buyers as (
            select period_start, creator_key, customer, min(day) as entry_day, bool_or(ntb) as ntb, bool_or(sns) as sns
            from lines
            where creator_key in (select creator_key from top_creators)
            group by period_start, creator_key, customer
            union all
            select period_start, -1 as creator_key, customer, min(day), bool_or(ntb), bool_or(sns)
            from lines
            group by period_start, customer
        ),
        brand_orders as (
            select distinct customer, order_key, day from frame
        ),
        repeated as (
            select b.period_start, b.creator_key, b.customer
            from buyers as b
            join brand_orders as o
                on o.customer = b.customer and o.day between b.entry_day and b.entry_day + {REPEAT_DAYS}
            group by b.period_start, b.creator_key, b.customer
            having count(distinct o.order_key) >= 2
        ),
        names as (
            select distinct creator_key, creator::varchar as creator from frame where creator_key >= 0
        ),
        final as (
            select
                b.period_start,
                (b.period_start + interval 1 month - interval 1 day)::date as period_end,
                n.creator,
                count(*) as buyers,
                count(*) filter (where b.ntb) as ntb_buyers,
                case
                    when (b.period_start + interval 1 month - interval 1 day)::date + {REPEAT_DAYS} <= date '{END}'
                    then count(r.customer)
                end as repeat_buyers,
                count(*) filter (where b.sns) as sns_buyers
            from buyers as b
            left join repeated as r using (period_start, creator_key, customer)
            left join names as n using (creator_key)
            group by b.period_start, b.creator_key, n.creator
        )
        select * from final
        order by period_start, creator nulls first
    """
    return _copy(con, frame, select, path)


def write_sample(out_dir: Path, seed: int = 7, scale: int = 1) -> dict[str, Path]:
    """Write performance.csv, orders.csv, ranks.csv, products.csv, events.csv, campaigns.csv and the brand's own
    downloads (business_report.csv, search_query_performance.csv, repeat_purchase.csv) and a clean-room query's
    buyer counts (cohorts.csv) into out_dir; return {kind: path}.

    The same seed and scale always give byte-identical files. scale N writes N copies of the brand, each
    with its own ASINs and creators, so rows grow linearly (N = 250 gives about 10M performance rows).
    """
    if scale < 1:
        raise ValueError(f"scale must be 1 or more, not {scale}")
    rng = np.random.default_rng(seed)
    catalog = _catalog(scale)
    creators = _creators(rng, scale)
    perf = _performance(rng, catalog, creators, _pairs(rng, catalog, creators))
    lines = _attributed_lines(rng, catalog, creators, perf)
    orders = _orders(rng, catalog, creators, lines)
    del lines
    ranks = _ranks(rng, catalog)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")  # a library writes files, not terminal output
        written = {
            "performance": _write_performance(con, perf, catalog, creators, out_dir / "performance.csv"),
            "orders": _write_orders(con, orders, catalog, creators, out_dir / "orders.csv"),
            "ranks": _write_ranks(con, ranks, catalog, out_dir / "ranks.csv"),
            "products": _write_products(con, catalog, out_dir / "products.csv"),
            "events": _write_events(out_dir / "events.csv"),
            "campaigns": _write_campaigns(out_dir / "campaigns.csv", scale),
            **_write_brand_downloads(seed, catalog, perf, out_dir),
        }
        _add_summer_line(seed, scale, written["products"], written["ranks"])
        written["cohorts"] = _write_cohorts(con, orders, creators, scale, out_dir / "cohorts.csv")
        return written
    finally:
        con.close()
