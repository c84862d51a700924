"""A small client for the Rasa server: the REST channel for turns, the HTTP API for parsing.

Both front ends (web widget and Alexa skill) talk to the one dialogue core through this.
"""
from __future__ import annotations

import requests


class DialogueUnavailable(RuntimeError):
    """Rasa did not answer; the caller tells the shopper to retry (nothing was lost)."""


class RasaClient:
    def __init__(self, base_url: str, token: str | None = None, timeout_s: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s
        self._http = requests.Session()

    def _post(self, path: str, payload: dict):
        params = {"token": self.token} if self.token else None
        try:
            response = self._http.post(self.base_url + path, json=payload, params=params, timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise DialogueUnavailable(f"dialogue server unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 500:
            raise DialogueUnavailable(f"dialogue server error {response.status_code}")
        response.raise_for_status()
        return response.json()

    def send(self, sender_id: str, message: str, metadata: dict | None = None) -> list[dict]:
        """One shopper turn through the REST channel; returns the bot's messages."""
        return self._post("/webhooks/rest/webhook", {"sender": sender_id, "message": message, "metadata": metadata or {}})

    def parse(self, text: str) -> dict:
        return self._post("/model/parse", {"text": text})

    def healthy(self) -> bool:
        try:
            return self._http.get(self.base_url + "/status", params={"token": self.token} if self.token else None,
                                  timeout=3).ok
        except requests.RequestException:
            return False
