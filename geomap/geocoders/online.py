"""Optional online geocoding through geopy (Nominatim, Photon, ArcGIS …); never the default.

:class:`OnlineGeocoder` wraps one geopy service behind geopy's ``RateLimiter`` and an on-disk
cache (a cached query never touches the network, misses included), turns answers into our
:class:`~geomap.records.Place`, and can ``refine`` the offline resolver's mentions. Every
service failure becomes a one-line :class:`~geomap.errors.GeocodingError` naming the service.

A geocoder has a total time budget (``budget_seconds``, default :data:`DEFAULT_BUDGET_SECONDS`
or ``$GEOMAP_GEOCODER_BUDGET``) from its first request: no request waits past it. When the
service fails during ``refine`` (outage, rate limit, budget spent), the run goes on: the mention
at hand and every later one keep the offline gazetteer's place, marked ``source="offline"``,
and one warning line is logged.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import socket
import time
from dataclasses import replace
from pathlib import Path

from geopy import exc as geopy_exc
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import SERVICE_TO_GEOCODER, get_geocoder_for_service

from geomap.errors import GeocodingError
from geomap.geocoders.cache import GeocodeCache, default_cache_path
from geomap.records import Mention, Place
from geomap.tools.distance import NEAR_KM
from geomap.tools.distance import place_km as km
from geomap.tools.version import geomap_version

#: Confidence given to a service's answer that disagrees with the offline resolution (or when
#: there was none): a service's top hit for a bare name is right often, but it has no document
#: context, so it ranks below a confident offline choice and above a coin toss.
ONLINE_CONFIDENCE = 0.6
#: Seconds a geocoder may spend on the network in one run (all requests, waits and retries).
DEFAULT_BUDGET_SECONDS = 60.0
#: Environment variable overriding :data:`DEFAULT_BUDGET_SECONDS`.
BUDGET_ENV = "GEOMAP_GEOCODER_BUDGET"
#: ``Place.source`` of a place the offline gazetteer gave because the service could not be used.
FALLBACK_SOURCE = "offline"
#: ``Place.geocoder`` of such a place (the ``geocoder`` column of exported rows).
FALLBACK_GEOCODER = "offline-fallback"

log = logging.getLogger("geomap")


class _BudgetSpent(Exception):
    """Raised inside the rate limiter (so it is not retried) when no time is left."""


def budget_from_env(default: float = DEFAULT_BUDGET_SECONDS) -> float:
    """The time budget in seconds: ``$GEOMAP_GEOCODER_BUDGET`` when set, else ``default``."""
    raw = os.environ.get(BUDGET_ENV, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise GeocodingError(f"{BUDGET_ENV} must be a number of seconds, not {raw!r}") from None
    if not value > 0:
        raise GeocodingError(f"{BUDGET_ENV} must be more than 0 seconds, not {raw!r}")
    return value


def _adapter_without_retries(*, proxies, ssl_context):
    """geopy's default HTTP adapter, without the adapter's own retries."""
    from geopy.adapters import RequestsAdapter, URLLibAdapter

    if RequestsAdapter.is_available:
        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)


class _BudgetedLimiter(RateLimiter):
    """geopy's RateLimiter whose waits (between requests, before retries) stop at the budget."""

    def __init__(self, func, owner: OnlineGeocoder, **kwargs) -> None:
        super().__init__(func, **kwargs)
        self._owner = owner

    def _sleep(self, seconds):
        if seconds >= self._owner.remaining():
            raise _BudgetSpent()
        super()._sleep(seconds)


#: Words services use for a feature's type -> our kind (first match wins; Nominatim's
#: addresstype/type, Photon's type/osm_value, ArcGIS's Type).
_KIND_WORDS = {
    "continent": "continent",
    "country": "country",
    "nation": "country",
    "state": "admin1",
    "province": "admin1",
    "region": "admin1",
    "governorate": "admin1",
    "county": "admin2",
    "state_district": "admin2",
    "district": "admin2",
    "city": "city",
    "town": "city",
    "village": "city",
    "hamlet": "city",
    "suburb": "city",
    "municipality": "city",
    "locality": "city",
    "neighbourhood": "city",
    "borough": "city",
    "populated place": "city",
    "aerodrome": "airport",
    "airport": "airport",
    "airfield": "airport",
    "military airport": "airport",
    "sea": "region",
    "bay": "region",
    "river": "region",
    "water": "region",
    "lake": "region",
    "island": "region",
    "peninsula": "region",
    "desert": "region",
    "mountain_range": "region",
}


def short_reason(exc: BaseException, limit: int = 200) -> str:
    """A short one-line reason: urllib3's nested messages end in the useful part ("Failed to resolve …")."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    caused = re.findall(r"\(Caused by \w+\(\"?[^:]*: (.*?)\"?\)\)", text)
    if caused:
        text = caused[-1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def service_names() -> list[str]:
    """Names geopy knows (``--geocoder`` values besides ``offline``)."""
    return sorted(SERVICE_TO_GEOCODER)


class OnlineGeocoder:
    """One geopy service with a rate limit and an on-disk cache; answers are :class:`Place`."""

    def __init__(
        self,
        service: str,
        *,
        user_agent: str | None = None,
        min_delay_seconds: float = 1.0,
        cache_path: str | os.PathLike | None | bool = None,
        timeout: float = 10,
        max_retries: int = 2,
        budget_seconds: float | None = None,
        **service_kwargs,
    ) -> None:
        self.service = service.strip().lower()
        self.timeout = float(timeout)
        self.budget_seconds = budget_from_env() if budget_seconds is None else float(budget_seconds)
        self._deadline: float | None = None  # set by the first request
        self.fallback_reason: str | None = None  # why refine stopped asking the service
        try:
            cls = get_geocoder_for_service(self.service)
        except geopy_exc.GeocoderNotFound:
            raise GeocodingError(
                f"unknown geocoder {service!r}; choose offline or one of: {', '.join(service_names())}"
            ) from None
        if "adapter_factory" in inspect.signature(cls.__init__).parameters:
            # geopy's requests adapter retries a timed-out request twice on its own, each with the
            # full timeout (3 x 10 s per name behind a silent network): retries are the rate
            # limiter's job, whose waits respect the budget.
            service_kwargs.setdefault("adapter_factory", _adapter_without_retries)
        try:
            self.geocoder = cls(
                user_agent=user_agent or f"geomap/{geomap_version()}", timeout=timeout, **service_kwargs
            )
        except (geopy_exc.GeopyError, TypeError, ValueError) as exc:
            raise GeocodingError(f"cannot set up {self.service}: {short_reason(exc)}") from exc
        # geopy retries service errors itself after error_wait_seconds; we re-raise what remains.
        self._params = set(inspect.signature(self.geocoder.geocode).parameters)
        self._limited = _BudgetedLimiter(
            self._request,
            self,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=max(2 * min_delay_seconds, 0.0),
            swallow_exceptions=False,
        )
        if cache_path is False:
            self.cache = None
        else:
            self.cache = GeocodeCache(Path(cache_path) if cache_path else default_cache_path())
        self.calls = 0  # requests actually sent (cache misses)

    # -- time budget ----------------------------------------------------------------------------
    def remaining(self) -> float:
        """Seconds left of the budget (all of it before the first request)."""
        if self._deadline is None:
            return self.budget_seconds
        return self._deadline - time.monotonic()

    def _request(self, query: str, **kwargs):
        """One request to the service, its timeout cut to what is left of the budget."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.budget_seconds
        left = self.remaining()
        if left <= 0:
            raise _BudgetSpent()
        if "timeout" in self._params:
            kwargs["timeout"] = min(self.timeout, left)
        return self.geocoder.geocode(query, **kwargs)

    # -- lookups --------------------------------------------------------------------------------
    def search(self, query: str, *, country_codes: str | list[str] | None = None, limit: int = 5) -> list[Place]:
        """Up to ``limit`` places the service returns for ``query`` (best first)."""
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        codes = [c.upper() for c in codes if c]
        answer = self.cache.get(self.service, query, codes) if self.cache is not None else None
        if answer is None:
            answer = self._ask(query, codes)
            if self.cache is not None:
                self.cache.put(self.service, query, codes, answer)
        places = [self._place(a) for a in answer]
        if codes:
            # Services without a country filter: drop answers known to be elsewhere.
            places = [p for p in places if p.country_code in (None, *codes)]
        return places[:limit]

    def geocode(self, query: str, *, country_codes: str | list[str] | None = None) -> Place | None:
        """The service's best place for ``query``, or None when it knows none."""
        found = self.search(query, country_codes=country_codes, limit=1)
        return found[0] if found else None

    def _ask(self, query: str, codes: list[str]) -> list[dict]:
        kwargs: dict = {"exactly_one": False}
        if "limit" in self._params:
            kwargs["limit"] = 5
        if codes and "country_codes" in self._params:
            kwargs["country_codes"] = [c.lower() for c in codes]
        if "addressdetails" in self._params:
            kwargs["addressdetails"] = True  # country code and state of each answer
        self.calls += 1
        try:
            found = self._limited(query, **kwargs)
        except _BudgetSpent:
            raise GeocodingError(
                f"{self.service} is too slow: the time budget of {self.budget_seconds:g} s is spent"
            ) from None
        except (
            TimeoutError,
            geopy_exc.GeocoderTimedOut,
            geopy_exc.GeocoderUnavailable,
            ConnectionError,
            socket.gaierror,
        ) as exc:
            raise GeocodingError(f"{self.service} is unreachable: {short_reason(exc)}") from exc
        except geopy_exc.GeocoderRateLimited as exc:
            raise GeocodingError(f"{self.service} refused the request (rate limited): {short_reason(exc)}") from exc
        except geopy_exc.GeocoderServiceError as exc:
            raise GeocodingError(f"{self.service} failed: {short_reason(exc)}") from exc
        except (geopy_exc.GeopyError, OSError) as exc:
            raise GeocodingError(f"{self.service} is unreachable: {short_reason(exc)}") from exc
        if found is None:
            return []
        if not isinstance(found, list):
            found = [found]
        return [{"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw} for loc in found]

    def _place(self, answer: dict) -> Place:
        raw = answer.get("raw") or {}
        props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
        addr = raw.get("address") if isinstance(raw.get("address"), dict) else {}
        attrs = raw.get("attributes") if isinstance(raw.get("attributes"), dict) else {}
        address = answer.get("address") or ""
        name = (raw.get("name") or props.get("name") or address.split(",")[0]).strip() or address
        cc = addr.get("country_code") or props.get("countrycode") or raw.get("countryCode")
        country = addr.get("country") or props.get("country")
        admin1 = addr.get("state") or props.get("state")
        pop = raw.get("population") or (raw.get("extratags") or {}).get("population") or 0
        try:
            pop = int(str(pop).replace(",", ""))
        except ValueError:
            pop = 0
        return Place(
            name=name,
            lat=float(answer["lat"]),
            lon=float(answer["lon"]),
            kind=service_kind(raw),
            country_code=cc.upper() if isinstance(cc, str) and len(cc) == 2 else None,
            country=country,
            admin1=admin1,
            feature_class=raw.get("class") or props.get("osm_key"),
            feature_code=raw.get("addresstype") or raw.get("type") or props.get("type") or attrs.get("Type"),
            population=pop,
            source=self.service,
            geocoder=self.service,
        )

    # -- pipeline hook --------------------------------------------------------------------------
    def refine(self, mentions: list[Mention]) -> list[Mention]:
        """Mentions with places from the service where it answers; the others untouched.

        Each distinct text (with the offline place's country as a hint) is asked once. The
        confidence stays the offline one when both agree within ``NEAR_KM``, else it is
        ``ONLINE_CONFIDENCE``.
        """
        answers: dict[tuple[str, str | None], Place | None] = {}
        out = []
        for m in mentions:
            if self.fallback_reason is not None:
                out.append(self._offline(m))
                continue
            cc = m.place.country_code if m.place else None
            key = (" ".join(m.text.split()).casefold(), cc)
            if key not in answers:
                try:
                    answers[key] = self.geocode(m.text, country_codes=[cc] if cc else None)
                except GeocodingError as exc:
                    self._give_up(str(exc))
                    out.append(self._offline(m))
                    continue
            found = answers[key]
            if found is None:
                out.append(m)
                continue
            agrees = m.place is not None and km(found, m.place) <= NEAR_KM
            conf = m.confidence if agrees else ONLINE_CONFIDENCE
            others = [p for p in m.candidates if km(p, found) > NEAR_KM]
            out.append(replace(m, place=found, confidence=conf, candidates=[found, *others][:5]))
        return out

    def _give_up(self, reason: str) -> None:
        """Stop asking the service for the rest of the run; say so once."""
        self.fallback_reason = reason
        log.warning("%s; the offline gazetteer places the remaining names (marked source=%s)", reason, FALLBACK_SOURCE)

    @staticmethod
    def _offline(m: Mention) -> Mention:
        """``m`` as the offline resolver left it, its place marked as an offline fallback."""
        if m.place is None:
            return m
        return replace(m, place=replace(m.place, source=FALLBACK_SOURCE, geocoder=FALLBACK_GEOCODER))


def service_kind(raw: dict) -> str:
    """Our place kind from a service's type fields, else ``"other"``."""
    props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
    attrs = raw.get("attributes") if isinstance(raw.get("attributes"), dict) else {}
    words = [
        raw.get("addresstype"),
        raw.get("type"),
        props.get("type"),
        props.get("osm_value"),
        attrs.get("Type"),
        raw.get("class"),
    ]
    for word in words:
        if isinstance(word, str):
            kind = _KIND_WORDS.get(word.strip().lower())
            if kind:
                return kind
    if raw.get("class") == "aeroway" or props.get("osm_key") == "aeroway":
        return "airport"
    return "other"


def make_geocoder(name: str | None, **kwargs) -> OnlineGeocoder | None:
    """An :class:`OnlineGeocoder` for a geopy service name; None for ``offline`` or no name."""
    if name is None or name.strip().lower() in ("", "offline"):
        return None
    return OnlineGeocoder(name, **kwargs)
