"""What the speaker says and shows for the dialogue core's other reply kinds."""
from __future__ import annotations

from voice_skill.speech import render


def test_cart_and_order_go_on_the_card_and_text_is_read():
    spoken = render([
        {"recipient_id": "u", "text": "Your cart:\n**Drift Runner** x 2"},
        {"recipient_id": "u", "custom": {"type": "cart", "currency": "USD", "total": 178.0, "items": [
            {"id": "V1", "title": "Drift Runner", "size": "10", "color": "black", "quantity": 2, "unit_price": 89.0,
             "line_total": 178.0}]}},
        {"recipient_id": "u", "custom": {"type": "order", "order_id": "OS-1", "status": "placed", "items": [],
                                         "total": 178.0, "currency": "USD"}},
    ])
    assert spoken.ssml == "<speak>Your cart: Drift Runner x 2</speak>"
    assert spoken.card_text == "2 x Drift Runner - $89.00\nTotal: $178.00\nOrder OS-1: placed, $178.00"
    assert not spoken.ends_session and spoken.reprompt


def test_buttons_are_read_as_things_to_say_and_become_the_reprompt():
    spoken = render([{"recipient_id": "u", "text": "Hi!", "buttons": [
        {"title": "Running shoes", "payload": "running shoes"}, {"title": "Rain & snow", "payload": "rain"}]}])
    assert spoken.ssml == "<speak>Hi! You can say Running shoes or Rain &amp; snow.</speak>"
    assert spoken.reprompt == "You can say Running shoes or Rain &amp; snow."
    assert not spoken.offered_entity("size")


def test_an_empty_reply_still_says_something():
    assert "didn't catch that" in render([]).ssml
