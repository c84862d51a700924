"""The Flask web app: demo storefront, widget script, chat and parse APIs, Alexa endpoint.

`create_app()` is the app factory; each front end is a blueprint of its own.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, jsonify, request, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from runtime.settings import Settings
from runtime.customer_tokens import customer_tokens_from_settings
from voice_skill.verification import verifier_from_settings
from voice_skill.voice_code import voice_code_from_settings
from web import chat, demo_images, parse, storefront
from web.alexa import create_alexa_blueprint, shop_money_from_settings
from web.metrics import WebMetrics
from web.rasa_client import RasaClient
from web.ratelimit import RateLimits

STATIC_DIR = Path(__file__).parent / "static"
API_PATHS = ("/api/",)
ALEXA_DIALOGUE_TIMEOUT_S = 6.0


def create_app(settings: Settings | None = None, rasa_client: RasaClient | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # chat turns and Alexa envelopes are small
    app.extensions["omnishop.settings"] = settings
    app.extensions["omnishop.rasa"] = rasa_client or RasaClient(settings.rasa_url, settings.web.rasa_token)
    app.extensions["omnishop.replays"] = chat.ReplayCache()
    app.extensions["omnishop.limits"] = RateLimits.from_settings(settings.web)
    app.extensions["omnishop.metrics"] = metrics = WebMetrics()
    proxy_hops = settings.web.proxy_hops
    if proxy_hops:  # behind a load balancer: the client address is in X-Forwarded-For
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxy_hops, x_proto=proxy_hops)
    allowed_origins = set(settings.web.allowed_origins)

    app.register_blueprint(chat.bp)
    app.register_blueprint(parse.bp)
    app.register_blueprint(demo_images.bp)
    app.register_blueprint(storefront.bp)
    # Alexa abandons a request after about 8 s: answer (with an apology) before that.
    alexa_client = rasa_client or RasaClient(settings.rasa_url, settings.web.rasa_token,
                                             timeout_s=ALEXA_DIALOGUE_TIMEOUT_S)
    # One login, both channels: the web's cookie and Alexa's linked account carry the same tokens.
    app.extensions["omnishop.customer_tokens"] = customer_tokens = customer_tokens_from_settings(settings.security)
    app.register_blueprint(create_alexa_blueprint(alexa_client.send, verifier_from_settings(settings.voice),
                                                  customer_tokens, voice_code_from_settings(settings.voice),
                                                  shop_money_from_settings(settings)))

    @app.get("/widget.js")
    def widget_script():
        response = send_from_directory(STATIC_DIR, "widget.js", mimetype="text/javascript", max_age=300)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    @app.get("/healthz")
    def healthz():
        """Liveness of this process plus readiness of the dialogue core behind it."""
        rasa_ok = app.extensions["omnishop.rasa"].healthy()
        body = {"status": "ok" if rasa_ok else "degraded", "web": True, "rasa": rasa_ok}
        return jsonify(body), 200 if rasa_ok or request.args.get("live") else 503

    @app.get("/metrics")
    def prometheus_metrics():
        return Response(metrics.render(), mimetype="text/plain; version=0.0.4")

    @app.after_request
    def headers(response):
        if request.path.startswith(API_PATHS) and request.url_rule is not None:
            metrics.responses.inc(request.url_rule.rule, str(response.status_code))
        if request.path.startswith(API_PATHS):
            origin = request.headers.get("Origin")
            if "*" in allowed_origins:
                response.headers["Access-Control-Allow-Origin"] = "*"
            elif origin in allowed_origins:
                response.headers["Access-Control-Allow-Origin"] = origin
                response.vary.add("Origin")
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            response.headers["Access-Control-Max-Age"] = "600"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.mimetype == "text/html":
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; connect-src 'self'; frame-ancestors 'self'",
            )
        return response

    @app.route("/api/<path:_any>", methods=["OPTIONS"])
    def preflight(_any):
        return "", 204

    @app.errorhandler(413)
    def too_large(_error):
        return jsonify({"error": f"request body larger than {app.config['MAX_CONTENT_LENGTH']} bytes"}), 413

    @app.errorhandler(404)
    def not_found(_error):
        return jsonify({"error": "not found"}), 404

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return jsonify({"error": "method not allowed"}), 405

    return app


def main(argv: list[str] | None = None) -> None:
    """Run the web app with waitress (the supervisor starts it this way): `python -m web`."""
    import argparse

    from runtime.logs import configure_logging
    from web.serving import serve_until_terminated

    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m web", description="Omnishop web app: storefront, widget, "
                                     "/api/chat, /api/parse, /alexa, /healthz. Settings come from the environment.")
    parser.add_argument("--host", default=settings.web_host, help="interface to bind (default: $WEB_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=settings.web_port, help="port (default: $WEB_PORT or 8000)")
    parser.add_argument("--threads", type=int, default=8, help="worker threads (default: 8)")
    args = parser.parse_args(argv)
    configure_logging(settings.logs)
    serve_until_terminated(create_app(settings), args.host, args.port, args.threads)
