"""Alexa request envelopes as Alexa builds them, signed like Alexa signs them, for a running
`/alexa` endpoint: one `VoiceSession` is one shopper's session on one device, carrying the
session attributes of each response into the next request, as Alexa does."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import requests

from tests.voice.certificates import AlexaPki, signed_headers

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
ER_AUTHORITY = "amzn1.er-authority.echo-sdk.{skill}.{type}"


def resolved(heard: str, canonical: str, slot_type: str) -> dict:
    """A slot value entity resolution matched (`ER_SUCCESS_MATCH`) to a canonical value."""
    return {"value": heard, "resolutions": {"resolutionsPerAuthority": [{
        "authority": ER_AUTHORITY.format(skill=SKILL_ID, type=slot_type), "status": {"code": "ER_SUCCESS_MATCH"},
        "values": [{"value": {"name": canonical, "id": canonical.upper()}}]}]}}


def unresolved(heard: str, slot_type: str) -> dict:
    """A slot value Alexa heard but could not resolve (`ER_SUCCESS_NO_MATCH`)."""
    return {"value": heard, "resolutions": {"resolutionsPerAuthority": [{
        "authority": ER_AUTHORITY.format(skill=SKILL_ID, type=slot_type), "status": {"code": "ER_SUCCESS_NO_MATCH"}}]}}


def _slot(name: str, spec) -> dict:
    """`spec`: None (empty slot), a plain string (a built-in type such as AMAZON.NUMBER), or a dict."""
    slot = {"name": name, "confirmationStatus": "NONE"}
    if isinstance(spec, str):
        slot["value"] = spec
    elif isinstance(spec, dict):
        slot.update(spec)
    return slot


def utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class VoiceSession:
    endpoint: str
    pki: AlexaPki | None = None  # None: send no signature headers (verification off)
    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.TEST{uuid.uuid4().hex.upper()}")
    access_token: str | None = None
    application_id: str = SKILL_ID
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    attributes: dict = field(default_factory=dict)
    started: bool = False

    def envelope(self, request: dict, sent_at: datetime | None = None) -> dict:
        user = {"userId": self.user_id, **({"accessToken": self.access_token} if self.access_token else {})}
        application = {"applicationId": self.application_id}
        request = {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}", "locale": "en-US",
                   "timestamp": utc(sent_at or datetime.now(timezone.utc)), **request}
        return {
            "version": "1.0",
            "session": {"new": not self.started, "sessionId": self.session_id, "application": application,
                        "attributes": self.attributes, "user": user},
            "context": {"System": {"application": application, "user": user,
                                   "device": {"deviceId": f"amzn1.ask.device.{self.user_id[-12:]}",
                                              "supportedInterfaces": {}},
                                   "apiEndpoint": "https://api.amazonalexa.com", "apiAccessToken": "test-api-token"}},
            "request": request,
        }

    @staticmethod
    def intent_request(name: str, slots: dict | None = None, dialog_state: str | None = None) -> dict:
        request = {"type": "IntentRequest", "intent": {
            "name": name, "confirmationStatus": "NONE",
            "slots": {slot: _slot(slot, spec) for slot, spec in (slots or {}).items()}}}
        if dialog_state:
            request["dialogState"] = dialog_state
        return request

    def body(self, request: dict, sent_at: datetime | None = None) -> bytes:
        return json.dumps(self.envelope(request, sent_at)).encode()

    def post_raw(self, body: bytes, headers: dict | None = None) -> requests.Response:
        if headers is None:
            headers = signed_headers(self.pki.leaf_key, body) if self.pki else {}
        return requests.post(self.endpoint, data=body, headers={"Content-Type": "application/json", **headers},
                             timeout=30)

    def send(self, request: dict) -> dict:
        """Post one request; return the response envelope (and keep its session attributes)."""
        response = self.post_raw(self.body(request))
        assert response.status_code == 200, (response.status_code, response.text)
        answer = response.json()
        self.started = True
        self.attributes = answer.get("sessionAttributes") or {}
        return answer

    def launch(self) -> dict:
        return self.send({"type": "LaunchRequest"})

    def intent(self, name: str, slots: dict | None = None, dialog_state: str | None = None) -> dict:
        return self.send(self.intent_request(name, slots, dialog_state))

    def end(self, reason: str = "USER_INITIATED") -> dict:
        answer = self.send({"type": "SessionEndedRequest", "reason": reason})
        self.started, self.attributes = False, {}
        return answer


def speech(answer: dict) -> str:
    return answer["response"].get("outputSpeech", {}).get("ssml", "")


def stale(seconds: int) -> datetime:
    return datetime.now(timezone.utc) - timedelta(seconds=seconds)
