"""HTTP client for a 17TRACK-style tracking API (modelled on 17TRACK v2.2).

Plain Python on purpose (``requests`` only, no ORM): the tracking provider
model builds a client, calls it with at most :data:`MAX_NUMBERS` numbers and
turns the normalised results into shipment events. The wire format is
documented in ``docs/tracking.md``.
"""

import hashlib
import hmac
import json
import logging
from datetime import datetime, timezone

import requests

_logger = logging.getLogger(__name__)

MAX_NUMBERS = 40  # numbers per register / gettrackinfo call
DEFAULT_TIMEOUT = 10  # seconds, connect and read
DEFAULT_RETRY_AFTER = 60  # seconds, when a 429 has no usable Retry-After

# rejection codes (17TRACK-style negative integers)
CODE_ALREADY_REGISTERED = -18019901
CODE_NOT_REGISTERED = -18019902
CODE_INVALID_NUMBER = -18010012

# provider status / sub-status -> our shipment status; the sub-status wins
SUB_STATUS_MAP = {
    "InTransit_CustomsRequiringInformation": "customs_hold",
    "InTransit_CustomsReleased": "customs_cleared",
    "Exception_Returning": "returned",
    "Exception_Returned": "returned",
}
STATUS_MAP = {
    "InfoReceived": "label_created",
    "InTransit": "in_transit",
    "AvailableForPickup": "out_for_delivery",
    "OutForDelivery": "out_for_delivery",
    "DeliveryFailure": "exception",
    "Delivered": "delivered",
    "Exception": "exception",
    "Expired": "exception",
}


class TrackingError(Exception):
    """A provider call failed; the numbers of the call should be retried later."""

    kind = "error"


class TrackingTimeout(TrackingError):
    kind = "timeout"


class TrackingBadResponse(TrackingError):
    kind = "bad_response"


class TrackingAuthError(TrackingError):
    kind = "auth"


class TrackingRateLimited(TrackingError):
    kind = "rate_limit"

    def __init__(self, message, retry_after=DEFAULT_RETRY_AFTER):
        super().__init__(message)
        self.retry_after = retry_after


def map_status(stage, sub_status=None):
    """Our shipment status for a provider stage / sub-status (None: unknown)."""
    if sub_status and sub_status in SUB_STATUS_MAP:
        return SUB_STATUS_MAP[sub_status]
    if not stage and sub_status:
        stage = sub_status.split("_", 1)[0]
    return STATUS_MAP.get(stage)


def sign(body, secret):
    """Hex HMAC-SHA256 of the raw request body with the shared secret."""
    if isinstance(body, str):
        body = body.encode()
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(body, signature, secret):
    """True when ``signature`` is the HMAC of ``body``; constant-time compare."""
    if not (secret and signature):
        return False
    return hmac.compare_digest(sign(body, secret), signature.strip().lower())


def parse_datetime(value):
    """A naive UTC datetime from an ISO 8601 string (with or without offset)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def event_key(event):
    """Stable identity of a provider event: the same event pushed twice or
    returned by two polls gets the same key."""
    raw = (
        "|".join(
            str(event.get(key) or "")
            for key in ("time_utc", "time_iso", "sub_status", "stage", "description")
        )
        + "|"
        + str(event.get("location") or "")
    )
    return hashlib.sha1(raw.encode()).hexdigest()


def parse_track_item(item):
    """Normalise one ``accepted`` item of gettrackinfo (or a webhook ``data``).

    Returns ``{"number", "status", "estimated_delivery", "events": [...]}``;
    each event is ``{"external_id", "date", "status", "description",
    "location"}`` with a naive UTC ``date``. Events without a usable date are
    dropped (they cannot be ordered); unknown stages fall back to the status of
    the parcel, then to in transit.
    """
    track_info = item.get("track_info") or {}
    latest = track_info.get("latest_status") or {}
    parcel_status = map_status(latest.get("status"), latest.get("sub_status"))
    events = []
    for provider in (track_info.get("tracking") or {}).get("providers") or []:
        for event in provider.get("events") or []:
            date = parse_datetime(event.get("time_utc") or event.get("time_iso"))
            if not date:
                continue
            status = (
                map_status(event.get("stage"), event.get("sub_status"))
                or parcel_status
                or "in_transit"
            )
            events.append(
                {
                    "external_id": event_key(event),
                    "date": date,
                    "status": status,
                    "description": (event.get("description") or "")[:500],
                    "location": (event.get("location") or "")[:200],
                }
            )
    estimate = (track_info.get("time_metrics") or {}).get(
        "estimated_delivery_date"
    ) or {}
    return {
        "number": item.get("number"),
        "status": parcel_status,
        "estimated_delivery": parse_datetime(
            estimate.get("to") or estimate.get("from")
        ),
        "events": events,
    }


class Track17Client:
    """Talks to one 17TRACK-style endpoint; every call has a timeout."""

    def __init__(self, base_url, api_key, timeout=DEFAULT_TIMEOUT, session=None):
        self.base_url = (base_url or "").rstrip("/")
        self.api_key = api_key or ""
        self.timeout = timeout
        self.session = session or requests.Session()

    def _post(self, path, payload):
        url = f"{self.base_url}/{path}"
        try:
            response = self.session.post(
                url,
                json=payload,
                headers={"17token": self.api_key, "Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.Timeout as exc:
            raise TrackingTimeout(f"{path}: no answer within {self.timeout} s") from exc
        except requests.RequestException as exc:
            raise TrackingError(f"{path}: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code == 429:
            raise TrackingRateLimited(
                f"{path}: rate limited (HTTP 429)",
                retry_after=self._retry_after(response),
            )
        if response.status_code in (401, 403):
            raise TrackingAuthError(f"{path}: refused (HTTP {response.status_code})")
        if response.status_code >= 400:
            raise TrackingError(f"{path}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise TrackingBadResponse(f"{path}: the answer is not JSON") from exc
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            raise TrackingBadResponse(f"{path}: unexpected answer shape")
        if body.get("code") != 0:
            raise TrackingError(f"{path}: provider code {body.get('code')}")
        data = body["data"]
        accepted = data.get("accepted") or []
        rejected = data.get("rejected") or []
        if not isinstance(accepted, list) or not isinstance(rejected, list):
            raise TrackingBadResponse(f"{path}: accepted/rejected are not lists")
        return {"accepted": accepted, "rejected": rejected}

    @staticmethod
    def _retry_after(response):
        value = response.headers.get("Retry-After", "")
        try:
            return max(1, int(float(value)))
        except ValueError:
            return DEFAULT_RETRY_AFTER

    @staticmethod
    def _check_size(numbers):
        if len(numbers) > MAX_NUMBERS:
            raise ValueError(f"at most {MAX_NUMBERS} numbers per call")

    @staticmethod
    def _rejections(rejected):
        return {
            item.get("number"): (
                (item.get("error") or {}).get("code"),
                (item.get("error") or {}).get("message") or "",
            )
            for item in rejected
            if isinstance(item, dict)
        }

    def register(self, items):
        """Register numbers: ``items`` is a list of ``{"number", "carrier"?}``.

        Returns ``(accepted_numbers, {number: (code, message)})``; a number
        that is already registered counts as accepted."""
        self._check_size(items)
        result = self._post("register", list(items))
        accepted = {item.get("number") for item in result["accepted"]}
        rejected = self._rejections(result["rejected"])
        for number, (code, _message) in list(rejected.items()):
            if code == CODE_ALREADY_REGISTERED:
                accepted.add(number)
                del rejected[number]
        return accepted, rejected

    def get_track_info(self, items):
        """Current tracking of numbers: returns ``(parsed_by_number,
        {number: (code, message)})`` (see :func:`parse_track_item`)."""
        self._check_size(items)
        result = self._post("gettrackinfo", list(items))
        parsed = {}
        for item in result["accepted"]:
            if isinstance(item, dict) and item.get("number"):
                try:
                    parsed[item["number"]] = parse_track_item(item)
                except (AttributeError, TypeError, ValueError) as exc:
                    raise TrackingBadResponse(
                        f"gettrackinfo: unreadable item for {item['number']}"
                    ) from exc
        return parsed, self._rejections(result["rejected"])


def parse_webhook(body):
    """The ``(event, parsed item)`` of a pushed body; raises TrackingBadResponse."""
    try:
        payload = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise TrackingBadResponse("the pushed body is not JSON") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise TrackingBadResponse("the pushed body has no data object")
    event = payload.get("event") or ""
    if event != "TRACKING_UPDATED":
        return event, None
    try:
        return event, parse_track_item(payload["data"])
    except (AttributeError, TypeError, ValueError) as exc:
        raise TrackingBadResponse("the pushed data is unreadable") from exc
