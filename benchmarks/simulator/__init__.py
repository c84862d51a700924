"""An agenda-based shopper simulator that plays the real assistant (benchmarks/shopper_simulator.py,
tests/e2e/test_shopper_simulator.py).

    goals.py       a seeded goal per shopper, drawn from the build's catalog.sqlite: a target
                   variant in stock, the constraints to reveal, a persona
    phrasing.py    how shoppers say each act (and the public sources the lists follow)
    shopper.py     the agenda and the policy that reacts to the assistant's replies
    invariants.py  what must hold after every turn and of the final order
    play.py        playing conversations over Rasa's REST webhook, and a run's figures
    catalog.py     the catalog look-ups, read from SQLite directly
"""
