"""What the dialogue core and its front ends say to each other, built in one place.

`payloads` builds the Rasa intent messages that buttons and the voice skill send, and the
`custom` payloads (product lists, carts, orders) the widget and the voice skill render,
in the shapes `docs/interfaces.md` defines. Pure Python: imported by the actions, the
voice skill and the web app alike, never importing any of them.
"""
