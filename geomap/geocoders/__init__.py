"""Geocoders: the offline gazetteer as a geopy geocoder, and optional online services via geopy."""

from geomap.geocoders.offline import OfflineGeocoder, to_location
from geomap.geocoders.online import OnlineGeocoder, make_geocoder, service_names

__all__ = ["OfflineGeocoder", "OnlineGeocoder", "make_geocoder", "service_names", "to_location"]
