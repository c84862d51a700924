"""`POST /alexa`: the Alexa skill endpoint (verified, then handled by ask-sdk-core).

Our own Flask view around `Skill.invoke` instead of flask-ask-sdk, whose import pulls in a
certificate library that cannot load this platform's OpenSSL 3 (see voice_skill.verification).
"""
from __future__ import annotations

import json

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, jsonify, request

from voice_skill.skill import SendToDialogue, build_skill
from voice_skill.verification import AlexaRequestVerifier, VerificationError


def create_alexa_blueprint(send_to_dialogue: SendToDialogue, verifier: AlexaRequestVerifier | None) -> Blueprint:
    """`verifier=None` means verification was explicitly switched off (and a warning logged)."""
    bp = Blueprint("alexa", __name__)
    skill = build_skill(send_to_dialogue)
    serializer = DefaultSerializer()

    @bp.post("/alexa")
    def alexa():
        body = request.get_data(cache=False)
        try:
            if verifier is not None:
                verifier.verify(request.headers, body)
            json.loads(body)
        except VerificationError as exc:
            return jsonify({"error": exc.reason}), exc.status
        except ValueError:
            return jsonify({"error": "body is not JSON"}), 400
        try:
            envelope = serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
        except Exception:  # noqa: BLE001 - the SDK raises several kinds on malformed envelopes
            return jsonify({"error": "body is not an Alexa request envelope"}), 400
        if envelope is None or envelope.request is None:
            return jsonify({"error": "body is not an Alexa request envelope"}), 400
        response = skill.invoke(request_envelope=envelope, context=None)
        return Response(json.dumps(serializer.serialize(response)), mimetype="application/json")

    return bp
