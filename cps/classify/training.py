"""Training a city's classifier offline, and deciding whether it is good enough to be used.

Features are character n-grams (2 to 5, within word boundaries) weighted by TF-IDF, so that any
language and script works without a tokeniser: Filipino, Ilocano, Nepali in Devanagari,
Vietnamese with or without its diacritics (cps.classify.features), and the misspellings of SMS.
The model is a logistic regression whose probabilities are calibrated by temperature scaling
on cross-validated predictions.

The newest 20% of the city's staff-confirmed complaints (cps.classify.examples) are held back.
The model trained on the older ones and the city's keyword guess (a function the caller gives,
since the keywords belong to the SMS channel) each guess their category; the model is used only
when it got strictly more of them right, from at least CLASSIFIER_MIN_EXAMPLES examples in at
least two categories. It is then trained again on every example before it is stored.
"""

import logging
import math
from collections import Counter
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from cps.cities.models import City
from cps.classify.examples import Example, confirmed_examples
from cps.classify.features import normalise
from cps.classify.models import CityClassifier
from cps.classify.store import clear_model, save_model
from cps.db import utcnow
from cps.extensions import db

log = logging.getLogger(__name__)
HELD_BACK_SHARE = 0.2
# A category with fewer examples cannot be cross-validated for calibration, nor learnt.
MIN_PER_CATEGORY = 3
CALIBRATION_FOLDS = 3
# Bounds the size of a stored model (and its memory in each process) for large cities.
MAX_FEATURES = 50_000

# The caller's keyword guess: (city, text) -> a Category (or its code), or None when unsure.
KeywordGuess = Callable[[City, str], object]


def new_pipeline():
    """An untrained pipeline: character n-gram TF-IDF, then calibrated logistic regression."""
    # Imported here: every web process imports this package, few of them train.
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("features", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                     preprocessor=normalise, sublinear_tf=True, min_df=2,
                                     max_features=MAX_FEATURES)),
        ("model", CalibratedClassifierCV(LogisticRegression(C=10, max_iter=1000),
                                         method="temperature", cv=CALIBRATION_FOLDS,
                                         ensemble=False))])


def split_by_time(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(older, newest): the newest HELD_BACK_SHARE of the examples (oldest first) held back."""
    held = math.ceil(len(examples) * HELD_BACK_SHARE) if len(examples) > 1 else 0
    return examples[:len(examples) - held], examples[len(examples) - held:]


def learnable(examples: list[Example]) -> list[Example]:
    """The examples of the categories that have at least MIN_PER_CATEGORY of them."""
    counts = Counter(e.category for e in examples)
    return [e for e in examples if counts[e.category] >= MIN_PER_CATEGORY]


def fit(examples: list[Example]):
    """A pipeline trained on these examples."""
    from threadpoolctl import threadpool_limits

    # The solver's dense work is too small to share out: BLAS threads mostly wait for each
    # other, the more so on a busy machine (web workers, the scheduler). One thread fitted
    # 100 complaints ~6x faster on two cores, and 16,000 complaints ~1.5x faster.
    with threadpool_limits(limits=1, user_api="blas"):
        # Labels are category codes: integer labels other than 0..n-1 (such as row ids) make
        # scikit-learn's temperature scaling give every category the same probability.
        return new_pipeline().fit([e.text for e in examples], [e.category for e in examples])


def model_accuracy(model, held: list[Example]) -> float:
    """Share of the held-back examples whose category the model guesses."""
    guesses = model.predict([e.text for e in held])
    return sum(g == e.category for g, e in zip(guesses, held, strict=True)) / len(held)


def keyword_accuracy(city: City, held: list[Example], keywords: KeywordGuess) -> float:
    """Share of the held-back examples whose category the keyword guess names."""
    right = sum(_code(keywords(city, e.text)) == e.category for e in held)
    return right / len(held)


def _code(guess) -> str | None:
    return getattr(guess, "code", guess)


def train_city(city: City, keywords: KeywordGuess) -> CityClassifier:
    """Train, evaluate and store the city's classifier (see the module); flushes."""
    examples = confirmed_examples(city.id, current_app.config["CLASSIFIER_MAX_EXAMPLES"])
    older, held = split_by_time(examples)
    row = _fresh_row(city.id, len(examples), len(held))
    training = learnable(older)
    if len(examples) >= current_app.config["CLASSIFIER_MIN_EXAMPLES"] and _categories(training):
        _evaluate(row, city, fit(training), held, keywords)
        row.labels = _labels(training)
    if row.used:
        everything = learnable(examples)
        save_model(row, fit(everything))
        row.labels = _labels(everything)
    db.session.flush()
    return row


def _fresh_row(city_id: int, n_examples: int, n_held_back: int) -> CityClassifier:
    """The city's row, emptied of its last training's model and figures."""
    row = db.session.get(CityClassifier, city_id) or CityClassifier(city_id=city_id)
    db.session.add(row)
    row.trained_at, row.n_examples, row.n_held_back = utcnow(), n_examples, n_held_back
    row.model_accuracy = row.keyword_accuracy = None
    row.used, row.labels = False, {}
    clear_model(row)
    return row


def _categories(examples: list[Example]) -> bool:
    """True when the examples span at least two categories: one is nothing to choose from."""
    return len({e.category for e in examples}) >= 2


def _evaluate(row: CityClassifier, city: City, model, held, keywords: KeywordGuess) -> None:
    row.model_accuracy = model_accuracy(model, held)
    row.keyword_accuracy = keyword_accuracy(city, held, keywords)
    row.used = row.model_accuracy > row.keyword_accuracy


def _labels(examples: list[Example]) -> dict:
    return dict(sorted(Counter(e.category for e in examples).items()))


def train_all(keywords: KeywordGuess) -> dict:
    """Train every city's classifier, committing each; {slug: its figures}."""
    done = {}
    for city in db.session.scalars(select(City).order_by(City.slug)).all():
        try:
            done[city.slug] = figures(train_city(city, keywords))
            db.session.commit()
        except ValueError as error:  # scikit-learn's refusal of degenerate data: skip the city
            db.session.rollback()
            log.warning("classifier of %s not trained: %s", city.slug, error)
            done[city.slug] = {"error": str(error)[:200]}
    return done


def figures(row: CityClassifier) -> dict:
    """The row's figures, as JSON (for job runs and the CLI)."""
    return {"examples": row.n_examples, "held_back": row.n_held_back,
            "model_accuracy": row.model_accuracy, "keyword_accuracy": row.keyword_accuracy,
            "used": row.used, "labels": row.labels}
