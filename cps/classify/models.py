"""The one stored classifier of each city, with the figures of its last training."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from cps.db import UTCDateTime, utcnow
from cps.extensions import db


class CityClassifier(db.Model):
    """A city's last training: the model (when it is used) and how it did on held-back data."""

    __tablename__ = "city_classifier"

    city_id: Mapped[int] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"),
                                         primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The fitted scikit-learn pipeline (joblib); NULL unless `used`. Only ever written by
    # cps.classify.training and checked against `signature` before it is unpickled.
    model: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # HMAC-SHA256 of `model` under the install's secret key: the bytes are CPS's own.
    signature: Mapped[str | None] = mapped_column(String(64))
    # scikit-learn version that wrote `model`; another version's pickle is not loaded.
    library_version: Mapped[str | None] = mapped_column(String(32))
    # Staff-confirmed complaints found, and how many of the newest were held back.
    n_examples: Mapped[int] = mapped_column(Integer, default=0)
    n_held_back: Mapped[int] = mapped_column(Integer, default=0)
    # Share of the held-back complaints each guessed right (NULL: not evaluated).
    model_accuracy: Mapped[float | None] = mapped_column(Float)
    keyword_accuracy: Mapped[float | None] = mapped_column(Float)
    # True when the model beat the keywords on the held-back complaints: suggest() uses it.
    used: Mapped[bool] = mapped_column(default=False)
    # {category code: training examples} of the categories the model knows.
    labels: Mapped[dict] = mapped_column(JSON, default=dict)
