def seed_learning(stdout=None) -> None:
    pass
