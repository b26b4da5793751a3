"""What kind of problem a text describes, by the city's own classifier when it has a used one."""

from sqlalchemy import select

from cps.cities.models import Category
from cps.classify.store import loaded_model
from cps.extensions import db


def suggest(city, text: str) -> tuple[Category, float] | None:
    """The model's most probable active category for `text` and its probability (0 to 1);
    None when the city has no used model (its keywords work alone) or the text is empty."""
    text = (text or "").strip()
    if not text:
        return None
    model = loaded_model(city.id)
    if model is None:
        return None
    ranked = sorted(zip(model.classes_, model.predict_proba([text])[0], strict=True),
                    key=lambda pair: -pair[1])
    active = {c.code: c for c in db.session.scalars(select(Category).where(
        Category.city_id == city.id, Category.active))}
    # A category retired since the training is no answer; the next best may be.
    for code, probability in ranked:
        if code in active:
            return active[code], float(probability)
    return None
