"""`POST /alexa`: the Alexa skill endpoint (verified, then handled by ask-sdk-core).

Our own Flask view around `Skill.invoke` instead of flask-ask-sdk: importing flask-ask-sdk
pulls in `certvalidator`/`oscrypto`, which cannot load this platform's OpenSSL 3 (see
`voice_skill.verification`).
"""
from __future__ import annotations

import json

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, jsonify, request

from voice_skill.skill import SendToDialogue, build_skill
from voice_skill.verification import RequestVerifier, VerificationError


def create_alexa_blueprint(send_to_dialogue: SendToDialogue, verifier: RequestVerifier | None) -> Blueprint:
    """`verifier=None` means verification was explicitly switched off (see `verifier_from_env`)."""
    bp = Blueprint("alexa", __name__)
    skill = build_skill(send_to_dialogue)
    serializer = DefaultSerializer()

    @bp.post("/alexa")
    def alexa():
        body = request.get_data(cache=False)
        try:
            if verifier is not None:
                verifier.verify(request.headers, body)
            envelope = serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
        except VerificationError as exc:
            return jsonify({"error": exc.reason}), exc.status
        except Exception:  # noqa: BLE001 - bad UTF-8, bad JSON, or the SDK's errors on a wrong shape
            return jsonify({"error": "body is not an Alexa request envelope"}), 400
        if envelope is None or envelope.request is None or envelope.context is None:
            return jsonify({"error": "body is not an Alexa request envelope"}), 400
        response = skill.invoke(request_envelope=envelope, context=None)
        return Response(json.dumps(serializer.serialize(response)), mimetype="application/json")

    return bp
