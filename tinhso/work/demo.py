def seed_work(stdout=None) -> None:
    from .demo_data import seed

    seed(stdout=stdout)
